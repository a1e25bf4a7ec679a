using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BlazorChat.Monitoring;

/// <summary>
/// The chat's meter (<see cref="MeterName"/>): every instrument is made once, here, and recorded where the work
/// happens (circuit handler, namespaces, the fan-out, the send and acknowledgement paths, the stores). Read them with
/// <c>dotnet-counters monitor -n BlazorChat --counters BlazorChat</c>, or scrape them from <c>/metrics</c> when the
/// Prometheus endpoint is on (<see cref="MonitoringOptions"/>). The README's "Health and metrics" lists each one.
/// </summary>
/// <remarks>
/// Recording is on hot paths (a broadcast to a thousand tabs, every stored message): each call is one
/// <c>Add</c>/<c>Record</c> with its tags as a <see cref="KeyValuePair{TKey, TValue}"/> of strings already made: no
/// array, no closure and no LINQ per call. With nobody listening an instrument's <c>Add</c> returns at once.
/// </remarks>
public sealed class ChatMetrics : BlazorChat.Chat.IRateLimitObserver
{
    /// <summary>The meter's name: what dotnet-counters and the OpenTelemetry exporter listen to.</summary>
    public const string MeterName = "BlazorChat";

    /// <summary>Message kinds (the <c>kind</c> tag of <see cref="Messages"/>).</summary>
    public const string RoomMessage = "room", DirectMessage = "direct";

    /// <summary>Store engines (the <c>store</c> tag of <see cref="StoreCommitDuration"/>).</summary>
    public const string SqliteStore = "sqlite", PostgresStore = "postgres";

    /// <summary>Outcomes of a message's acknowledgements (the <c>outcome</c> tag of <see cref="AckDuration"/>).</summary>
    public const string AllAcknowledged = "all", SomeMissing = "partial";

    // Every boundary an acknowledgement or a commit is likely to fall near: a render on loopback (ms), a busy room (tens
    // of ms), a slow tab up to the acknowledgement timeout (5 s by default).
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Lock _gate = new();
    private IBacklogSource[] _backlogSources = [];
    private IBacklogSource[] _clusterBacklogSources = [];

    private readonly ChatEventRing? _events;

    /// <param name="events">Where rate-limit refusals are also recorded for the event feed; nowhere when null.</param>
    public ChatMetrics(IMeterFactory meters, ChatEventRing? events = null)
    {
        _events = events;
        Meter = meters.Create(MeterName);
        Connections = Meter.CreateUpDownCounter<long>("blazorchat.connections", "{connection}",
            "Connections (a tab in a namespace) open on this node.");
        Circuits = Meter.CreateUpDownCounter<long>("blazorchat.circuits", "{circuit}",
            "Blazor circuits (browser tabs) open on this node.");
        Messages = Meter.CreateCounter<long>("blazorchat.messages", "{message}",
            "Messages stored and published by this node (kind: room or direct).");
        Deliveries = Meter.CreateCounter<long>("blazorchat.deliveries", "{delivery}",
            "Events handed to connections on this node by broadcasts, one per recipient (event: the event's name).");
        AckDuration = Meter.CreateHistogram("blazorchat.message.ack.duration", "s",
            "From publishing a message until every recipient rendered it, or the acknowledgement timeout (outcome: all or partial).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        StoreCommitDuration = Meter.CreateHistogram("blazorchat.store.commit.duration", "s",
            "One group commit of the message store: its transaction from begin to commit (store: sqlite or postgres).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        RateLimitRefusals = Meter.CreateCounter<long>("blazorchat.ratelimit.refusals", "{refusal}",
            "Requests refused because their person was over a rate limit (kind: what was limited).");
        Meter.CreateObservableGauge("blazorchat.outbox.backlog", ObserveBacklog, "{event}",
            "Events waiting in connections' outboxes on this node, not yet handed to their circuits.");
        Meter.CreateObservableGauge("blazorchat.cluster.publish.backlog", () => Sum(_clusterBacklogSources), "{message}",
            "Messages this node has published to the other nodes that wait for their turn on the PostgreSQL bus (0 on one node).");
    }

    /// <summary>The meter every instrument belongs to (tests listen to this one only).</summary>
    public Meter Meter { get; }

