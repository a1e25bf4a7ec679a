namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// What something did, in order, from any thread; a test waits for the n-th entry (completed by whoever records it),
/// never on a sleep.
/// </summary>
public sealed class Recorded<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_gate)
                return [.. _items];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _items.Count;
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Count <= _items.Count).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Completes with everything recorded once there are at least <paramref name="count"/> entries.</summary>
    public async Task<IReadOnlyList<T>> WaitForCountAsync(int count)
    {
        Task signal;
        lock (_gate)
        {
            if (_items.Count >= count)
                return [.. _items];
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
            signal = waiter.Task;
        }
        try
        {
            await signal.WaitAsync(EventRecorder.Timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"waited for {count} of {typeof(T).Name}, saw {Count}: {string.Join(", ", Items)}");
        }
        return Items;
    }
}
