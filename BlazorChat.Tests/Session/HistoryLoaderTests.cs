namespace BlazorChat.Tests.Session;

/// <summary>
/// History into the view, against a store the test answers for: the latest page once, a gap filled page after page
/// before the newer messages show, older pages above, the latest again after paging back, one load per conversation
/// at a time, and nothing shown for a page that is gone.
/// </summary>
public sealed class HistoryLoaderTests
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");

    private readonly TestPage _page = new();
    private readonly ChatView _view = new();
    private readonly Recorded<string> _calls = new();
    private readonly HistoryLoader _history;
    private List<ChatMessage> _stored = [];

    public HistoryLoaderTests()
    {
        _view.Apply(new NamespaceWelcome("/", "c.1", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General]),
            DateTimeOffset.UnixEpoch);
        _page.Answer = (_, request) => Task.FromResult<(EventData?, string?)>((Answer((HistoryRequest)request), null));
        _history = new HistoryLoader(_view, _page.Send, _page.Page, () => _calls.Add("changed"), () => _calls.Add("latest loaded"));
    }

    private Conversation General => _view.Find(RoomNames.General)!;

    private IReadOnlyList<HistoryRequest> Requests => [.. _page.Sent.Items.Cast<HistoryRequest>()];

    [Fact]
    public async Task LoadLatest_ShowsTheLatestPage_RendersIt_AndSaysSo()
    {
        Store(120);

        await LoadLatestAsync();

        Assert.Equal([new HistoryRequest(RoomNames.General, Limit: HistoryLoader.PageSize)], Requests);
        Assert.Equal(Texts(71, 120), ChatLines.Texts(General.Lines));
        Assert.True(General.HasOlder);
        Assert.Equal(["changed", "latest loaded"], _calls.Items);
    }

    [Fact]
    public async Task LoadLatest_BackAfterMissingMoreThanAPage_BringsEverythingSinceThePersonLastRead()
    {
        Store(100);
        ComeBack(readUpTo: 20, unread: 80);

        await LoadLatestAsync();

        Assert.Equal([new HistoryRequest(RoomNames.General, Limit: HistoryLoader.PageSize), new HistoryRequest(RoomNames.General, Before: 51, Limit: 30)],
            Requests);
        Assert.Equal(Texts(21, 100), ChatLines.Texts(General.Lines));
        Assert.Equal(["changed", "changed", "latest loaded"], _calls.Items);
    }

    [Fact]
    public async Task LoadLatest_AMissedPageThatDoesNotCome_LeavesTheRestBehindLoadOlder()
    {
        Store(100);
        ComeBack(readUpTo: 20, unread: 80);
        var answer = _page.Answer;
        // Refused from the second request on; a loop that asked again would never end: the test's store gives up.
        _page.Answer = (eventName, request) => _page.Sent.Count > 5 ? throw new InvalidOperationException("asked again and again")
            : _page.Sent.Count > 1 ? Task.FromResult<(EventData?, string?)>((null, "refused"))
            : answer(eventName, request);

        await LoadLatestAsync();

        Assert.Equal(2, Requests.Count);
        Assert.Equal(Texts(51, 100), ChatLines.Texts(General.Lines));
        Assert.True(General.HasOlder);
    }

    [Fact]
    public async Task LoadLatest_OfAConversationAlreadyLoaded_AsksNothing()
    {
        Store(3);
        await LoadLatestAsync();

        await LoadLatestAsync();

        Assert.Single(Requests);
    }

    [Fact]
    public async Task ASecondLoadOfAConversationWhileOneIsUnderWay_IsDropped()
    {
        Store(120);
        var (held, first) = await StartHeldLoadAsync();

        var second = LoadLatestAsync();
        var older = _page.RunAsync(_history.LoadOlderAsync);
        held.SetResult();
        await Task.WhenAll(first, second, older);

        Assert.Single(Requests);
        Assert.Equal(Texts(71, 120), ChatLines.Texts(General.Lines));
    }

    [Fact]
    public async Task Forget_LetsTheNewNamespacesLoadStart_WhileOneOfTheLastIsUnderWay()
    {
        Store(3);
        var (held, first) = await StartHeldLoadAsync();

        await _page.RunAsync(_history.Forget);
        var second = LoadLatestAsync();
        held.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(2, Requests.Count);
    }

    [Fact]
    public async Task LoadOlder_ShowsThePageBeforeTheOldestAbove()
    {
        Store(120);
        await LoadLatestAsync();

        await _page.RunAsync(_history.LoadOlderAsync);

        Assert.Equal(new HistoryRequest(RoomNames.General, Before: 71, Limit: HistoryLoader.PageSize), Requests[^1]);
        Assert.Equal(Texts(21, 120), ChatLines.Texts(General.Lines));
        Assert.Equal(["changed", "latest loaded", "changed"], _calls.Items);
    }

    [Fact]
    public async Task JumpToLatest_StartsTheConversationAgainFromItsLatestPage()
    {
        Store(120);
        await LoadLatestAsync();
        await _page.RunAsync(_history.LoadOlderAsync);

        await _page.RunAsync(_history.JumpToLatestAsync);

        Assert.Equal(new HistoryRequest(RoomNames.General, Limit: HistoryLoader.PageSize), Requests[^1]);
        Assert.Equal(Texts(71, 120), ChatLines.Texts(General.Lines));
    }

    [Fact]
    public async Task CatchUp_FillsAGapPageAfterPage_UntilNoneIsLeft_ThenShowsWhatWaited()
    {
        var last = ChatView.MaxLinesPerConversation - 10; // a gap of more than one page, all of it within the window
        var max = ChatHandlers.MaxHistoryPage;
        Assert.True(last - 4 > max, "the gap fits in one page");
        Store(3);
        await LoadLatestAsync();
        Store(last);
        _view.Apply(new MessagePosted(_stored[^1]), DateTimeOffset.UnixEpoch); // the last arrives live; 4 to the one before did not
        Assert.Equal(3, General.GapAfter);

        await _page.RunAsync(() => _history.CatchUpAsync(RoomNames.General));

        var pages = new List<long>();
        for (long after = 3; after < last - 1; after += max)
            pages.Add(after);
        Assert.Equal(pages, Requests.Skip(1).Select(r => r.After!.Value));
        Assert.All(Requests.Skip(1), r => Assert.Equal(max, r.Limit));
        Assert.Null(General.GapAfter);
        Assert.Equal(Texts(1, last), ChatLines.Texts(General.Lines));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CatchUp_ThatBringsNothing_IsNotAskedForAgainAndAgain(bool pageGone)
    {
        Store(3);
        await LoadLatestAsync();
        Store(450);
        _view.Apply(new MessagePosted(_stored[^1]), DateTimeOffset.UnixEpoch);
        var answer = _page.Answer;
        // Refused (the person was signed out meanwhile, say), or answered for a page that is gone. A loop that asked
        // again would never end: the test's store gives up after a few.
        _page.Answer = (eventName, request) => _page.Sent.Count > 5 ? throw new InvalidOperationException("asked again and again")
            : pageGone ? answer(eventName, request)
            : Task.FromResult<(EventData?, string?)>((null, "refused"));
        if (pageGone)
            _page.Page.Dispose();

        await _page.RunAsync(() => _history.CatchUpAsync(RoomNames.General));

        Assert.Equal(2, Requests.Count);
        Assert.Equal(3, General.GapAfter); // the next message that arrives live tries again
    }

    [Fact]
    public async Task AfterItsNodeMissedDeliveries_TheTabFetchesWhatFollowsItsLastMessage_InOrder_EachOnce()
    {
        Store(3);
        await LoadLatestAsync();
        Store(10); // 4 to 10 were sent while this tab's node did not hear the others: none arrived live

        _view.Apply(new DeliveriesMissed("/"), DateTimeOffset.UnixEpoch);
        Assert.Equal([RoomNames.General], _view.ConversationsToCatchUp);
        await _page.RunAsync(() => _history.CatchUpAsync(RoomNames.General));

        Assert.Equal(new HistoryRequest(RoomNames.General, After: 3, Limit: ChatHandlers.MaxHistoryPage), Requests[^1]);
        Assert.Equal(Texts(1, 10), ChatLines.Texts(General.Lines));
        Assert.Null(General.GapAfter);
        // One that was on its way after all arrives late: shown once.
        _view.Apply(new MessagePosted(_stored[7]), DateTimeOffset.UnixEpoch);
        Assert.Equal(Texts(1, 10), ChatLines.Texts(General.Lines));
    }

    [Fact]
    public void DeliveriesMissed_InAConversationNeverLoaded_WaitsForItsFirstLoad()
    {
        _view.Apply(new DeliveriesMissed("/"), DateTimeOffset.UnixEpoch);

        Assert.Empty(_view.ConversationsToCatchUp);
        Assert.Null(General.GapAfter);
    }

    [Fact]
    public async Task CatchUp_WithoutAGap_AsksNothing()
    {
        Store(3);
        await LoadLatestAsync();

        await _page.RunAsync(() => _history.CatchUpAsync(RoomNames.General));

        Assert.Single(Requests);
    }

    [Fact]
    public async Task APageThatComesAfterThePageIsGone_IsNotShown()
    {
        Store(3);
        var (held, load) = await StartHeldLoadAsync();

        _page.Page.Dispose();
        held.SetResult();
        await load;

        Assert.Empty(General.Lines);
        Assert.DoesNotContain("changed", _calls.Items);
    }

    // The person comes back to #general: they had read it up to readUpTo, and unread more were said meanwhile.
    private void ComeBack(long readUpTo, long unread) =>
        _view.Apply(new NamespaceWelcome("/", "c.2", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General],
            Unread: [new UnreadConversation(RoomNames.General, null, unread, readUpTo)]), DateTimeOffset.UnixEpoch);

    // Messages 1 to count in #general, as the store has them.
    private void Store(int count) =>
        _stored = [.. Enumerable.Range(1, count).Select(i => new ChatMessage(IdOf(i), RoomNames.General, string.Empty, Bob, $"m{i}", DateTimeOffset.UnixEpoch, i))];

    // The same sequence is the same message (same id), as the store would return it again.
    private static Guid IdOf(long sequence) => new((int)sequence, 0, 0, new byte[8]);

    // What the store answers: the messages after a sequence, or the last ones before one, oldest first.
    private HistoryPage Answer(HistoryRequest request)
    {
        var page = request.After is { } after
            ? _stored.Where(m => m.Sequence > after).Take(request.Limit).ToList()
            : _stored.Where(m => m.Sequence < request.Before).TakeLast(request.Limit).ToList();
        return new HistoryPage(request.Conversation, page, HasOlder: page.Count > 0 && _stored[0].Sequence < page[0].Sequence);
    }

    private Task LoadLatestAsync() => _page.RunAsync(() => _history.LoadLatestAsync(RoomNames.General));

    // A load of #general's latest page, asked and still waiting for the store until the test completes Held.
    private async Task<(TaskCompletionSource Held, Task Load)> StartHeldLoadAsync()
    {
        var held = Hold();
        var load = LoadLatestAsync();
        await _page.Sent.WaitForCountAsync(1);
        return (held, load);
    }

    // The next answers wait until the returned source is completed: a slow store.
    private TaskCompletionSource Hold()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = _page.Answer;
        _page.Answer = async (eventName, request) =>
        {
            await held.Task;
            return await answer(eventName, request);
        };
        return held;
    }

    private static IEnumerable<string> Texts(int first, int last) => Enumerable.Range(first, last - first + 1).Select(i => $"m{i}");
}
