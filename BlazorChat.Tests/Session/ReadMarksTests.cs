namespace BlazorChat.Tests.Session;

/// <summary>
/// Read marks on the page's clock: a second after something new is on screen, at most one per second however fast
/// messages come, never at or below a mark already sent for that conversation, and none for a page that is gone.
/// </summary>
public sealed class ReadMarksTests
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private const string Design = "design";

    private readonly TestPage _page = new();
    private readonly ChatView _view = new();
    private readonly ReadMarks _marks;

    public ReadMarksTests()
    {
        _view.Apply(new NamespaceWelcome("/", "c.1", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General, Design]),
            _page.Time.GetUtcNow());
        LoadLatest(RoomNames.General, 1, 3);
        _marks = new ReadMarks(_view, _page.Send, _page.Time, _page.Page);
    }

    private ManualTimeProvider Time => _page.Time;

    private int _due;

    private Task ScheduleAsync() => _page.RunAsync(_marks.Schedule);

    // Asks for a mark, and lets the second pass: the mark's turn on the dispatcher has run when this returns.
    private async Task MarkDueAsync()
    {
        await ScheduleAsync();
        Time.Advance(ReadMarks.Delay);
        await _page.Dispatched.WaitForCountAsync(++_due);
    }

    [Fact]
    public async Task Schedule_MarksTheConversationOnScreenASecondLater()
    {
        await ScheduleAsync();
        Time.Advance(ReadMarks.Delay - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_page.Sent.Items);

        Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal([new MarkReadRequest(RoomNames.General, 3)], await _page.Sent.WaitForCountAsync(1));
    }

    [Fact]
    public async Task MessagesComingSteadily_AreMarkedAtMostOncePerSecond_EachMarkCoveringWhatCameMeanwhile()
    {
        // A message every half second; the page asks for a mark on each.
        var fired = 0;
        for (var sequence = 4; sequence <= 9; sequence++)
        {
            await _page.RunAsync(() =>
            {
                _view.Apply(Posted(RoomNames.General, sequence), Time.GetUtcNow());
                ConfirmShown(RoomNames.General);
                _marks.Schedule();
            });
            var due = Time.ActiveTimers;
            Time.Advance(TimeSpan.FromMilliseconds(500));
            if (due > 0 && Time.ActiveTimers == 0)
                await _page.Dispatched.WaitForCountAsync(++fired); // the mark due now has gone out
        }
        Time.Advance(ReadMarks.Delay);
        await _page.Dispatched.WaitForCountAsync(3);

        Assert.Equal([Mark(5), Mark(7), Mark(9)], _page.Sent.Items);
    }

    [Fact]
    public async Task MarksOneAfterAnother_GoOutOnTheSameTimer_NotAWaitEach()
    {
        // In a busy room every tab asks for a mark every second: one timer per tab, set again for each.
        for (var sequence = 4; sequence <= 6; sequence++)
        {
            await _page.RunAsync(() =>
            {
                _view.Apply(Posted(RoomNames.General, sequence), Time.GetUtcNow());
                ConfirmShown(RoomNames.General);
            });
            await MarkDueAsync();
        }

        Assert.Equal([Mark(4), Mark(5), Mark(6)], await _page.Sent.WaitForCountAsync(3));
        Assert.Equal(1, Time.CreatedTimers);
    }

    [Fact]
    public async Task Dispose_StopsAMarkStillToCome()
    {
        await ScheduleAsync();

        _marks.Dispose();
        Assert.Equal(0, Time.ActiveTimers);
        Time.Advance(ReadMarks.Delay);
        await Task.Delay(50);
        await _page.RunAsync(() => { });

        Assert.Empty(_page.Sent.Items);
    }

    [Fact]
    public async Task NothingNewSinceTheLastMark_SendsNoOther()
    {
        await MarkDueAsync();

        await MarkDueAsync();

        Assert.Equal([Mark(3)], _page.Sent.Items);
    }

    [Fact]
    public async Task AConversationShowingLessThanItsLastMark_IsNotMarkedBelowIt()
    {
        await MarkDueAsync();

        // The view starts the conversation again (back to the latest after paging, say) and goes less far for now.
        _view.Clear();
        LoadLatest(RoomNames.General, 1, 2);
        await MarkDueAsync();

        Assert.Equal([Mark(3)], _page.Sent.Items);
    }

    [Fact]
    public async Task EachConversation_KeepsItsOwnMark()
    {
        await MarkDueAsync();

        _view.Open(Design);
        LoadLatest(Design, 1, 2);
        await ScheduleAsync();
        Time.Advance(ReadMarks.Delay);
        await _page.Sent.WaitForCountAsync(2);

        Assert.Equal([Mark(3), new MarkReadRequest(Design, 2)], _page.Sent.Items);
    }

    [Fact]
    public async Task Forget_AfterANewNamespacesWelcome_MarksItsConversationsAfresh()
    {
        await MarkDueAsync();

        await _page.RunAsync(_marks.Forget);
        await ScheduleAsync();
        Time.Advance(ReadMarks.Delay);
        await _page.Sent.WaitForCountAsync(2);

        Assert.Equal([Mark(3), Mark(3)], _page.Sent.Items);
    }

    [Fact]
    public async Task WhatTheBrowserHasNotConfirmedShowing_IsNotMarked_UntilItDoes()
    {
        await MarkDueAsync();
        // Three more arrive, but the browser is gone (closed, asleep): their render is never acknowledged.
        for (var sequence = 4; sequence <= 6; sequence++)
            _view.Apply(Posted(RoomNames.General, sequence), Time.GetUtcNow());

        await MarkDueAsync();
        Assert.Equal([Mark(3)], _page.Sent.Items);

        // It comes back and shows them.
        ConfirmShown(RoomNames.General);
        await MarkDueAsync();
        Assert.Equal([Mark(3), Mark(6)], _page.Sent.Items);
    }

    [Fact]
    public async Task AConversationWithNothingLoaded_IsNotMarked()
    {
        _view.Open(Design);

        await MarkDueAsync();

        Assert.Empty(_page.Sent.Items);
    }

    [Fact]
    public async Task AMarkDueAfterThePageIsGone_IsNotSent()
    {
        await ScheduleAsync();
        _page.Page.Dispose();

        Time.Advance(ReadMarks.Delay);
        await Task.Delay(50);
        await _page.RunAsync(() => { });

        Assert.Empty(_page.Sent.Items);
        Assert.Empty(_page.Dispatched.Items); // the timer found the page gone and took no turn on its dispatcher
    }

    [Fact]
    public async Task AMarkThatFails_GoesToTheCircuit()
    {
        var failure = new InvalidOperationException("the mark failed");
        _page.Answer = (_, _) => Task.FromException<(EventData?, string?)>(failure);

        await ScheduleAsync();
        Time.Advance(ReadMarks.Delay);

        Assert.Same(failure, (await _page.Failures.WaitForCountAsync(1)).Single());
    }

    private static MarkReadRequest Mark(long sequence) => new(RoomNames.General, sequence);

    // A page loaded and shown: the browser confirmed the render that holds it.
    private void LoadLatest(string conversation, long first, long last)
    {
        _view.ApplyHistory(new HistoryPage(conversation, [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => Message(conversation, i))], HasOlder: false),
            new HistoryRequest(conversation));
        ConfirmShown(conversation);
    }

    private void ConfirmShown(string conversation) => _view.Find(conversation)!.ConfirmShown(_view.Find(conversation)!.LastSequence);

    private static MessagePosted Posted(string room, long sequence) => new(Message(room, sequence));

    private static ChatMessage Message(string room, long sequence) =>
        new(Guid.NewGuid(), room, string.Empty, Bob, $"m{sequence}", DateTimeOffset.UnixEpoch, sequence);
}
