using System.Reflection;

namespace BlazorChat.Tests.Session;

/// <summary>
/// Typing both ways on the page's clock: "typing" at most every two seconds, "stopped" three seconds after the last key
/// (a message ends it by itself), others' indicators gone when they run out, and the typing line rendered a moment late.
/// </summary>
public sealed class TypingSignalsTests
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Carol = new("user-carol", "Carol");
    private static readonly TypingRequest Started = new(RoomNames.General, IsTyping: true);
    private static readonly TypingRequest Stopped = new(RoomNames.General, IsTyping: false);

    // The signals show nothing of their wait for the next key: these tests read the source they hold.
    private static readonly FieldInfo IdleField =
        typeof(TypingSignals).GetField("_idle", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("TypingSignals no longer keeps its idle wait in _idle: update these tests.");

    private readonly TestPage _page = new();
    private readonly ChatView _view = new();
    private readonly Recorded<ViewChange> _shown = new();
    private readonly TypingSignals _typing;

    public TypingSignalsTests()
    {
        _view.Apply(new NamespaceWelcome("/", "c.1", Ada, [Ada, Bob, Carol], [new RoomSummary(RoomNames.General, 3)], [RoomNames.General, "design"]),
            _page.Time.GetUtcNow());
        _typing = new TypingSignals(_view, _page.Send, _page.Time, _page.Page, _shown.Add);
    }

    private ManualTimeProvider Time => _page.Time;

    private Task KeyAsync() => _page.RunAsync(_typing.TypingAsync);

    // ---- this person's typing ----

    [Fact]
    public async Task FirstKey_TellsTheRoomAtOnce_AndKeysWithinTwoSeconds_DoNotTellItAgain()
    {
        await KeyAsync();
        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(500));
            await KeyAsync();
        }
        Assert.Equal([Started], _page.Sent.Items);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        await KeyAsync();

        Assert.Equal([Started, Started], _page.Sent.Items);
    }

    [Fact]
    public async Task NoKeyForThreeSeconds_TellsTheRoomThePersonStopped()
    {
        await KeyAsync();
        Time.Advance(TypingSignals.Idle - TimeSpan.FromMilliseconds(1));
        Assert.Equal([Started], _page.Sent.Items);

        Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([Started, Stopped], await _page.Sent.WaitForCountAsync(2));
        await _page.Dispatched.WaitForCountAsync(1);
        Assert.Equal(0, Time.ActiveTimers);
    }

    [Fact]
    public async Task AKeyWithinTheIdleTime_StartsTheWaitAfresh_AndDisposesTheOneItReplaces()
    {
        await KeyAsync();
        var first = IdleSource();
        Time.Advance(TimeSpan.FromSeconds(2));
        await KeyAsync();

        Assert.Throws<ObjectDisposedException>(() => first.Token);
        Assert.Equal(1, Time.ActiveTimers);
        Time.Advance(TypingSignals.Idle - TimeSpan.FromMilliseconds(1)); // past the first key's idle time, not the second's
        Assert.Equal([Started], _page.Sent.Items);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Started, Stopped], await _page.Sent.WaitForCountAsync(2));
    }

    [Fact]
    public async Task TheStopAfterIdle_DisposesItsWait()
    {
        await KeyAsync();
        var wait = IdleSource();

        Time.Advance(TypingSignals.Idle);
        await _page.Dispatched.WaitForCountAsync(1);

        Assert.Throws<ObjectDisposedException>(() => wait.Token);
        Assert.Null(IdleField.GetValue(_typing));
    }

    [Fact]
    public async Task MessageSent_EndsTyping_WithoutAStop_AndTheNextKeyTellsTheRoomAgain()
    {
        await KeyAsync();
        var wait = IdleSource();

        await _page.RunAsync(_typing.MessageSent);
        Assert.Throws<ObjectDisposedException>(() => wait.Token);
        Assert.Equal(0, Time.ActiveTimers);

        await KeyAsync(); // at once: the "typing" sent before the message no longer holds
        Time.Advance(TypingSignals.Idle);
        Assert.Equal([Started, Started, Stopped], await _page.Sent.WaitForCountAsync(3));
    }

    [Fact]
    public async Task KeysInAPrivateConversation_TellNobody()
    {
        _view.OpenDirect(Bob);

        await KeyAsync();
        Time.Advance(TypingSignals.Idle);

        Assert.Empty(_page.Sent.Items);
        Assert.Equal(0, Time.ActiveTimers);
    }

    [Fact]
    public async Task Dispose_EndsAndDisposesTheIdleWait_SoAGonePageSendsNoStop()
    {
        await KeyAsync();
        var wait = IdleSource();

        _page.Page.Dispose();
        _typing.Dispose();

        Assert.Throws<ObjectDisposedException>(() => wait.Token);
        Assert.Equal(0, Time.ActiveTimers);
        Time.Advance(TypingSignals.Idle);
        Assert.Equal([Started], _page.Sent.Items);
    }

    [Fact]
    public async Task AStopDueAfterThePageIsGone_IsNotSent()
    {
        await KeyAsync();

        _page.Page.Dispose(); // gone, and the wait already under way (its own disposal comes right after)
        Time.Advance(TypingSignals.Idle);
        await _page.Dispatched.WaitForCountAsync(1);

        Assert.Equal([Started], _page.Sent.Items);
    }

    [Fact]
    public async Task AStopThatFails_GoesToTheCircuit()
    {
        await KeyAsync();
        var failure = new InvalidOperationException("the stop failed");
        _page.Answer = (_, _) => throw failure;

        Time.Advance(TypingSignals.Idle);

        Assert.Same(failure, (await _page.Failures.WaitForCountAsync(1)).Single());
    }

    // ---- others' typing ----

    [Fact]
    public async Task SomeoneTypingInTheRoomOnScreen_WhenTheirIndicatorRunsOut_ItGoesAndTheLineRenders()
    {
        await SomeoneTypesAsync(Bob, RoomNames.General);

        Time.Advance(ChatView.TypingLifetime);
        Assert.Equal(1, Time.ActiveTimers); // checked a moment after it ends, so the check finds it gone
        Assert.Empty(_shown.Items);
        Time.Advance(TimeSpan.FromMilliseconds(100));
        await _page.Dispatched.WaitForCountAsync(1);

        Assert.Equal([ViewChange.Typing], _shown.Items);
        Assert.Null(_view.NextTypingExpiry);
        Assert.Equal(0, Time.ActiveTimers);
    }

    [Fact]
    public async Task SomeoneTypingInAnotherRoom_RunsOutWithoutRenderingTheLine()
    {
        await SomeoneTypesAsync(Bob, "design");

        Time.Advance(ChatView.TypingLifetime + TimeSpan.FromMilliseconds(100));
        await _page.Dispatched.WaitForCountAsync(1);

        Assert.Empty(_shown.Items);
        Assert.Null(_view.NextTypingExpiry);
    }

    [Fact]
    public async Task TwoPeopleTyping_OneCheckAtATime_EachGoesWhenTheirsRunsOut()
    {
        await SomeoneTypesAsync(Bob, RoomNames.General);
        Time.Advance(TimeSpan.FromSeconds(3));
        await SomeoneTypesAsync(Carol, RoomNames.General);
        Assert.Equal(1, Time.ActiveTimers);

        Time.Advance(TimeSpan.FromSeconds(3.1));
        await _page.Dispatched.WaitForCountAsync(1);
        Assert.Equal([Carol], _view.TypingIn(RoomNames.General, Time.GetUtcNow()));

        Time.Advance(TimeSpan.FromSeconds(3));
        await _page.Dispatched.WaitForCountAsync(2);
        Assert.Empty(_view.TypingIn(RoomNames.General, Time.GetUtcNow()));
        Assert.Equal([ViewChange.Typing, ViewChange.Typing], _shown.Items);
        Assert.Equal(0, Time.ActiveTimers);
    }

    [Fact]
    public async Task OthersTypingAgainAndAgain_AreCheckedOnTheSameTimer_NotOneWaitEach()
    {
        // In a busy room every tab hears an indicator every few seconds: one timer per tab, set again for each check.
        for (var round = 1; round <= 3; round++)
        {
            await SomeoneTypesAsync(Bob, RoomNames.General);
            Time.Advance(ChatView.TypingLifetime + TimeSpan.FromMilliseconds(100));
            await _page.Dispatched.WaitForCountAsync(round);
            Assert.Null(_view.NextTypingExpiry);
        }

        Assert.Equal([ViewChange.Typing, ViewChange.Typing, ViewChange.Typing], _shown.Items);
        Assert.Equal(1, Time.CreatedTimers);
        Assert.Equal(0, Time.ActiveTimers);
    }

    [Fact]
    public async Task Dispose_StopsACheckStillToCome()
    {
        await SomeoneTypesAsync(Bob, RoomNames.General);
        Assert.Equal(1, Time.ActiveTimers);

        _typing.Dispose();
        Assert.Equal(0, Time.ActiveTimers);
        Time.Advance(ChatView.TypingLifetime + TimeSpan.FromMilliseconds(100));
        await SettledAsync();

        Assert.Empty(_page.Dispatched.Items);
        Assert.Empty(_shown.Items);
    }

    // ---- the typing line's short delay ----

    [Fact]
    public async Task ShowSoon_RendersTheLineOnceAfterTheDelay_HoweverOftenAsked()
    {
        await _page.RunAsync(() =>
        {
            _typing.ShowSoon();
            _typing.ShowSoon();
            _typing.ShowSoon();
        });
        Assert.Equal(1, Time.ActiveTimers);
        Time.Advance(TypingSignals.RenderDelay - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_shown.Items);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        await _page.Dispatched.WaitForCountAsync(1);

        Assert.Equal([ViewChange.Transcript | ViewChange.Typing], _shown.Items);
    }

    [Fact]
    public async Task ShowSoon_ThenARenderThatShowedTheLine_RendersNothingMore_NorTakesThePagesDispatcher()
    {
        // The usual case in a busy room: the message follows its typing signal and its render shows the line. Every
        // member's tab then has nothing left to do when the delay is up, not even a turn on its dispatcher.
        await _page.RunAsync(() =>
        {
            _typing.ShowSoon();
            _typing.Shown();
        });

        Time.Advance(TypingSignals.RenderDelay); // the timer's callback runs in here
        await SettledAsync();

        Assert.Empty(_page.Dispatched.Items);
        Assert.Empty(_shown.Items);
    }

    // Whatever the timer set going has run: its continuations, posted to the dispatcher, and what they dispatched.
    private async Task SettledAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(20);
            await _page.RunAsync(() => { });
        }
    }

    [Fact]
    public async Task ShowSoon_AgainAfterARender_RendersAgainAfterTheDelay_OnTheSameTimer()
    {
        await _page.RunAsync(_typing.ShowSoon);
        Time.Advance(TypingSignals.RenderDelay);
        await _page.Dispatched.WaitForCountAsync(1);
        await _page.RunAsync(_typing.Shown);

        await _page.RunAsync(_typing.ShowSoon);
        Assert.Equal(1, Time.ActiveTimers);
        Assert.Equal(1, Time.CreatedTimers); // set again, not made again: one timer per tab, not one per signal
        Time.Advance(TypingSignals.RenderDelay - TimeSpan.FromMilliseconds(1));
        Assert.Single(_shown.Items);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        await _page.Dispatched.WaitForCountAsync(2);

        Assert.Equal([ViewChange.Transcript | ViewChange.Typing, ViewChange.Transcript | ViewChange.Typing], _shown.Items);
    }

    [Fact]
    public async Task Dispose_StopsARenderStillToCome()
    {
        await _page.RunAsync(_typing.ShowSoon);

        _typing.Dispose();
        Assert.Equal(0, Time.ActiveTimers);
        Time.Advance(TypingSignals.RenderDelay);

        Assert.Empty(_shown.Items);
    }

    [Fact]
    public async Task ShowSoon_AfterThePageIsGone_RendersNothing()
    {
        await _page.RunAsync(_typing.ShowSoon);
        _page.Page.Dispose();

        Time.Advance(TypingSignals.RenderDelay);
        await SettledAsync();

        Assert.Empty(_page.Dispatched.Items);
        Assert.Empty(_shown.Items);
    }

    private Task SomeoneTypesAsync(Person person, string room) => _page.RunAsync(() =>
    {
        _view.Apply(new TypingChanged(room, person, IsTyping: true), Time.GetUtcNow());
        _typing.SomeoneTyping();
    });

    private CancellationTokenSource IdleSource() =>
        (CancellationTokenSource?)IdleField.GetValue(_typing) ?? throw new InvalidOperationException("no idle wait");
}
