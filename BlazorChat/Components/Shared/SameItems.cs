namespace BlazorChat.Components.Shared;

/// <summary>
/// A render key that is a short list compared item by item, by each item's own equality: a list built afresh for every
/// render (who is typing) renders only when what it holds changed. The list is kept as given, so it must not be changed
/// in place afterwards.
/// </summary>
public readonly struct SameItems<T>(IReadOnlyList<T> items) : IRenderKey<SameItems<T>>
{
    private readonly IReadOnlyList<T>? _items = items;

    // By index, not by enumerator: a check allocates nothing.
    public bool Equals(SameItems<T> other)
    {
        IReadOnlyList<T> mine = _items ?? [], theirs = other._items ?? [];
        if (mine.Count != theirs.Count)
            return false;
        for (var i = 0; i < mine.Count; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(mine[i], theirs[i]))
                return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is SameItems<T> other && Equals(other);

    public override int GetHashCode() => _items?.Count ?? 0;
}
