namespace BlazorChat.Chat;

/// <summary>
/// The names of people seen since this process started, by key, the most recently seen first. Bounded: past
/// <see cref="Capacity"/> people the one seen longest ago is forgotten first, so a server that runs for months does not
/// keep every visitor in memory. Someone forgotten is still found through the store (the name on their last message)
/// where that matters.
/// </summary>
public sealed class SeenPeople(int capacity)
{
    private readonly Lock _gate = new();
    // The most recently seen first: a search reads the newest first and stops early; the last is the one forgotten.
    private readonly LinkedList<(string Key, string Name)> _byRecency = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, string Name)>> _byKey = new(StringComparer.Ordinal);

    /// <summary>The most people remembered at once.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count
    {
        get
        {
            lock (_gate)
                return _byKey.Count;
        }
    }

    /// <summary>Remembers <paramref name="key"/>'s latest name, as seen just now.</summary>
    public void Remember(string key, string name)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                node.Value = (key, name);
                _byRecency.Remove(node);
                _byRecency.AddFirst(node);
                return;
            }
            _byKey[key] = _byRecency.AddFirst((key, name));
            if (_byKey.Count > Capacity)
            {
                _byKey.Remove(_byRecency.Last!.Value.Key);
                _byRecency.RemoveLast();
            }
        }
    }

    public bool TryGet(string key, out string name)
    {
        lock (_gate)
        {
            var found = _byKey.TryGetValue(key, out var node);
            name = found ? node!.Value.Name : null!;
            return found;
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> remembered (key, name) pairs that <paramref name="match"/>es, the most recently seen
    /// first. Reads at most <paramref name="scanLimit"/> of them, and none past the <paramref name="limit"/>th match: a
    /// search costs that much at most, however many people are remembered. <paramref name="match"/> runs under this
    /// instance's lock, so it must be quick and must not call back into it.
    /// </summary>
    public IReadOnlyList<(string Key, string Name)> Search(Func<string, string, bool> match, int limit, int scanLimit)
    {
        var found = new List<(string Key, string Name)>();
        lock (_gate)
        {
            var scanned = 0;
            for (var node = _byRecency.First; node is not null && found.Count < limit && scanned < scanLimit; node = node.Next, scanned++)
            {
                if (match(node.Value.Key, node.Value.Name))
                    found.Add(node.Value);
            }
        }
        return found;
    }

    /// <summary>Forgets <paramref name="key"/>.</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            if (_byKey.Remove(key, out var node))
                _byRecency.Remove(node);
        }
    }
}
