namespace BlazorChat.Components.Shared;

/// <summary>
/// What a component last rendered with, so that its ShouldRender asks one question: did that change? A page renders
/// often (on every message, with a thousand people in a room), so its parts render only when what they show changed.
/// </summary>
/// <remarks>
/// A mutable struct, so a component pays no extra object for it and a check allocates nothing: keep it in a field that
/// is not readonly (a readonly one would remember into a copy, and every check would answer "changed").
/// </remarks>
public struct RenderedWith<TKey>
    where TKey : struct, IRenderKey<TKey>
{
    private TKey _rendered;

    /// <summary>Notes what the first render shows: a component's first render does not ask ShouldRender.</summary>
    public void First(TKey key) => _rendered = TKey.Keep(key, default);

    /// <summary>Whether <paramref name="now"/> differs from what was last rendered; when it does, it is what renders next.</summary>
    public bool Changed(TKey now)
    {
        if (now.Equals(_rendered))
            return false;
        _rendered = TKey.Keep(now, _rendered);
        return true;
    }
}
