using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// Typing, both ways, for one tab. Out: tells the room when this person types (again at most every
/// <see cref="Refresh"/>) and when they stopped (<see cref="Idle"/> after their last key; a message ends it by
/// itself). In: others' indicators go when they run out, and a change of who is typing renders a moment late
/// (<see cref="RenderDelay"/>), so a message that follows at once renders with it.
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

    /// <summary>How long after the last key "stopped typing" is sent.</summary>
    public static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a change of who is typing waits before it renders: a message that follows within it (the usual end of
    /// typing) renders both at once, in one render batch instead of two.
    /// </summary>
    public static readonly TimeSpan RenderDelay = TimeSpan.FromMilliseconds(150);

    // Checked this long after an indicator's end, so the check finds it past its lifetime.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromMilliseconds(100);

    private DateTimeOffset _sentAt = DateTimeOffset.MinValue;
    private CancellationTokenSource? _idle;
    private bool _expiryScheduled;
    private volatile bool _renderDue; // read by the render timer's callback, off the page's dispatcher
    private ITimer? _renderTimer;
    private ITimer? _expiryTimer;

    /// <summary>A key in the composer: "typing" for the room on screen (not a private conversation), and a new idle wait.</summary>
    public async Task TypingAsync()
    {
        if (view.CurrentConversation.IsDirect)
            return;
        var now = time.GetUtcNow();
        if (now - _sentAt > Refresh)
        {
            _sentAt = now;
            await send(ChatEvents.Typing, new TypingRequest(view.Current, true));
        }
        if (page.IsDisposed)
            return;
        EndIdleWait();
        _idle = new CancellationTokenSource();
        page.Observe(StopAfterIdleAsync(_idle.Token));
    }

    /// <summary>The person's message went out: it ends their indicator on every screen, with no "stopped" to send.</summary>
    public void MessageSent()
    {
        EndIdleWait();
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
        _expiryTimer ??= time.CreateTimer(static state => ((TypingSignals)state!).ExpireDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _expiryTimer.Change((wait > TimeSpan.Zero ? wait : TimeSpan.Zero) + ExpiryMargin, Timeout.InfiniteTimeSpan);
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
        _renderTimer ??= time.CreateTimer(static state => ((TypingSignals)state!).RenderIfDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _renderTimer.Change(RenderDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A render showed the typing line as it is now: the one due later has nothing left to show.</summary>
    public void Shown() => _renderDue = false;

    public void Dispose()
    {
        EndIdleWait();
        _renderTimer?.Dispose();
        _expiryTimer?.Dispose();
    }

    private async Task StopAfterIdleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Idle, time, cancellationToken);
            await page.InvokeAsync(StopAsync);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task StopAsync()
    {
        EndIdleWait();
        if (_sentAt == DateTimeOffset.MinValue || page.IsDisposed)
            return;
        _sentAt = DateTimeOffset.MinValue;
        await send(ChatEvents.Typing, new TypingRequest(view.Current, false));
    }

    // Cancel runs the wait's callbacks before it returns, so the source can go at once.
    private void EndIdleWait()
    {
        if (_idle is not { } idle)
            return;
        _idle = null;
        idle.Cancel();
        idle.Dispose();
    }

    // On the timer's thread: the check, on the page's dispatcher, then the next one if someone is still typing.
    private void ExpireDue()
    {
        if (page.IsDisposed)
            return;
        page.Observe(page.InvokeAsync(() =>
        {
            _expiryScheduled = false;
            if (page.IsDisposed)
                return;
            // The line renders only when one of the indicators that went was on screen.
            if (view.DropExpiredTyping(time.GetUtcNow()))
                show(ViewChange.Typing);
            SomeoneTyping();
        }));
    }

    // On the timer's thread: a render since showed the line, or the page is gone, and there is nothing to do.
    private void RenderIfDue()
    {
        if (!_renderDue || page.IsDisposed)
            return;
        page.Observe(page.InvokeAsync(() =>
        {
            if (page.IsDisposed || !_renderDue)
                return; // shown meanwhile, with whatever came
            show(ViewChange.Transcript | ViewChange.Typing);
        }));
    }
}
