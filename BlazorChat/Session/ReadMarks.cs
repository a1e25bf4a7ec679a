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
    private bool _scheduled;
    private ITimer? _timer;

    /// <summary>Something new is on screen: its mark goes out within <see cref="Delay"/> (one pending at a time).</summary>
    /// <remarks>
    /// On one timer per tab, set again for each mark: a wait of its own each time (its timer, task and state machine) lived a
    /// second, long enough to outlive a young-generation collection now and then, and in a busy room every tab made one
    /// every second (2,239 found dead in a soak's server's generation 1 after 105 s).
    /// </remarks>
    public void Schedule()
    {
        if (_scheduled)
            return;
        _scheduled = true;
        _timer ??= time.CreateTimer(static state => ((ReadMarks)state!).MarkDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(Delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A new namespace welcomed the tab: what was marked belonged to the last one.</summary>
    public void Forget() => _marked.Clear();

    /// <summary>The page is gone: a mark still to come is not sent.</summary>
    public void Dispose() => _timer?.Dispose();

    // On the timer's thread: the mark, on the page's dispatcher.
    private void MarkDue()
    {
        if (page.IsDisposed)
            return;
        page.Observe(page.InvokeAsync(async () =>
        {
            _scheduled = false;
            var conversation = view.CurrentConversation;
            var upTo = conversation.ShownUpTo;
            if (page.IsDisposed || upTo == 0 || _marked.GetValueOrDefault(conversation.Key) >= upTo)
                return;
            _marked[conversation.Key] = upTo;
            await send(ChatEvents.MarkRead, new MarkReadRequest(conversation.Key, upTo));
        }));
    }
}
