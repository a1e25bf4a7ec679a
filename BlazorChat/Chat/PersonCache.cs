using System.Collections.Concurrent;

namespace BlazorChat.Chat;

/// <summary>
/// One <see cref="Person"/> object per person online on this node, whatever tells of them: every welcome lists everyone
/// in the namespace, and made afresh, a thousand welcomes each held their own thousand copies (a tab's online list
/// keeps them), and each copy got its own row markup (PersonMarkup is kept per object). The cache holds them weakly: a
/// person nobody lists any more is collected, and their entry swept out after a while.
/// </summary>
public sealed class PersonCache
{
    /// <summary>How many people are added between two sweeps of entries whose person was collected.</summary>
    public const int SweepEvery = 4_096;

    private readonly ConcurrentDictionary<string, WeakReference<Person>> _people = new(StringComparer.Ordinal);
    private int _addedSinceSweep;

    /// <summary>The person with this id and name: the one already handed out while it lives, else a new one.</summary>
    public Person Of(string userId, string displayName)
    {
        if (_people.TryGetValue(userId, out var weak) && weak.TryGetTarget(out var known) &&
            string.Equals(known.DisplayName, displayName, StringComparison.Ordinal))
            return known;
        var person = new Person(userId, displayName);
        _people[userId] = new WeakReference<Person>(person);
        if (Interlocked.Increment(ref _addedSinceSweep) >= SweepEvery)
            Sweep();
        return person;
    }

    /// <summary>Entries held now (alive or not yet swept).</summary>
    public int Count => _people.Count;

    private void Sweep()
    {
        Interlocked.Exchange(ref _addedSinceSweep, 0);
        foreach (var (userId, weak) in _people)
        {
            if (!weak.TryGetTarget(out _))
                _people.TryRemove(new KeyValuePair<string, WeakReference<Person>>(userId, weak));
        }
    }
}
