using Npgsql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// A node's beat in the cluster's database: <paramref name="beatOnce"/> every <see cref="ClusterTiming.Interval"/>, then
/// <paramref name="afterBeat"/> (what waited for the database to answer again), never two at once: with a slow or absent
/// database a beat is skipped, not piled up. Whatever must not act before this node has beaten once (its rows would not
/// count, or a sweep would take them) awaits <see cref="FirstBeatAsync"/>. The cluster's per-node tables
/// (<see cref="PostgresNameClaims"/>, <see cref="PostgresCircuitPlaces"/>) each beat with one.
/// </summary>
/// <param name="time">The clock the beats follow.</param>
/// <param name="interval">How often the node beats.</param>
/// <param name="beatOnce">One beat: says the node is alive (and sweeps what other nodes left).</param>
/// <param name="afterBeat">After a beat on the timer: writes what failed while the database was away.</param>
/// <param name="beatFailed">A beat on the timer could not reach the database (not called once stopping).</param>
public sealed class NodeHeartbeat(TimeProvider time, TimeSpan interval, Func<CancellationToken, Task> beatOnce,
    Func<CancellationToken, Task> afterBeat, Action<Exception> beatFailed)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _beating = Task.CompletedTask;
    private Task? _first;
    private ITimer? _timer;

    /// <summary>Starts beating: the first beat on the timer comes after one interval.</summary>
    public void Start()
    {
        lock (_gate)
            _timer ??= time.CreateTimer(static state => ((NodeHeartbeat)state!).Beat(), this, interval, interval);
    }

    /// <summary>
    /// Completes once this node has beaten once: the first call beats at once, and a call after a first beat that failed
    /// beats again.
    /// </summary>
    public Task FirstBeatAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_first is null || _first.IsFaulted || _first.IsCanceled)
                _first = beatOnce(_stopping.Token);
            return _first.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops beating, and waits for a beat on its way.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        ITimer? timer;
        lock (_gate)
            timer = _timer;
        if (timer is not null)
            await timer.DisposeAsync();
        Task beating;
        lock (_gate)
            beating = _beating;
        await beating;
        _stopping.Dispose();
    }

    /// <summary>Whether <paramref name="exception"/> says the database did not answer.</summary>
    public static bool IsUnreachable(Exception exception) =>
        exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException;

    private void Beat()
    {
        lock (_gate)
        {
            if (!_beating.IsCompleted || _stopping.IsCancellationRequested)
                return; // the last one is still at it (a slow or absent database): no pile-up
            _beating = BeatSafelyAsync(_stopping.Token);
        }
    }

    private async Task BeatSafelyAsync(CancellationToken stopping)
    {
        try
        {
            await beatOnce(stopping);
            await afterBeat(stopping);
        }
        catch (Exception ex) when (IsUnreachable(ex) || ex is OperationCanceledException)
        {
            if (!stopping.IsCancellationRequested)
                beatFailed(ex);
        }
    }
}
