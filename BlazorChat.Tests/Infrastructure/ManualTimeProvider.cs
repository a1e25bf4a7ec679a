namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when a test says so, and timers that fire only inside <see cref="Advance"/>, on the
/// test's thread, in due order. (Microsoft.Extensions.TimeProvider.Testing is not served by this machine's registry;
/// this is the small part of it the tests need.)
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;
    private int _created;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers created and not yet disposed, whether due or not.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_gate)
                return _timers.Count(t => t.Due is not null);
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
            return _now;
    }

    /// <summary>Timers created since this clock was made, disposed or not.</summary>
    public int CreatedTimers
    {
        get
        {
            lock (_gate)
                return _created;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_gate)
        {
            _timers.Add(timer);
            _created++;
        }
        return timer;
    }

    /// <summary>Moves the clock on by <paramref name="by"/>, firing every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset until;
        lock (_gate)
            until = _now + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } due && due <= until).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = until;
                    return;
                }
                _now = next.Due!.Value;
                next.Due = next.Period is { } period ? _now + period : null;
            }
            // Outside the lock: a callback may create, change or dispose timers.
            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
            }
            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                Due = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
