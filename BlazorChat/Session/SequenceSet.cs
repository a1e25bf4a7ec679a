namespace BlazorChat.Session;

/// <summary>
/// The store sequences a conversation's window holds, as a sorted array: 8 bytes a sequence where a
/// <see cref="SortedSet{T}"/> took a 48-byte node (12 KiB per tab and conversation with a full 250-line window, 2 KiB
/// this way). Sequences come in order almost always (a live message is the newest, a trimmed one the oldest), so adding
/// and removing are at the ends; one that comes late is put in its place.
/// </summary>
public sealed class SequenceSet
{
    private readonly List<long> _sorted = [];

    public int Count => _sorted.Count;

    /// <summary>The lowest sequence; only when <see cref="Count"/> is above 0.</summary>
    public long Min => _sorted[0];

    /// <summary>The highest sequence; only when <see cref="Count"/> is above 0.</summary>
    public long Max => _sorted[^1];

    public bool Contains(long sequence) => IndexOf(sequence) >= 0;

    /// <summary>Adds <paramref name="sequence"/>; false when it was there already.</summary>
    public bool Add(long sequence)
    {
        if (_sorted.Count == 0 || sequence > _sorted[^1])
        {
            _sorted.Add(sequence);
            return true;
        }
        var at = _sorted.BinarySearch(sequence);
        if (at >= 0)
            return false;
        _sorted.Insert(~at, sequence);
        return true;
    }

    /// <summary>Removes <paramref name="sequence"/>; false when it was not there.</summary>
    public bool Remove(long sequence)
    {
        var at = IndexOf(sequence);
        if (at < 0)
            return false;
        _sorted.RemoveAt(at);
        return true;
    }

    public void Clear() => _sorted.Clear();

    private int IndexOf(long sequence) => _sorted.Count > 0 && sequence == _sorted[0] ? 0 : _sorted.BinarySearch(sequence);
}
