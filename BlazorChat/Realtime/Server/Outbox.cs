using System.Collections.Concurrent;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Realtime.Server;

/// <summary>
/// One connection's way out: events reach its client handler one at a time, in the order they were posted, on the
/// thread pool. Posting enqueues a struct and, when the outbox was idle, queues the outbox itself as the thread
/// pool's work item: no allocation and no task per event, so a broadcast costs each recipient an enqueue (as
/// SignalR's group send costs each connection a write into its pipe). A handler that completes synchronously (the
/// usual case: a circuit takes the event onto its own dispatcher) lets the drain go straight on to the next event;
/// one that does not is awaited before the next, and a slow or broken recipient holds up only itself.
/// </summary>
internal sealed class Outbox : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<Delivery> _queue = new();
    private readonly ClientHandler _client;
    private readonly Action<Packet, Exception> _onFailure;
    private readonly Action _resume;
    private Task? _awaited;
    private Packet? _awaitedPacket;
    private Delivery _first; // the event that woke an idle outbox: kept here, not queued (read only by the drain it woke)
    private bool _hasFirst;
    private int _draining; // 1 from the post that queued a drain until that drain finds the queue empty
    private int _queued; // how many are in _queue: counted here, beside _draining, so a post need not look into the queue
    private volatile bool _stopped;

    public Outbox(ClientHandler client, Action<Packet, Exception> onFailure)
    {
        _client = client;
        _onFailure = onFailure;
        _resume = ResumeAfterAwait;
    }

    /// <summary>Nothing waiting and nothing in flight: the client is keeping up.</summary>
    public bool IsIdle => Volatile.Read(ref _draining) == 0 && Volatile.Read(ref _queued) == 0;

    /// <summary>About how many events are waiting (a metrics scrape reads it while the drain runs: an estimate).</summary>
    public int Backlog => Math.Max(0, Volatile.Read(ref _queued)) + (Volatile.Read(ref _hasFirst) ? 1 : 0);

    /// <summary>
    /// Queues an event. A volatile one is dropped when it comes to its turn with newer events behind it: those go
    /// first, and a stale typing indicator is not worth a render.
    /// </summary>
    public void Post(Packet packet, AckReply? ack, bool isVolatile = false)
    {
        if (_stopped)
            return;
        var delivery = new Delivery(packet, ack, isVolatile);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            // This post wakes the outbox. When nothing is queued this is next: the drain it wakes takes it first, and
            // no queue is touched. Otherwise (posts racing a drain that was just finishing) it goes behind them.
            if (Volatile.Read(ref _queued) == 0)
                (_first, _hasFirst) = (delivery, true);
            else
                Enqueue(delivery);
            Schedule();
            return;
        }
        // A drain is queued or running, and takes this after everything posted before it; unless it finished between
        // the exchange above and this enqueue, having found the queue empty: then this post wakes the outbox.
        Enqueue(delivery);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
            Schedule();
    }

    private void Enqueue(Delivery delivery)
    {
        _queue.Enqueue(delivery);
        Interlocked.Increment(ref _queued);
    }

    private void Schedule()
    {
        if (!DeliveryBatch.TryDefer(this))
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    /// <summary>Delivers nothing more, not even what is already queued: the connection has left.</summary>
    public void Stop()
    {
        _stopped = true;
        Clear();
    }

    // What was queued goes, and its count with it (a drain racing this may take one more and count it off: below zero
    // only while stopped, when nothing is posted any more).
    private void Clear()
    {
        _queue.Clear();
        Volatile.Write(ref _queued, 0);
    }

    private bool TryTake(out Delivery delivery)
    {
        if (_hasFirst)
        {
            (delivery, _first, _hasFirst) = (_first, default, false);
            return true;
        }
        if (Volatile.Read(ref _queued) != 0 && _queue.TryDequeue(out delivery))
        {
            Interlocked.Decrement(ref _queued);
            return true;
        }
        delivery = default;
        return false;
    }

    void IThreadPoolWorkItem.Execute() => Drain();

    private void Drain()
    {
        while (true)
        {
            while (!_stopped && TryTake(out var delivery))
            {
                if (delivery.IsVolatile && Volatile.Read(ref _queued) != 0)
                    continue;
                Task task;
                try
                {
                    task = _client(delivery.Packet, delivery.Ack);
                }
                catch (Exception ex)
                {
                    Fail(delivery.Packet, ex);
                    continue;
                }
                if (!task.IsCompleted)
                {
                    // The next event waits for this one; the drain goes on from the thread pool when it completes.
                    (_awaited, _awaitedPacket) = (task, delivery.Packet);
                    task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_resume);
                    return;
                }
                FailIfUnsuccessful(task, delivery.Packet);
            }
            if (_stopped)
            {
                Clear();
                (_first, _hasFirst) = (default, false);
            }
            // A full fence (not a plain volatile write): a post's enqueue then exchange, and this exchange then look at the
            // queue, cannot both miss each other, so an event is never left queued with no drain to take it.
            Interlocked.Exchange(ref _draining, 0);
            if (Volatile.Read(ref _queued) == 0 || _stopped || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
                return;
        }
    }

    // Not inline on the thread that completed the handler's task (that may be a circuit's dispatcher): queued.
    private void ResumeAfterAwait()
    {
        var (task, packet) = (_awaited!, _awaitedPacket!);
        (_awaited, _awaitedPacket) = (null, null);
        FailIfUnsuccessful(task, packet);
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true); // still draining: no batch to join
    }

    private void FailIfUnsuccessful(Task task, Packet packet)
    {
        if (task.IsFaulted)
            Fail(packet, task.Exception!.InnerException ?? task.Exception!);
        else if (task.IsCanceled)
            Fail(packet, new TaskCanceledException(task));
    }

    // A broken client handler breaks only this delivery, never the outbox or other connections; one that fails
    // because its connection just left is not worth a warning.
    private void Fail(Packet packet, Exception exception)
    {
        if (!_stopped)
            _onFailure(packet, exception);
    }

    private readonly record struct Delivery(Packet Packet, AckReply? Ack, bool IsVolatile);
}
