namespace BlazorChat.Components.Ops;

/// <summary>
/// The dashboard's clock, one per open dashboard: while <see cref="On"/>, every <see cref="Interval"/> it asks each panel
/// that listens to load what it shows again (one query per panel per tick; a tick that finds the last one still running
/// is skipped, so a slow cluster cannot pile them up). The live event log needs none: it is pushed.
/// </summary>
public sealed class OpsRefresh : IDisposable
{
    /// <summary>The key of a <see cref="TimeProvider"/> service that drives the clock instead of the system's (tests register one).</summary>
    public const string ClockKey = "ops-refresh";

    /// <summary>How often the panels reload while auto-refresh is on.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private Func<Task>[] _listeners = [];
    private int _ticking;

    public OpsRefresh(TimeProvider time) => _timer = time.CreateTimer(_ => _ = TickAsync(), null, Interval, Interval);

    /// <summary>Whether the panels reload by themselves.</summary>
    public bool On { get; set; } = true;

    /// <summary>Calls <paramref name="reload"/> on every tick while on, until the subscription is disposed.</summary>
    public IDisposable Subscribe(Func<Task> reload)
    {
        lock (_gate)
            _listeners = [.. _listeners, reload];
        return new Subscription(this, reload);
    }

    /// <summary>Reloads every listening panel now (what the timer does), unless a tick is still running.</summary>
    public async Task TickAsync()
    {
        if (!On || Interlocked.Exchange(ref _ticking, 1) == 1)
            return;
        try
        {
            foreach (var reload in Volatile.Read(ref _listeners))
            {
                try
                {
                    await reload();
                }
                catch
                {
                    // A panel that failed shows its own error; the others still reload.
                }
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
            _listeners = [];
    }

    private sealed class Subscription(OpsRefresh owner, Func<Task> reload) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate)
                owner._listeners = [.. owner._listeners.Where(l => l != reload)];
        }
    }
}
