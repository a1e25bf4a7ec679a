using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// Typing, both ways, for one tab. Out: tells the room a moment after this person types (<see cref="SendDelay"/>; again at
/// most every <see cref="Refresh"/>), not at all when their message goes out first, and when they stopped
/// (<see cref="Idle"/> after their last key; a message ends it by itself). In: others' indicators go when they run out,
/// and a change of who is typing renders a moment late (<see cref="RenderDelay"/>), so a message that follows at once
/// renders with it.
/// </summary>
/// <param name="view">The tab's view: the conversation on screen, and others' indicators.</param>
/// <param name="send">Sends the typing requests.</param>
/// <param name="time">The page's clock.</param>
/// <param name="page">The page's dispatcher, and where failures of the waits go.</param>
/// <param name="show">Renders what changed (the page's part renders).</param>
public sealed class TypingSignals(ChatView view, SendRequest send, TimeProvider time, PageDispatcher page, Action<ViewChange> show)
    : IDisposable
{
    /// <summary>How long a "typing" sent holds before a key sends it again.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a "typing" waits before it goes out: a message sent meanwhile (a short reply, a paste sent at once) ends the
    /// typing before anyone was told, and the room hears only the message.
    /// </summary>
    /// <remarks>
    /// Sent at once, that "typing" would reach every member's tab (a turn on its dispatcher, its view, a timer set) just
    /// ahead of the message: in a room of 1,000, a thousand deliveries for an indicator nobody sees, each queued before the
    /// message's. Waiting here costs the one tab that types a timer set again (<see cref="PageTimer"/>); a person typing a
    /// sentence is shown typing this much later, under a fifth of a second.
    /// </remarks>
    public static readonly TimeSpan SendDelay = TimeSpan.FromMilliseconds(150);

    /// <summary>How long after the last key "stopped typing" is sent.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a change of who is typing waits before it renders: a message that follows within it (the usual end of
    /// typing) renders both at once, in one render batch instead of two.
    /// </summary>
    public static readonly TimeSpan RenderDelay = TimeSpan.FromMilliseconds(150);

    // Checked this long after an indicator's end, so the check finds it past its lifetime.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMilliseconds(100);

    private DateTimeOffset _sentAt = DateTimeOffset.MinValue; // when the last "typing" was set to go out
    private string _typedIn = ""; // the room of the last "typing", gone out or still to go
    private bool _typingDue; // that "typing" is still to go out (SendDelay)
    private bool _expiryScheduled;
    private volatile bool _renderDue; // read by the render timer's callback, off the page's dispatcher
    private PageTimer? _sendTimer;
    private PageTimer? _idleTimer;
    private PageTimer? _renderTimer;
    private PageTimer? _expiryTimer;

    /// <summary>
    /// A key in the composer: "typing" for the room on screen (not a private conversation) goes out after
    /// <see cref="SendDelay"/>, and the idle wait begins again.
    /// </summary>
    /// <remarks>
    /// Each of the page's waits is one timer set again (<see cref="PageTimer"/>): a person typing a sentence presses
    /// several keys a second, and a wait of its own for each key lived the three seconds of <see cref="Idle"/>.
    /// </remarks>
    public Task TypingAsync()
    {
        if (view.CurrentConversation.IsDirect || page.IsDisposed)
            return Task.CompletedTask;
        var now = time.GetUtcNow();
        if (now - _sentAt > Refresh)
        {
            _sentAt = now;
            _typedIn = view.Current;
            _typingDue = true;
            (_sendTimer ??= new PageTimer(time, page, SendTypingAsync)).Set(SendDelay);
        }
        (_idleTimer ??= new PageTimer(time, page, StopAsync)).Set(Idle);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The person's message went out: it ends their indicator on every screen, with no "stopped" to send, and a "typing"
    /// still to go out never does.
    /// </summary>
    public void MessageSent()
    {
        _idleTimer?.Cancel();
        CallOffTyping();
        _sentAt = DateTimeOffset.MinValue;
    }

    /// <summary>Someone else's indicator came: it goes when it runs out (one check pending at a time).</summary>
    /// <remarks>
    /// On one timer per tab, set again for each check, as <see cref="ShowSoon"/>'s: a wait of its own each time (its timer,
    /// task and state machine) lived the few seconds an indicator holds, long enough to outlive a young-generation
    /// collection, and in a busy room every tab made one every few seconds (2,579 found dead in the oldest generation of a
    /// soak's server after 200 s, 1.5 MB).
    /// </remarks>
    public void SomeoneTyping()
    {
        if (_expiryScheduled || view.NextTypingExpiry is not { } next)
            return;
        _expiryScheduled = true;
        var wait = next - time.GetUtcNow();
        (_expiryTimer ??= new PageTimer(time, page, ExpireDue)).Set((wait > TimeSpan.Zero ? wait : TimeSpan.Zero) + ExpiryMargin);
    }

    /// <summary>Only who is typing changed: the typing line renders after <see cref="RenderDelay"/>, with whatever came meanwhile.</summary>
    /// <remarks>
    /// One timer per tab, set again each time, not a wait of its own each time: in a busy room every member's tab hears
    /// a typing signal before each message, and the wait (its timer, its task, its state machine) was made and dropped
    /// for each. When the message's render showed the line meanwhile (<see cref="Shown"/>, the usual case), the timer
    /// finds nothing due and leaves the page's dispatcher alone.
    /// </remarks>
    public void ShowSoon()
    {
        if (_renderDue)
            return;
        _renderDue = true;
        (_renderTimer ??= new PageTimer(time, page, RenderIfDue, wanted: () => _renderDue)).Set(RenderDelay);
    }

    /// <summary>A render showed the typing line as it is now: the one due later has nothing left to show.</summary>
    public void Shown() => _renderDue = false;

    public void Dispose()
    {
        _sendTimer?.Dispose();
        _idleTimer?.Dispose();
        _renderTimer?.Dispose();
        _expiryTimer?.Dispose();
    }

    // On the page's dispatcher, Idle after the last key.
    private async Task StopAsync()
    {
        if (_sentAt == DateTimeOffset.MinValue)
            return;
        _sentAt = DateTimeOffset.MinValue;
        // A "typing" that never went out needs no "stopped" either.
        if (CallOffTyping())
            return;
        await send(ChatEvents.Typing, new TypingRequest(_typedIn, false));
    }

    // On the page's dispatcher, SendDelay after the key: unless a message went out meanwhile.
    private async Task SendTypingAsync()
    {
        if (!_typingDue)
            return;
        _typingDue = false;
        await send(ChatEvents.Typing, new TypingRequest(_typedIn, true));
    }

    // Whether a "typing" was still to go out (it will not now).
    private bool CallOffTyping()
    {
        if (!_typingDue)
            return false;
        _typingDue = false;
        _sendTimer?.Cancel();
        return true;
    }

    // On the page's dispatcher: the indicators that ran out go, and the next check is set if someone is still typing.
    private void ExpireDue()
    {
        _expiryScheduled = false;
        // The line renders only when one of the indicators that went was on screen.
        if (view.DropExpiredTyping(time.GetUtcNow()))
            show(ViewChange.Typing);
        SomeoneTyping();
    }

    // On the page's dispatcher, when no render showed the line meanwhile (the timer asks first, and leaves the dispatcher
    // alone when one did).
    private void RenderIfDue()
    {
        if (_renderDue)
            show(ViewChange.Transcript | ViewChange.Typing);
    }
}
