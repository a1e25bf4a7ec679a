namespace BlazorChat.Session;

/// <summary>
/// One timer of the page's, set again for each wait: when it runs out, <c>due</c> runs on the page's dispatcher, unless
/// the page is gone or <c>wanted</c> (asked on the timer's thread) says there is nothing left to do, in which case the
/// dispatcher is left alone. A wait of its own each time (its timer, task, state machine and continuation) lives as long
/// as it waits, a second or a few here, long enough to outlive a young-generation collection now and then; in a busy room
/// every member's tab waits like this every second or few, so the page keeps one timer per kind of wait and sets it again.
/// </summary>
/// <param name="time">The page's clock.</param>
/// <param name="page">The page's dispatcher, and where a failure of <paramref name="due"/> goes.</param>
/// <param name="due">What runs when the wait is over, on the page's dispatcher.</param>
/// <param name="wanted">Asked on the timer's thread first, when given: false, and nothing runs.</param>
public sealed class PageTimer(TimeProvider time, PageDispatcher page, Func<Task> due, Func<bool>? wanted = null) : IDisposable
{
    private ITimer? _timer;

    /// <inheritdoc cref="PageTimer(TimeProvider, PageDispatcher, Func{Task}, Func{bool}?)"/>
    public PageTimer(TimeProvider time, PageDispatcher page, Action due, Func<bool>? wanted = null)
        : this(time, page, () =>
        {
            due();
            return Task.CompletedTask;
        }, wanted)
    {
    }

    /// <summary>Runs out <paramref name="after"/> from now, whether or not it was already set: the last call counts.</summary>
    public void Set(TimeSpan after)
    {
        _timer ??= time.CreateTimer(static state => ((PageTimer)state!).RanOut(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(after > TimeSpan.Zero ? after : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The wait set is called off: nothing runs until it is set again.</summary>
    public void Cancel() => _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>The page is gone: a wait still set never runs.</summary>
    public void Dispose() => _timer?.Dispose();

    // On the timer's thread.
    private void RanOut()
    {
        if (page.IsDisposed || wanted?.Invoke() == false)
            return;
        page.Observe(page.InvokeAsync(() => page.IsDisposed ? Task.CompletedTask : due()));
    }
}
