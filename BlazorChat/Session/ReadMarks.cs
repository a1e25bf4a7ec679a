using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// Tells the server how far the person has read the conversation on screen, as far as their browser confirmed showing it
/// (<see cref="Conversation.ShownUpTo"/>): at most once per <see cref="Delay"/>,
/// however fast messages come (one store write per reader per second, not per message), never a mark at or below one
/// this tab already sent for that conversation, and never through a cancelled timer (a mark pending simply comes).
/// </summary>
/// <param name="view">The tab's view: the conversation on screen and how far it goes.</param>
/// <param name="send">Sends the read marks.</param>
/// <param name="time">The page's clock.</param>
/// <param name="page">The page's dispatcher, and where a failed mark goes.</param>
public sealed class ReadMarks(ChatView view, SendRequest send, TimeProvider time, PageDispatcher page) : IDisposable
{
    /// <summary>How long after something new on screen its mark goes out; more that comes meanwhile goes with it.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, long> _marked = new(StringComparer.Ordinal);
    private PageTimer? _timer;
    private bool _scheduled;

    /// <summary>Something new is on screen: its mark goes out within <see cref="Delay"/> (one pending at a time).</summary>
    /// <remarks>
    /// On the page's one timer for marks (<see cref="PageTimer"/>), set again for each: in a busy room every tab marks
    /// every second (a wait of its own each time: 2,239 found dead in a soak's server's generation 1 after 105 s).
    /// </remarks>
    public void Schedule()
    {
        if (_scheduled)
            return;
        _scheduled = true;
        (_timer ??= new PageTimer(time, page, MarkAsync)).Set(Delay);
    }

    /// <summary>A new namespace welcomed the tab: what was marked belonged to the last one.</summary>
    public void Forget() => _marked.Clear();

    /// <summary>The page is gone: a mark still to come is not sent.</summary>
    public void Dispose() => _timer?.Dispose();

    // On the page's dispatcher, the page still there.
    private async Task MarkAsync()
    {
        _scheduled = false;
        var conversation = view.CurrentConversation;
        var upTo = conversation.ShownUpTo;
        if (upTo == 0 || _marked.GetValueOrDefault(conversation.Key) >= upTo)
            return;
        _marked[conversation.Key] = upTo;
        await send(ChatEvents.MarkRead, new MarkReadRequest(conversation.Key, upTo));
    }
}
