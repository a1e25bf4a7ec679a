namespace BlazorChat.Monitoring;

/// <summary>What happened on this node, for an operator's live event log.</summary>
/// <param name="Kind">One of the <see cref="ChatEventRing"/> kinds (<see cref="ChatEventRing.Connected"/>…).</param>
/// <param name="Namespace">The namespace, when the event belongs to one.</param>
/// <param name="ConnectionId">The connection (or tab) it concerns, when one.</param>
/// <param name="PersonId">The person's user id, when known.</param>
/// <param name="Detail">Words for the operator: a display name, a reason, what was limited.</param>
public sealed record MonitoredEvent(DateTimeOffset At, string Kind, string? Namespace, string? ConnectionId, string? PersonId, string? Detail)
{
    /// <summary>The node it happened on, when it came from another node's ring (null: this node).</summary>
    public string? Node { get; init; }
}

/// <summary>
/// The monitoring seam for an event feed: the latest <see cref="Capacity"/> events of this node (connects, disconnects,
/// circuits, room joins and leaves, rate-limit refusals), oldest first, and a subscription to new ones. Bounded: it never grows with traffic.
/// Subscribers are called outside the lock, each in its own try/catch, so a broken one cannot stop the others or the
/// code that recorded the event.
/// </summary>
public sealed class ChatEventRing
{
    public const int DefaultCapacity = 1000;

    public const string Connected = "connected", Disconnected = "disconnected", CircuitOpened = "circuit opened",
        CircuitClosed = "circuit closed", RateLimited = "rate limited", Joined = "joined room", Left = "left room",
        AdminAction = "admin action", Refused = "connection refused";

    private readonly Lock _gate = new();
    private readonly MonitoredEvent?[] _items;
    private readonly TimeProvider _time;
    private Action<MonitoredEvent>[] _subscribers = [];
    private int _next;
    private long _total;

    public ChatEventRing() : this(DefaultCapacity, TimeProvider.System)
    {
    }

    public ChatEventRing(int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new MonitoredEvent?[capacity];
        _time = time;
    }

    public int Capacity => _items.Length;

    /// <summary>Every event recorded since the node started, including those the ring no longer holds.</summary>
    public long Total
    {
        get
        {
            lock (_gate)
                return _total;
        }
    }

    /// <summary>Records an event now.</summary>
    public void Record(string kind, string? @namespace = null, string? connectionId = null, string? personId = null, string? detail = null) =>
        Record(new MonitoredEvent(_time.GetUtcNow(), kind, @namespace, connectionId, personId, detail));

    public void Record(MonitoredEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Action<MonitoredEvent>[] subscribers;
        lock (_gate)
        {
            _items[_next] = item;
            _next = (_next + 1) % _items.Length;
            _total++;
            subscribers = _subscribers;
        }
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(item);
            }
            catch
            {
                // One broken listener (a dashboard's circuit that went away) must not break the chat or the other listeners.
            }
        }
    }

    /// <summary>The events the ring holds, oldest first.</summary>
    public IReadOnlyList<MonitoredEvent> Snapshot()
    {
        lock (_gate)
        {
            var held = (int)Math.Min(_total, _items.Length);
            var result = new MonitoredEvent[held];
            var start = (_next - held + _items.Length) % _items.Length;
            for (var i = 0; i < held; i++)
                result[i] = _items[(start + i) % _items.Length]!;
            return result;
        }
    }

    /// <summary>
    /// The events held that came after the <paramref name="after"/>-th (the <see cref="Total"/> a previous call returned;
    /// negative: none seen yet), at most the newest <paramref name="max"/> of them, oldest first; and the total now, to
    /// ask with next time. Events the ring no longer holds are gone: a reader that fell behind skips them. An
    /// <paramref name="after"/> above the total (this node started again since) counts as none seen.
    /// </summary>
    public (IReadOnlyList<MonitoredEvent> Events, long Total) Since(long after, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 0);
        lock (_gate)
        {
            var held = (int)Math.Min(_total, _items.Length);
            // More seen than recorded: the node started again since (its count with it); all it holds is new.
            var unseen = after < 0 || after > _total ? held : _total - after;
            var fresh = (int)Math.Min(Math.Min(held, unseen), max);
            var result = new MonitoredEvent[fresh];
            var start = (_next - fresh + _items.Length) % _items.Length;
            for (var i = 0; i < fresh; i++)
                result[i] = _items[(start + i) % _items.Length]!;
            return (result, _total);
        }
    }

    /// <summary>Calls <paramref name="handler"/> with every event recorded from now on, until the subscription is disposed.</summary>
    public IDisposable Subscribe(Action<MonitoredEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _subscribers = [.. _subscribers, handler];
        return new Subscription(this, handler);
    }

    private void Unsubscribe(Action<MonitoredEvent> handler)
    {
        lock (_gate)
            _subscribers = [.. _subscribers.Where(s => s != handler)];
    }

    private sealed class Subscription(ChatEventRing ring, Action<MonitoredEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                ring.Unsubscribe(handler);
        }
    }
}
