namespace BlazorChat.Session;

/// <summary>
/// Acknowledgements of events a tab applied, held until the browser has confirmed a render that shows them: each goes
/// back after the first render of a part of the page that began after its event was applied, once that render is
/// confirmed. A render already on its way when the event came does not show it, and its confirmation sends nothing of it.
/// </summary>
/// <remarks>
/// A circuit folds the events that arrive while its unconfirmed render batches are at Blazor's limit
/// (<c>CircuitOptions.MaxBufferedUnacknowledgedRenderBatches</c>) into its next render. Acknowledged at any confirmation,
/// the events of a render still on its way went back a batch early: "delivered" before the person's screen had them.
/// Each part (the page, or one of its regions) renders and is confirmed in order, once per render, so each part keeps a
/// queue of what its renders carry.
/// </remarks>
/// <typeparam name="TAck">An acknowledgement; <paramref name="send"/> sends one back.</typeparam>
public sealed class RenderedAcks<TAck>(Action<TAck> send)
{
    private List<TAck> _applied = [];
    // Only parts with renders on their way: a part whose renders are all confirmed is let go (a region drawn anew after a
    // namespace switch must not stay referenced here), and its emptied queue kept for the next.
    private readonly Dictionary<object, Queue<List<TAck>?>> _rendering = new(ReferenceEqualityComparer.Instance);
    private Queue<List<TAck>?>? _spare;

    /// <summary>Parts with renders on their way to the browser.</summary>
    public int PartsRendering => _rendering.Count;

    /// <summary>Acknowledgements of applied events that no render has begun to show yet.</summary>
    public int Waiting => _applied.Count;

    /// <summary>An event was applied to what the tab shows: its acknowledgement waits for a render.</summary>
    public void Applied(TAck ack) => _applied.Add(ack);

    /// <summary><paramref name="part"/> begins to render: it shows every event applied so far.</summary>
    public void Rendering(object part)
    {
        if (!_rendering.TryGetValue(part, out var renders))
        {
            renders = _spare ?? new Queue<List<TAck>?>();
            _spare = null;
            _rendering.Add(part, renders);
        }
        if (_applied.Count == 0)
        {
            renders.Enqueue(null);
            return;
        }
        renders.Enqueue(_applied);
        _applied = [];
    }

    /// <summary>The browser confirmed <paramref name="part"/>'s oldest unconfirmed render: what it showed is acknowledged.</summary>
    public void Rendered(object part)
    {
        if (!_rendering.TryGetValue(part, out var renders) || !renders.TryDequeue(out var shown))
            return;
        if (renders.Count == 0)
        {
            _rendering.Remove(part);
            _spare = renders;
        }
        if (shown is null)
            return;
        foreach (var ack in shown)
            send(ack);
    }
}