    public UpDownCounter<long> Connections { get; }

    public UpDownCounter<long> Circuits { get; }

    public Counter<long> Messages { get; }

    public Counter<long> Deliveries { get; }

    public Histogram<double> AckDuration { get; }

    public Histogram<double> StoreCommitDuration { get; }

    public Counter<long> RateLimitRefusals { get; }

    public void CircuitOpened() => Circuits.Add(1);

    public void CircuitClosed() => Circuits.Add(-1);

    public void ConnectionOpened()
    {
        Connections.Add(1);
        Interlocked.Increment(ref _openConnections);
    }

    public void ConnectionClosed()
    {
        Connections.Add(-1);
        Interlocked.Decrement(ref _openConnections);
    }

    // Plain totals beside the instruments, so the dashboard's sampler reads them without a MeterListener.
    private long _openConnections;
    private long _messagesStored;

    /// <summary>The connections open on this node now.</summary>
    public long OpenConnections => Interlocked.Read(ref _openConnections);

    /// <summary>The messages stored on this node since it started.</summary>
    public long MessagesStoredTotal => Interlocked.Read(ref _messagesStored);

    /// <summary>A message was stored and is on its way out; <paramref name="kind"/> is <see cref="RoomMessage"/> or <see cref="DirectMessage"/>.</summary>
    public void MessageStored(string kind)
    {
        Messages.Add(1, new KeyValuePair<string, object?>("kind", kind));
        Interlocked.Increment(ref _messagesStored);
    }

    /// <summary>A broadcast handed <paramref name="event"/> to <paramref name="count"/> connections: one call per broadcast, not per recipient.</summary>
    public void Delivered(string @event, int count)
    {
        if (count > 0)
            Deliveries.Add(count, new KeyValuePair<string, object?>("event", @event));
    }

    /// <summary>
    /// A message's acknowledgements are in (or the timeout passed) <paramref name="startTimestamp"/> (from
    /// <see cref="Stopwatch.GetTimestamp"/>) after it was published.
    /// </summary>
    public void AcknowledgementsIn(long startTimestamp, bool all) =>
        AckDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds,
            new KeyValuePair<string, object?>("outcome", all ? AllAcknowledged : SomeMissing));

    /// <summary>A store's transaction committed (or failed) <paramref name="startTimestamp"/> after it began.</summary>
    public void StoreCommitted(string store, long startTimestamp) =>
        StoreCommitDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("store", store));

    /// <summary>
    /// A request was refused by a rate limit: <see cref="BlazorChat.Chat.ChatRateLimiter"/> calls this with what was
    /// limited (<c>messages</c>, <c>typing</c>, <c>joins</c>, <c>private-rooms</c>).
    /// </summary>
    public void RateLimitRefused(string kind)
    {
        RateLimitRefusals.Add(1, new KeyValuePair<string, object?>("kind", kind));
        _events?.Record(ChatEventRing.RateLimited, detail: kind);
    }

    /// <summary>Adds a source of outbox backlog (the chat server registers itself): what <c>blazorchat.outbox.backlog</c> sums.</summary>
    public void AddBacklogSource(IBacklogSource source)
    {
        lock (_gate)
            Volatile.Write(ref _backlogSources, [.. _backlogSources, source]);
    }

    /// <summary>Adds a source of messages waiting to go to the other nodes (a multi-node adapter's factory): what <c>blazorchat.cluster.publish.backlog</c> sums.</summary>
    public void AddClusterBacklogSource(IBacklogSource source)
    {
        lock (_gate)
            Volatile.Write(ref _clusterBacklogSources, [.. _clusterBacklogSources, source]);
    }

    // On a scrape or a dotnet-counters tick, not on a hot path.
    private long ObserveBacklog() => Sum(_backlogSources);

    private static long Sum(IBacklogSource[] sources)
    {
        long total = 0;
        foreach (var source in Volatile.Read(ref sources))
            total += source.Backlog;
        return total;
    }
}

/// <summary>Something with events waiting to go out (a node's connections' outboxes): the monitoring seam for backlog.</summary>
public interface IBacklogSource
{
    /// <summary>Events queued and not yet handed on, now.</summary>
    long Backlog { get; }
}
