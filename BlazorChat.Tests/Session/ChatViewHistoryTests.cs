namespace BlazorChat.Tests.Session;

/// <summary>
/// How a tab's conversations hold messages by their store sequence: duplicates shown once, gaps held back until
/// caught up, history pages merged (latest, catch-up, older), a bounded window, and unread counts.
/// </summary>
public sealed class ChatViewHistoryTests
{
    private const string Design = "design";
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly int Max = ChatView.MaxLinesPerConversation;
    private static readonly string AdaBob = RoomNames.DirectConversation(Ada.UserId, Bob.UserId);

    private readonly ChatView _view = new();

    public ChatViewHistoryTests() =>
        _view.Apply(new NamespaceWelcome("/", "c.1", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General, Design]), Now);

    private Conversation General => _view.Find(RoomNames.General)!;

    // ---- duplicates ----

    [Fact]
    public void Live_TheSameMessageTwice_IsShownOnce()
    {
        var posted = Posted(1);

        _view.Apply(posted, Now);
        _view.Apply(posted with { }, Now);

        Assert.Equal([posted], General.Lines);
    }

    [Fact]
    public void Live_AnotherIdWithASequenceAlreadyShown_IsNotShown()
    {
        LoadLatest(RoomNames.General, Page(1, 3));

        _view.Apply(Posted(2, text: "an impostor for 2"), Now);

        Assert.Equal(["m1", "m2", "m3"], ChatLines.Texts(General.Lines));
    }

    [Fact]
    public void LatestPage_ContainingMessagesAlreadyShown_ShowsEachOnce()
    {
        var live = Posted(3);
        _view.Apply(live, Now);

        LoadLatest(RoomNames.General, [.. Page(1, 2), live.Message]);
        LoadLatest(RoomNames.General, Page(1, 3));

        Assert.Equal([1L, 2L, 3L], ChatLines.Sequences(General.Lines));
    }

    // ---- order and the latest page ----

    [Fact]
    public void Live_BeforeTheLatestPageIsLoaded_IsShownInSequenceOrderWithoutWaiting()
    {
        _view.Apply(Posted(12), Now);
        _view.Apply(Posted(10), Now);

        Assert.Equal([10L, 12L], ChatLines.Sequences(General.Lines));
        Assert.Null(General.GapAfter);
        Assert.False(General.Loaded);
    }

    [Fact]
    public void LatestPage_WithLiveMessagesThatArrivedBeforeIt_MergesIntoOneOrderedRun()
    {
        // The page was asked for, and messages 11 and 12 arrived live before it came back (11 is in both).
        _view.Apply(Posted(11), Now);
        _view.Apply(Posted(12), Now);

        LoadLatest(RoomNames.General, Page(1, 11), hasOlder: false);

        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), ChatLines.Sequences(General.Lines));
        Assert.True(General.Loaded);
        Assert.Equal(12, General.LastSequence);
        Assert.Equal(1, General.OldestSequence);
        Assert.False(General.HasOlder);
        Assert.Null(General.GapAfter);
    }

    [Fact]
    public void Live_NextSequenceAfterTheLatestPage_IsShownAtOnce()
    {
        LoadLatest(RoomNames.General, Page(1, 3));

        _view.Apply(Posted(4), Now);

        Assert.Equal([1L, 2L, 3L, 4L], ChatLines.Sequences(General.Lines));
        Assert.Equal(4, General.LastSequence);
    }

    // ---- gaps and catch-up ----

    [Fact]
    public void Live_AfterAGap_WaitsAndAsksForTheMessagesAfterTheLastOneShown()
    {
        LoadLatest(RoomNames.General, Page(1, 3));

        _view.Apply(Posted(5), Now);
        _view.Apply(Posted(6), Now);

        Assert.Equal([1L, 2L, 3L], ChatLines.Sequences(General.Lines));
        Assert.Equal(3, General.GapAfter);
        Assert.Equal(3, General.LastSequence);
    }

    [Fact]
    public void CatchUp_FillingTheGap_ShowsItThenWhatWaitedInOrder()
    {
        LoadLatest(RoomNames.General, Page(1, 3));
        _view.Apply(Posted(6), Now);
        _view.Apply(Posted(5), Now);

        CatchUp(RoomNames.General, after: 3, limit: 200, Page(4, 6));

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], ChatLines.Sequences(General.Lines));
        Assert.Null(General.GapAfter);
        Assert.Equal(6, General.LastSequence);
    }

    [Fact]
    public void CatchUp_OnlyTheMissingOne_ReleasesWhatWaitedBehindIt()
    {
        LoadLatest(RoomNames.General, Page(1, 3));
        _view.Apply(Posted(5), Now);
        _view.Apply(Posted(6), Now);

        CatchUp(RoomNames.General, after: 3, limit: 1, Page(4, 4));

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], ChatLines.Sequences(General.Lines));
        Assert.Null(General.GapAfter);
    }

    [Fact]
    public void CatchUp_AFullPageThatDoesNotReachWhatWaits_LeavesTheGapOpenFurtherOn()
    {
        LoadLatest(RoomNames.General, Page(1, 3));
        _view.Apply(Posted(10), Now);

        CatchUp(RoomNames.General, after: 3, limit: 3, Page(4, 6));

        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], ChatLines.Sequences(General.Lines));
        Assert.Equal(6, General.GapAfter);

        CatchUp(RoomNames.General, after: 6, limit: 3, Page(7, 9));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), ChatLines.Sequences(General.Lines));
        Assert.Null(General.GapAfter);
        Assert.Equal(10, General.LastSequence);
    }

    [Fact]
    public void CatchUp_ShorterThanAskedWithANumberThatNeverCame_ReleasesWhatWaits()
    {
        LoadLatest(RoomNames.General, Page(1, 3));
        _view.Apply(Posted(6), Now);

        // 5 was never stored (its sender's append failed after taking the number, say): the store has only 4.
        CatchUp(RoomNames.General, after: 3, limit: 200, Page(4, 4));

        Assert.Equal([1L, 2L, 3L, 4L, 6L], ChatLines.Sequences(General.Lines));
        Assert.Null(General.GapAfter);
        Assert.Equal(6, General.LastSequence);

        _view.Apply(Posted(7), Now);
        Assert.Equal(7, ChatLines.Sequences(General.Lines)[^1]);
    }

    [Fact]
    public void CatchUp_IncludingAMessageThatWaited_ShowsItOnce()
    {
        LoadLatest(RoomNames.General, Page(1, 3));
        var waiting = Posted(5);
        _view.Apply(waiting, Now);

        CatchUp(RoomNames.General, after: 3, limit: 200, [Message(4), waiting.Message]);

        Assert.Equal([1L, 2L, 3L, 4L, 5L], ChatLines.Sequences(General.Lines));
    }

    [Fact]
    public void LatestPage_WhileMessagesWait_ShowsThemAllAndClosesTheGap()
    {
        LoadLatest(RoomNames.General, Page(1, 3));
        _view.Apply(Posted(8), Now);

        LoadLatest(RoomNames.General, Page(3, 7));

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), ChatLines.Sequences(General.Lines));
        Assert.Null(General.GapAfter);
    }

    // ---- older pages and the bounded window ----

    [Fact]
    public void OlderPage_IsShownAboveInOrder()
    {
        LoadLatest(RoomNames.General, Page(51, 100), hasOlder: true);

        LoadOlder(RoomNames.General, before: 51, Page(1, 50), hasOlder: false);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), ChatLines.Sequences(General.Lines));
        Assert.False(General.HasOlder);
        Assert.False(General.Detached);
        Assert.Equal(1, General.OldestSequence);
    }

    /// <summary>
    /// A page that reloaded itself after its node crashed: people come back to the chat between its latest page and the
    /// older ones it loads next (what it missed), and each arrival is a notice under the latest page. The older page goes
    /// above the latest, not under the notice (it did, so the latest page showed above the older ones).
    /// </summary>
    [Fact]
    public void OlderPage_AfterANoticeArrivedUnderTheLatestPage_IsShownAboveTheLatestPage()
    {
        var cy = new Person("user-cy", "Cy");
        LoadLatest(RoomNames.General, Page(51, 100), hasOlder: true);
        _view.Apply(new PersonJoined("/", cy, Now), Now);

        LoadOlder(RoomNames.General, before: 51, Page(1, 50), hasOlder: false);

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), ChatLines.Sequences(General.Lines));
        Assert.Equal(new PersonJoined("/", cy, Now), General.Lines[^1]); // the notice stays where it arrived: after m100
    }

    [Fact]
    public void Live_AfterANotice_IsShownAfterIt()
    {
        var cy = new Person("user-cy", "Cy");
        LoadLatest(RoomNames.General, Page(51, 100), hasOlder: true);
        _view.Apply(new PersonJoined("/", cy, Now), Now);

        _view.Apply(Posted(101), Now);

        Assert.IsType<PersonJoined>(General.Lines[^2]);
        Assert.Equal(101, ChatLines.MessageOf(General.Lines[^1])!.Sequence);
    }

    [Fact]
    public void OlderPage_PastTheBound_LetsTheNewestGoAndDetaches()
    {
        LoadLatest(RoomNames.General, Page(1001 - Max, 1000), hasOlder: true);

        LoadOlder(RoomNames.General, before: 1001 - Max, Page(951 - Max, 1000 - Max), hasOlder: true);

        var sequences = ChatLines.Sequences(General.Lines);
        Assert.Equal(Max, sequences.Count);
        Assert.Equal(951 - Max, sequences[0]);
        Assert.Equal(950, sequences[^1]);
        Assert.True(General.Detached);
        Assert.True(General.HasOlder);
    }

    [Fact]
    public void Live_WhileDetached_IsNotShownUntilTheJumpToLatestReloads()
    {
        LoadLatest(RoomNames.General, Page(1001 - Max, 1000), hasOlder: true);
        LoadOlder(RoomNames.General, before: 1001 - Max, Page(951 - Max, 1000 - Max), hasOlder: true);

        _view.Apply(Posted(1001), Now);
        Assert.DoesNotContain(1001L, ChatLines.Sequences(General.Lines));

        // Jump to latest: a fresh latest page replaces the older window.
        LoadLatest(RoomNames.General, Page(952, 1001), hasOlder: true);

        Assert.Equal(Enumerable.Range(952, 50).Select(i => (long)i), ChatLines.Sequences(General.Lines));
        Assert.False(General.Detached);
        Assert.Equal(1001, General.LastSequence);
        _view.Apply(Posted(1002), Now);
        Assert.Equal(1002, ChatLines.Sequences(General.Lines)[^1]);
    }

    [Fact]
    public void Live_BeyondTheBound_DropsTheOldestAndOffersOlder()
    {
        LoadLatest(RoomNames.General, Page(1, Max), hasOlder: false);
        Assert.False(General.HasOlder);

        _view.Apply(Posted(Max + 1), Now);

        // A batch of the oldest goes at once (Conversation.TrimBatch: 25 of 500), not one line with every message.
        var batch = Conversation.TrimBatch(Max);
        var sequences = ChatLines.Sequences(General.Lines);
        Assert.Equal(Max + 1 - batch, sequences.Count);
        Assert.Equal((batch + 1L, Max + 1L), (sequences[0], sequences[^1]));
        Assert.True(General.HasOlder);
        Assert.Equal(batch + 1, General.OldestSequence);
        Assert.False(General.Detached);

        // The next messages fill the window again without letting any go, until it is over its bound once more.
        for (var next = Max + 2; next <= Max + batch; next++)
            _view.Apply(Posted(next), Now);
        Assert.Equal(Max, General.Lines.Count);
        Assert.Equal(batch + 1, General.OldestSequence);
        _view.Apply(Posted(Max + batch + 1), Now);
        Assert.Equal(Max + 1 - batch, General.Lines.Count);
        Assert.Equal(2 * batch + 1, General.OldestSequence);
    }

    // ---- back after a while: what was missed ----

    [Fact]
    public void AWelcomeWithUnreadInTheConversationOnScreen_MarksWhereThePersonLeftOff()
    {
        ComeBack(readUpTo: 120, unread: 80);

        Assert.Equal(120, General.MissedAfter);
        Assert.Equal(80, General.MissedCount);
        Assert.Equal(0, General.Unread); // on screen: it is being read, not counted
    }

    [Fact]
    public void MissedPage_AfterTheLatestPage_AsksForTheOlderOnesBackToTheReadMark_AndNoMore()
    {
        ComeBack(readUpTo: 120, unread: 80);
        LoadLatest(RoomNames.General, Page(151, 200), hasOlder: true);

        var request = _view.MissedPage(RoomNames.General);

        Assert.Equal(new HistoryRequest(RoomNames.General, Before: 151, Limit: 30), request);
        LoadOlder(RoomNames.General, 151, Page(121, 150), hasOlder: true);
        Assert.Null(_view.MissedPage(RoomNames.General)); // 121..200: everything after the read mark is on screen
    }

    [Fact]
    public void MissedPage_MoreMissedThanTheWindowHolds_StopsAtTheWindow()
    {
        ComeBack(readUpTo: 0, unread: 2_000);
        LoadLatest(RoomNames.General, Page(1_951, 2_000), hasOlder: true);

        var pages = 0;
        while (_view.MissedPage(RoomNames.General) is { } request)
        {
            Assert.True(++pages < 10, "never stopped");
            Assert.InRange(request.Limit, 1, ChatHandlers.MaxHistoryPage);
            LoadOlder(RoomNames.General, request.Before, Page(request.Before - request.Limit, request.Before - 1), hasOlder: true);
        }

        Assert.Equal(Max, General.Lines.Count);
        Assert.False(General.Detached); // the newest are still there; the rest waits behind "Load older messages"
        Assert.True(General.HasOlder);
    }

    [Fact]
    public void NothingMissed_NoMarkAndNoExtraPage()
    {
        ComeBack(readUpTo: 200, unread: 0);
        LoadLatest(RoomNames.General, Page(151, 200), hasOlder: true);

        Assert.Null(General.MissedAfter);
        Assert.Null(_view.MissedPage(RoomNames.General));
    }

    [Fact]
    public void MovingOnToAnotherConversation_ClearsTheMark_AndCountsTheOtherOnesUnread()
    {
        _view.Apply(new NamespaceWelcome("/", "c.2", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General, Design],
            Unread: [new UnreadConversation(RoomNames.General, null, 5, 10), new UnreadConversation(Design, null, 3, 40)]), Now);

        _view.Open(Design);

        Assert.Null(General.MissedAfter);
        Assert.Equal(40, _view.Find(Design)!.MissedAfter);
    }

    private void ComeBack(long readUpTo, long unread) =>
        _view.Apply(new NamespaceWelcome("/", "c.2", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General, Design],
            Unread: [new UnreadConversation(RoomNames.General, null, unread, readUpTo)]), Now);

    // ---- private conversations ----

    [Fact]
    public void PrivateHistory_BecomesPrivateLinesAddressedToTheOtherPerson()
    {
        _view.OpenDirect(Bob);

        _view.ApplyHistory(new HistoryPage(AdaBob, [Message(1, Bob, AdaBob), Message(2, Ada, AdaBob)], HasOlder: false), new HistoryRequest(AdaBob));

        var lines = _view.Find(AdaBob)!.Lines.Cast<DirectPosted>().ToList();
        Assert.Equal([(Bob, Ada), (Ada, Bob)], lines.Select(d => (d.Message.Sender, d.To)));
    }

    // ---- unread ----

    [Fact]
    public void Unread_CountsOthersMessagesInConversationsNotOnScreen()
    {
        _view.Apply(Posted(1, Bob, Design), Now);
        _view.Apply(Posted(2, Ada, Design), Now); // from my other tab
        _view.Apply(Posted(1, Bob), Now);         // on screen
        _view.Apply(Direct(1, Bob), Now);

        Assert.Equal(1, _view.UnreadIn(Design));
        Assert.Equal(0, _view.UnreadIn(RoomNames.General));
        Assert.Equal(1, _view.UnreadIn(AdaBob));
    }

    [Fact]
    public void Unread_AMessageWaitingBehindAGap_CountsAlready()
    {
        LoadLatest(Design, Page(1, 3, room: Design));

        _view.Apply(Posted(5, Bob, Design), Now);

        Assert.Equal(1, _view.UnreadIn(Design));
        Assert.Equal(3, _view.Find(Design)!.GapAfter);
    }

    [Fact]
    public void Unread_ADuplicateOfAMessageWaitingBehindAGap_CountsOnce()
    {
        LoadLatest(Design, Page(1, 3, room: Design));
        var waiting = Posted(5, Bob, Design);

        _view.Apply(waiting, Now);
        _view.Apply(waiting with { }, Now); // a retry of the same message

        Assert.Equal(1, _view.UnreadIn(Design));
    }

    [Fact]
    public void Unread_InADetachedConversationNotOnScreen_CountsEachNewMessageOnce()
    {
        LoadLatest(Design, Page(1001 - Max, 1000, room: Design), hasOlder: true);
        LoadOlder(Design, before: 1001 - Max, Page(951 - Max, 1000 - Max, room: Design), hasOlder: true);
        Assert.True(_view.Find(Design)!.Detached);
        var posted = Posted(1001, Bob, Design);

        _view.Apply(posted, Now);
        _view.Apply(posted with { }, Now);
        _view.Apply(Posted(1002, Bob, Design), Now);

        Assert.Equal(2, _view.UnreadIn(Design));
    }

    [Fact]
    public void Unread_ADuplicate_CountsOnce()
    {
        var posted = Posted(1, Bob, Design);

        _view.Apply(posted, Now);
        _view.Apply(posted with { }, Now);
        _view.Apply(Posted(1, Bob, Design, text: "same number, other id"), Now);

        Assert.Equal(1, _view.UnreadIn(Design));
    }

    [Fact]
    public void Welcome_WithUnreadConversations_CountsThemExceptTheOneOnScreen()
    {
        _view.Clear();

        _view.Apply(new NamespaceWelcome("/", "c.2", Ada, [Ada], [new RoomSummary(RoomNames.General, 1)], [RoomNames.General, Design],
            [
                new UnreadConversation(AdaBob, Bob, Unread: 3, ReadUpTo: 1),
                new UnreadConversation(Design, null, Unread: 2, ReadUpTo: 7),
                new UnreadConversation(RoomNames.General, null, Unread: 5, ReadUpTo: 0),
            ]), Now);

        Assert.Equal(3, _view.UnreadIn(AdaBob));
        Assert.Equal(2, _view.UnreadIn(Design));
        Assert.Equal(0, _view.UnreadIn(RoomNames.General));
        var direct = Assert.Single(_view.DirectConversations);
        Assert.Equal((AdaBob, Bob, "Bob"), (direct.Key, direct.With, direct.Title));
    }

    [Fact]
    public void Welcome_WithUnreadHugeCounts_DoesNotOverflow()
    {
        _view.Apply(new NamespaceWelcome("/", "c.2", Ada, [Ada], [], [RoomNames.General],
            [new UnreadConversation(Design, null, Unread: long.MaxValue, ReadUpTo: 0)]), Now);

        Assert.Equal(int.MaxValue, _view.UnreadIn(Design));
    }

    [Fact]
    public void Clear_ForgetsLoadedConversationsAndTrackedMessages()
    {
        LoadLatest(RoomNames.General, Page(1, 3));
        _view.Track(new OutgoingMessage(Guid.NewGuid(), RoomNames.General, "mine", DeliveryState.Sent));

        _view.Clear();

        Assert.Null(_view.Find(RoomNames.General));
        Assert.Empty(_view.Outgoing);
        Assert.Empty(_view.CurrentConversation.Lines);
        Assert.False(_view.CurrentConversation.Loaded);
    }

    private void LoadLatest(string conversation, IReadOnlyList<ChatMessage> messages, bool hasOlder = false) =>
        _view.ApplyHistory(new HistoryPage(conversation, messages, hasOlder), new HistoryRequest(conversation));

    private void CatchUp(string conversation, long after, int limit, IReadOnlyList<ChatMessage> messages) =>
        _view.ApplyHistory(new HistoryPage(conversation, messages, HasOlder: true), new HistoryRequest(conversation, After: after, Limit: limit));

    private void LoadOlder(string conversation, long before, IReadOnlyList<ChatMessage> messages, bool hasOlder) =>
        _view.ApplyHistory(new HistoryPage(conversation, messages, hasOlder), new HistoryRequest(conversation, Before: before));

    // The same sequence in the same conversation is the same message (same id), as the store would return it.
    private static Guid IdOf(string conversation, long sequence, string text) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{conversation}#{sequence}#{text}")));

    private static ChatMessage Message(long sequence, Person? sender = null, string room = RoomNames.General, string? text = null)
    {
        var body = text ?? $"m{sequence}";
        return new ChatMessage(IdOf(room, sequence, body), room, string.Empty, sender ?? Bob, body, Now, sequence);
    }

    private static List<ChatMessage> Page(long first, long last, string room = RoomNames.General) =>
        [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => Message(i, room: room))];

    private static MessagePosted Posted(long sequence, Person? sender = null, string room = RoomNames.General, string? text = null) =>
        new(Message(sequence, sender, room, text));

    private static DirectPosted Direct(long sequence, Person sender) =>
        new(Message(sequence, sender, AdaBob), sender == Ada ? Bob : Ada);
}
