using System.Collections.Concurrent;

namespace BlazorChat.Chat;

/// <summary>
/// One object per key while anyone holds it: what <see cref="PersonCache"/> and <see cref="MessageCache"/> hand to every
/// tab instead of a copy each. Held weakly, so an object nobody holds any more is collected, and its entry swept out
/// after <see cref="SweepEvery"/> more are added.
/// </summary>
public sealed class SharedInstances<TKey, TValue>(IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
    where TValue : class
{
    /// <summary>How many objects are added between two sweeps of entries whose object was collected.</summary>
    public const int SweepEvery = 4_096;

    private readonly ConcurrentDictionary<TKey, WeakReference<TValue>> _items = new(comparer);
    private int _addedSinceSweep;

    /// <summary>Entries held now (alive or not yet swept).</summary>
    public int Count => _items.Count;

    /// <summary>
    /// The object under <paramref name="key"/> already handed out, while it lives and <paramref name="matches"/> says it
    /// is still what <paramref name="state"/> describes; else a new one from <paramref name="make"/>, handed out from now on.
    /// </summary>
    public TValue Of<TState>(TKey key, TState state, Func<TValue, TState, bool> matches, Func<TKey, TState, TValue> make)
    {
        if (_items.TryGetValue(key, out var weak) && weak.TryGetTarget(out var known) && matches(known, state))
            return known;
        var made = make(key, state);
        _items[key] = new WeakReference<TValue>(made);
        if (Interlocked.Increment(ref _addedSinceSweep) >= SweepEvery)
            Sweep();
        return made;
    }

    private void Sweep()
    {
        Interlocked.Exchange(ref _addedSinceSweep, 0);
        foreach (var (key, weak) in _items)
        {
            if (!weak.TryGetTarget(out _))
                _items.TryRemove(new KeyValuePair<TKey, WeakReference<TValue>>(key, weak));
        }
    }
}
