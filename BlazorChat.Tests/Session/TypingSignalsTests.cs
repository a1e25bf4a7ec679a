namespace BlazorChat.Tests.Session;

/// <summary>
/// Typing both ways on the page's clock: "typing" a moment after a key (none when the message goes out first), at most
/// every two seconds, "stopped" three seconds after the last key (a message ends it by itself), others' indicators gone
/// when they run out, and the typing line rendered a moment late.
/// </summary>
public sealed class TypingSignalsTests
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Carol = new("user-carol", "Carol");
    private static readonly TypingRequest Started = new(RoomNames.General, IsTyping: true);
    private static readonly TypingRequest Stopped = new(RoomNames.General, IsTyping: false);

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

    // A key, and its "typing" gone out.
    private async Task KeyAndSendDelayAsync()
    {
        var sent = _page.Sent.Items.Count;
        await KeyAsync();
        Time.Advance(TypingSignals.SendDelay);
        await _page.Sent.WaitForCountAsync(sent + 1);
    }

    // ---- this person's typing ----

    [Fact]
    public async Task FirstKey_TellsTheRoomAfterTheSendDelay_AndKeysWithinTwoSeconds_DoNotTellItAgain()
    {
        await KeyAsync();
        Time.Advance(TypingSignals.SendDelay - TimeSpan.FromMilliseconds(1));
        await _page.SettledAsync();
        Assert.Empty(_page.Sent.Items);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Started], await _page.Sent.WaitForCountAsync(1));

        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromMilliseconds(i == 0 ? 350 : 500));
            await KeyAsync(); // the last one 2 s after the first
        }
        Time.Advance(TypingSignals.SendDelay);
        await _page.SettledAsync();
        Assert.Equal([Started], _page.Sent.Items);

        await KeyAsync();
        Time.Advance(TypingSignals.SendDelay);

        Assert.Equal([Started, Started], await _page.Sent.WaitForCountAsync(2));
    }

    [Fact]
    public async Task AMessageSentWithinTheSendDelay_TellsTheRoomNothing_NeitherTypingNorStopped()
    {
        // A short reply, or a paste sent at once: every member's tab would take in a "typing" and then the message right
        // behind it, for an indicator nobody sees.
        await KeyAsync();
        Time.Advance(TypingSignals.SendDelay - TimeSpan.FromMilliseconds(1));
        await _page.RunAsync(_typing.MessageSent);

        Assert.Equal(0, Time.ActiveTimers);
        Time.Advance(TypingSignals.Idle);
        await _page.SettledAsync();
        Assert.Empty(_page.Sent.Items);
        Assert.Empty(_page.Dispatched.Items);

        await KeyAndSendDelayAsync(); // the next message's first key tells the room again

        Assert.Equal([Started], _page.Sent.Items);
    }

    [Fact]
    public async Task TheTypingTellsTheRoomTheKeyWasIn_EvenWhenThePersonMovedOnMeanwhile()
    {
        await KeyAsync();
        _view.OpenDirect(Bob);
        Time.Advance(TypingSignals.SendDelay);

        Assert.Equal([Started], await _page.Sent.WaitForCountAsync(1));
    }

    [Fact]
    public async Task TheStopTellsTheRoomTheTypingWentTo_EvenWhenThePersonMovedOnMeanwhile()
    {
        // The indicator to end is the one shown in the room the person typed in, not in whatever is on screen now.
        await KeyAndSendDelayAsync();
        _view.OpenDirect(Bob);
        Time.Advance(TypingSignals.Idle);

        Assert.Equal([Started, Stopped], await _page.Sent.WaitForCountAsync(2));
    }

    [Fact]
    public async Task NoKeyForThreeSeconds_TellsTheRoomThePersonStopped()
    {
        await KeyAndSendDelayAsync();
        Time.Advance(TypingSignals.Idle - TypingSignals.SendDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal([Started], _page.Sent.Items);

        Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([Started, Stopped], await _page.Sent.WaitForCountAsync(2));
        await _page.Dispatched.WaitForCountAsync(2);
        Assert.Equal(0, Time.ActiveTimers);
    }

    [Fact]
    public async Task AKeyWithinTheIdleTime_StartsTheWaitAfresh_OnTheSameTimer()
    {
        await KeyAndSendDelayAsync();
        Time.Advance(TimeSpan.FromSeconds(2) - TypingSignals.SendDelay);
        await KeyAsync(); // 2 s after the first: no "typing" again yet

        Assert.Equal(1, Time.ActiveTimers);
        Time.Advance(TypingSignals.Idle - TimeSpan.FromMilliseconds(1)); // past the first key's idle time, not the second's
        await _page.SettledAsync();
        Assert.Equal([Started], _page.Sent.Items);

        Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([Started, Stopped], await _page.Sent.WaitForCountAsync(2));
    }

    [Fact]
    public async Task MessageSent_EndsTyping_WithoutAStop_AndTheNextKeyTellsTheRoomAgain()
    {
        await KeyAndSendDelayAsync();

        await _page.RunAsync(_typing.MessageSent);
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
    public async Task Dispose_EndsTheIdleWait_SoAGonePageSendsNoStop()
    {
        await KeyAndSendDelayAsync();

        _page.Page.Dispose();
        _typing.Dispose();

        Assert.Equal(0, Time.ActiveTimers);
        Time.Advance(TypingSignals.Idle);
        Assert.Equal([Started], _page.Sent.Items);
    }

    [Fact]
    public async Task AStopDueAfterThePageIsGone_IsNotSent_NorTakesThePagesDispatcher()
    {
        await KeyAndSendDelayAsync();

        _page.Page.Dispose(); // gone, and the wait already under way (its own disposal comes right after)
        Time.Advance(TypingSignals.Idle);
        await _page.SettledAsync();

        Assert.Equal([Started], _page.Sent.Items);
        Assert.Single(_page.Dispatched.Items); // the "typing" only
    }

    [Fact]
    public async Task AStopThatFails_GoesToTheCircuit()
    {
        await KeyAndSendDelayAsync();
        var failure = new InvalidOperationException("the stop failed");
        _page.Answer = (_, _) => throw failure;

        Time.Advance(TypingSignals.Idle);

        Assert.Same(failure, (await _page.Failures.WaitForCountAsync(1)).Single());
    }

    [Fact]
    public async Task Dispose_StopsATypingStillToGoOut()
    {
        await KeyAsync();

        _typing.Dispose();
        Assert.Equal(0, Time.ActiveTimers);
        Time.Advance(TypingSignals.SendDelay);
        await _page.SettledAsync();

        Assert.Empty(_page.Sent.Items);
        Assert.Empty(_page.Dispatched.Items);
    }

    [Fact]
    public async Task ATypingDueAfterThePageIsGone_IsNotSent_NorTakesThePagesDispatcher()
    {
        await KeyAsync();

        _page.Page.Dispose(); // gone, and the timer already set (its own disposal comes right after)
        Time.Advance(TypingSignals.SendDelay);
        await _page.SettledAsync();

        Assert.Empty(_page.Sent.Items);
        Assert.Empty(_page.Dispatched.Items);
    }

    [Fact]
    public async Task KeysAndMessagesAgainAndAgain_WaitOnTheSameTwoTimers_NotOneWaitEach()
    {
        // A person typing a sentence presses several keys a second; in a busy room, someone sends every few seconds.
        for (var round = 1; round <= 3; round++)
        {
            await KeyAndSendDelayAsync();
            for (var key = 0; key < 5; key++)
            {
                Time.Advance(TimeSpan.FromMilliseconds(150));
                await KeyAsync();
            }
            await _page.RunAsync(_typing.MessageSent);
        }
        Time.Advance(TypingSignals.Idle);
        await _page.SettledAsync();

        Assert.Equal([Started, Started, Started], _page.Sent.Items);
        Assert.Equal(2, Time.CreatedTimers); // the "typing" and the idle wait
        Assert.Equal(0, Time.ActiveTimers);
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
        await _page.SettledAsync();

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
        await _page.SettledAsync();

        Assert.Empty(_page.Dispatched.Items);
        Assert.Empty(_shown.Items);
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
        await _page.SettledAsync();

        Assert.Empty(_page.Dispatched.Items);
        Assert.Empty(_shown.Items);
    }

    private Task SomeoneTypesAsync(Person person, string room) => _page.RunAsync(() =>
    {
        _view.Apply(new TypingChanged(room, person, IsTyping: true), Time.GetUtcNow());
        _typing.SomeoneTyping();
    });
}
