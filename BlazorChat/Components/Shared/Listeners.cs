namespace BlazorChat.Components.Shared;

/// <summary>
/// The listeners of a per-circuit state object (the theme, the shell): each subscription is a disposable, so a
/// component unsubscribes by disposing it with itself, and a change calls every listener subscribed when it happened.
/// </summary>
public sealed class Listeners
{
    private readonly List<Action> _listeners = [];

    /// <summary>How many listeners are subscribed.</summary>
    public int Count
    {
        get
        {
            lock (_listeners)
                return _listeners.Count;
        }
    }

    /// <summary>Calls <paramref name="onChange"/> on every <see cref="Notify"/> until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        lock (_listeners)
            _listeners.Add(onChange);
        return new Subscription(this, onChange);
    }

    public void Notify()
    {
        Action[] listeners;
        lock (_listeners)
            listeners = [.. _listeners];
        foreach (var listener in listeners)
            listener();
    }

    private sealed class Subscription(Listeners owner, Action listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._listeners)
                owner._listeners.Remove(listener);
        }
    }
}
