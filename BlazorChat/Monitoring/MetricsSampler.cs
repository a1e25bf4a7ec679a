namespace BlazorChat.Monitoring;

/// <summary>One sample: connections open on this node and messages stored per second since the previous sample.</summary>
public sealed record MetricsSample(DateTimeOffset At, long Connections, double MessagesPerSecond);

/// <summary>
/// Records one <see cref="MetricsSample"/> every <see cref="Interval"/> into a bounded buffer (the last hour by
/// default), from <see cref="ChatMetrics"/>' plain totals: cheap enough to run always. The dashboard's charts read
/// <see cref="Samples"/>.
/// </summary>
public sealed class MetricsSampler(ChatMetrics metrics, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>An hour of samples.</summary>
    public const int Capacity = 360;

    private readonly Lock _gate = new();
    private readonly Queue<MetricsSample> _samples = new(Capacity);
    private long _lastMessages = -1;
    private DateTimeOffset _lastAt;

    /// <summary>The samples held, oldest first.</summary>
    public IReadOnlyList<MetricsSample> Samples
    {
        get
        {
            lock (_gate)
                return [.. _samples];
        }
    }

    public MetricsSample? Latest
    {
        get
        {
            lock (_gate)
                return _samples.Count == 0 ? null : _samples.Last();
        }
    }

    /// <summary>Takes a sample now (the timer calls it; tests call it directly).</summary>
    public MetricsSample Sample()
    {
        var now = time.GetUtcNow();
        var messages = metrics.MessagesStoredTotal;
        lock (_gate)
        {
            var seconds = (now - _lastAt).TotalSeconds;
            var rate = _lastMessages < 0 || seconds <= 0 ? 0 : (messages - _lastMessages) / seconds;
            _lastMessages = messages;
            _lastAt = now;
            var sample = new MetricsSample(now, metrics.OpenConnections, rate);
            if (_samples.Count == Capacity)
                _samples.Dequeue();
            _samples.Enqueue(sample);
            return sample;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        Sample();
        while (await timer.WaitForNextTickAsync(stoppingToken))
            Sample();
    }
}
