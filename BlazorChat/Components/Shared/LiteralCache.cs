using System.Collections.Concurrent;

namespace BlazorChat.Components.Shared;

/// <summary>
/// Values made once per key and shared by every circuit (<see cref="SharedMarkup"/>, <see cref="MudButtonLook"/>): a
/// string built at each render is a new string in each tab's render tree, kept twice there (its current tree and the
/// buffer for its next). Only keys made of text written in the code (interned literals) are kept, so the table stays as
/// small as the code's list of them; any other key gets its value made afresh, uncached.
/// </summary>
internal sealed class LiteralCache<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _made = new();

    /// <summary>
    /// The value for <paramref name="key"/>: the shared one, or made by <paramref name="make"/> (and kept only when
    /// <paramref name="isLiteral"/> says every string in the key is written in the code).
    /// </summary>
    public TValue Of(TKey key, Func<TKey, bool> isLiteral, Func<TKey, TValue> make)
    {
        // Looked up first: string.IsInterned takes the runtime's intern-table lock, so it is asked only for a new key.
        if (_made.TryGetValue(key, out var made))
            return made;
        return isLiteral(key) ? _made.GetOrAdd(key, make) : make(key);
    }
}

/// <summary>What <see cref="LiteralCache{TKey, TValue}"/> keeps: text written in the code.</summary>
internal static class LiteralCache
{
    /// <summary>Whether <paramref name="text"/> is absent or a string written in the code (interned).</summary>
    public static bool IsLiteral(string? text) => text is null || string.IsInterned(text) is not null;
}
