using System.Collections.Concurrent;

namespace BlazorChat.Realtime.Adapters;

/// <summary>
/// Schedules the connections a broadcast wakes up in chunks, instead of queuing each one to the thread pool as it is
/// reached: a broadcast to a thousand connections costs each of them an enqueue into its own outbox and a slot in a
/// chunk, and the thread pool gets one work item per <see cref="ChunkSize"/> connections, which drain on every core.
/// Chunks are reused, so a broadcast allocates nothing per recipient. A recipient whose handler blocks its thread
/// (it should not: a circuit's handler hands the event to its own dispatcher) delays the rest of its chunk only until a
/// watchdog, which looks every <see cref="StallCheckInterval"/>, sees the chunk make no progress and has another thread
/// take over the rest. Adapters open one around a delivery loop:
/// <code>using (DeliveryBatch.Open()) { foreach (...) endpoint.Deliver(packet, isVolatile); }</code>
/// </summary>
public sealed class DeliveryBatch : IDisposable
{
    /// <summary>At most this many connections in one work item: one slow recipient holds up only the rest of its chunk.</summary>
    public const int ChunkSize = 32;

    /// <summary>How often the watchdog looks for chunks stuck behind a recipient that blocks its thread.</summary>
    public static readonly TimeSpan StallCheckInterval = TimeSpan.FromMilliseconds(50);

    private static readonly ConcurrentQueue<Chunk> FreeChunks = new();
    private static readonly List<Chunk> AllChunks = []; // every chunk ever made (they are reused): what the watchdog looks at
    private static readonly Timer Watchdog = new(static _ => CheckRunningChunks(), null, StallCheckInterval, StallCheckInterval);

    [ThreadStatic]
    private static DeliveryBatch? t_open;

    [ThreadStatic]
    private static DeliveryBatch? t_spare;

    private Chunk? _filling;

    private DeliveryBatch()
    {
    }

    /// <summary>
    /// Opens a batch on this thread; disposing it schedules what is still deferred. Inside one already open, the outer
    /// one schedules everything: the inner is a no-op.
    /// </summary>
    public static IDisposable Open()
    {
        if (t_open is not null)
            return NoBatch.Instance;
        var batch = t_spare ?? new DeliveryBatch();
        t_spare = null;
        return t_open = batch;
    }

    /// <summary>Defers <paramref name="work"/> to the batch open on this thread; false when none is.</summary>
    internal static bool TryDefer(IThreadPoolWorkItem work)
    {
        if (t_open is not { } batch)
            return false;
        var chunk = batch._filling ??= Rent();
        if (chunk.Add(work))
        {
            // Full: it starts on another core while this thread goes on with the broadcast.
            batch._filling = null;
            chunk.Start();
        }
        return true;
    }

    public void Dispose()
    {
        if (!ReferenceEquals(t_open, this))
            return;
        t_open = null;
        if (_filling is { } last)
        {
            _filling = null;
            last.Start();
        }
        t_spare = this;
    }

    private static Chunk Rent()
    {
        if (FreeChunks.TryDequeue(out var chunk))
            return chunk;
        chunk = new Chunk();
        lock (AllChunks)
            AllChunks.Add(chunk);
        return chunk;
    }

    private static void CheckRunningChunks()
    {
        lock (AllChunks)
        {
            foreach (var chunk in AllChunks)
                chunk.HandOverIfStalled();
        }
    }

    /// <summary>
    /// Up to <see cref="ChunkSize"/> connections to drain, taken in order through a shared cursor, so that a second
    /// runner (sent by the watchdog) can take over the rest while the first is stuck.
    /// </summary>
    private sealed class Chunk : IThreadPoolWorkItem
    {
        // Slots, not an array of the interface: a store into an array of an interface type checks the element's type
        // (a helper call per store); a store into a struct's field is a plain write.
        private readonly Slot[] _work = new Slot[ChunkSize];
        private int _count;
        private int _next;
        private int _runners; // queued or running; the last one out recycles the chunk
        private int _seenNext = -1;
        private volatile bool _started;

        // Returns whether the chunk is now full.
        public bool Add(IThreadPoolWorkItem work)
        {
            _work[_count++].Work = work;
            return _count == ChunkSize;
        }

        public void Start()
        {
            _runners = 1;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        public void Execute()
        {
            _started = true;
            int index;
            while ((index = Interlocked.Increment(ref _next) - 1) < _count)
            {
                ref var slot = ref _work[index];
                var work = slot.Work!;
                slot.Work = null;
                work.Execute();
            }
            if (Interlocked.Decrement(ref _runners) != 0)
                return;
            _started = false;
            (_count, _next, _seenNext) = (0, 0, -1);
            FreeChunks.Enqueue(this);
        }

        // On the watchdog's timer: no item taken since the last look, and some still waiting. Another runner goes on with
        // them, unless the chunk has just finished (no runner left to keep it from being recycled).
        public void HandOverIfStalled()
        {
            if (!_started)
                return; // free, filling, or still waiting for a thread: nothing to take over
            var next = Volatile.Read(ref _next);
            var stalled = next == _seenNext && next < Volatile.Read(ref _count);
            _seenNext = next;
            if (!stalled)
                return;
            int runners;
            do
            {
                runners = Volatile.Read(ref _runners);
                if (runners == 0)
                    return;
            }
            while (Interlocked.CompareExchange(ref _runners, runners + 1, runners) != runners);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private struct Slot
    {
        public IThreadPoolWorkItem? Work;
    }

    private sealed class NoBatch : IDisposable
    {
        public static readonly NoBatch Instance = new();

        public void Dispose()
        {
        }
    }
}
