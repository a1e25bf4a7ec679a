namespace BlazorChat.Components.Shared;

/// <summary>
/// What a component renders with, as <see cref="RenderedWith{TKey}"/> remembers it: its equality says what counts as a
/// change (<see cref="SameInstance{T}"/> for a part compared by reference, <see cref="SameItems{T}"/> item by item,
/// anything else by value). A struct, so that building one for each check allocates nothing.
/// </summary>
public interface IRenderKey<TKey> : IEquatable<TKey>
    where TKey : struct, IRenderKey<TKey>
{
    /// <summary>
    /// What to remember of a key once rendered with it: the key itself, unless it looks at something that is changed in
    /// place (a block of a transcript that grows), which then has to be copied. <paramref name="replaced"/> is what was
    /// remembered until now (default before the first render): it is let go, so a copy may reuse its storage.
    /// </summary>
    static virtual TKey Keep(TKey key, TKey replaced) => key;
}
