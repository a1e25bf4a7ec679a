using System.Collections.Concurrent;

namespace BlazorChat.Chat;

/// <summary>
/// The names of people seen since this process started, by key, bounded: past <see cref="Capacity"/> people the ones
/// seen first are forgotten first, so a server that runs for months does not keep every visitor in memory. Someone
/// forgotten is still found through the store (the name on their last message) where that matters.
/// </summary>
public sealed class SeenPeople(int capacity)
{
    private readonly ConcurrentDictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _firstSeen = new();

    /// <summary>The most people remembered at once.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _names.Count;

    /// <summary>Remembers <paramref name="key"/>'s latest name.</summary>
    public void Remember(string key, string name)
    {
        if (_names.TryAdd(key, name))
        {
            _firstSeen.Enqueue(key);
            while (_names.Count > Capacity && _firstSeen.TryDequeue(out var oldest))
                _names.TryRemove(oldest, out _);
        }
        else
        {
            _names[key] = name;
        }
    }

    public bool TryGet(string key, out string name) => _names.TryGetValue(key, out name!);

    /// <summary>Up to <paramref name="limit"/> remembered (key, name) pairs whose key and name match.</summary>
    public IEnumerable<(string Key, string Name)> Search(Func<string, bool> key, Func<string, bool> name, int limit) =>
        _names.Where(p => key(p.Key) && name(p.Value)).Take(limit).Select(p => (p.Key, p.Value));

    /// <summary>Forgets <paramref name="key"/> (its place in the first-seen order goes when it comes up).</summary>
    public void Forget(string key) => _names.TryRemove(key, out _);
}
