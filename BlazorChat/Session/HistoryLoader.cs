using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// Brings a conversation's history into the view: its latest page when it is first shown (and back to where the person
/// last read, when they missed more), the messages a gap left out before the newer ones show, an older page above, and
/// the latest again after paging back. One load per conversation at a time; a second asked meanwhile is dropped (the
/// first brings what it would have).
/// </summary>
/// <param name="view">The tab's view, which takes the pages.</param>
/// <param name="send">Asks the namespace for history.</param>
/// <param name="page">Whether the page is still there to show a page.</param>
/// <param name="changed">Renders the page after a page was taken.</param>
/// <param name="latestLoaded">The latest page of a conversation was asked for (and is on screen when it came).</param>
public sealed class HistoryLoader(ChatView view, SendRequest send, PageDispatcher page, Action changed, Action latestLoaded)
{
    /// <summary>How many messages one history page brings.</summary>
    public const int PageSize = 50;

    private readonly HashSet<string> _loading = new(StringComparer.Ordinal);

    /// <summary>The latest page of a conversation not loaded yet.</summary>
    public async Task LoadLatestAsync(string conversation)
    {
        if (view.Find(conversation) is { Loaded: true } || !_loading.Add(conversation))
            return;
        try
        {
            await LoadAsync(new HistoryRequest(conversation, Limit: PageSize));
            await LoadMissedAsync(conversation);
            latestLoaded();
        }
        finally
        {
            _loading.Remove(conversation);
        }
    }

    // Back after a while: everything said since the person last read here, not only the latest page (up to the window).
    private async Task LoadMissedAsync(string conversation)
    {
        while (!page.IsDisposed && view.MissedPage(conversation) is { } missed)
        {
            var oldest = view.Find(conversation)?.OldestSequence;
            await LoadAsync(missed);
            if (view.Find(conversation)?.OldestSequence == oldest)
                return; // the page did not come: leave the rest behind "Load older messages"
        }
    }

    /// <summary>
    /// A gap: the messages between what this tab has and what just arrived, before the newer ones show, page after page
    /// until none is left. A page refused (or come for a page that is gone) ends it: asking again at once would bring
    /// the same, and the next message that arrives live tries again.
    /// </summary>
    public async Task CatchUpAsync(string conversation)
    {
        while (view.Find(conversation) is { GapAfter: { } after } && _loading.Add(conversation))
        {
            bool taken;
            try
            {
                taken = await LoadAsync(new HistoryRequest(conversation, After: after, Limit: ChatHandlers.MaxHistoryPage));
            }
            finally
            {
                _loading.Remove(conversation);
            }
            if (!taken)
                return;
        }
    }

    /// <summary>The page before the oldest message on screen.</summary>
    public async Task LoadOlderAsync()
    {
        var conversation = view.CurrentConversation;
        if (!_loading.Add(conversation.Key))
            return;
        try
        {
            await LoadAsync(new HistoryRequest(conversation.Key, Before: conversation.OldestSequence, Limit: PageSize));
        }
        finally
        {
            _loading.Remove(conversation.Key);
        }
    }

    /// <summary>Back from older history: the conversation starts again from its latest page.</summary>
    public async Task JumpToLatestAsync()
    {
        var conversation = view.CurrentConversation;
        conversation.Reset();
        await LoadLatestAsync(conversation.Key);
    }

    /// <summary>A new namespace welcomed the tab: loads under way belong to the last one and block nothing here.</summary>
    public void Forget() => _loading.Clear();

    // Whether the page came and is shown.
    private async Task<bool> LoadAsync(HistoryRequest request)
    {
        var (reply, _) = await send(ChatEvents.History, request);
        if (page.IsDisposed || reply is not HistoryPage history)
            return false;
        view.ApplyHistory(history, request);
        changed();
        return true;
    }
}
