namespace BlazorChat.Realtime.Server;

/// <summary>
/// The registration verbs a namespace and a dynamic family share (socket.io's <c>use</c>, <c>on</c>, "connection",
/// "disconnecting", "disconnect", <c>onAny</c>), each returning the concrete type so calls chain. What is registered
/// lives in <see cref="Handlers"/>; a namespace created from a family runs the family's first, then its own.
/// </summary>
public abstract class HandlerRegistry<TSelf> : INamespaceHandlers
    where TSelf : HandlerRegistry<TSelf>
{
    private protected HandlerRegistry()
    {
    }

    /// <summary>The namespace's name, or the family's description.</summary>
    public abstract string Label { get; }

    internal NamespaceHandlers Handlers { get; } = new();

    private TSelf Self => (TSelf)this;

    /// <summary>Adds a middleware; it runs for every connection attempt (a namespace runs its family's first).</summary>
    public TSelf Use(ConnectMiddleware middleware)
    {
        Handlers.Use(middleware);
        return Self;
    }

    /// <summary>
    /// Adds an event middleware (socket.io's per-packet <c>socket.use</c>): it runs before the handler of every event a
    /// client sends (a namespace runs its family's first), and may refuse the event.
    /// </summary>
    public TSelf UseEvents(EventMiddleware middleware)
    {
        Handlers.UseEvents(middleware);
        return Self;
    }

    /// <summary>
    /// Handles an event that clients send; the return value is their acknowledgement. One handler per event
    /// (registering again replaces it), since its reply is the one acknowledgement the client gets.
    /// </summary>
    /// <exception cref="ReservedEventException">The event name is reserved.</exception>
    public TSelf On(string eventName, ServerEventHandler handler)
    {
        Handlers.On(eventName, handler);
        return Self;
    }

    /// <summary>Runs for each connection that entered (socket.io's "connection").</summary>
    public TSelf OnConnection(Func<ChatSocket, Task> handler)
    {
        Handlers.OnConnection(handler);
        return Self;
    }

    /// <summary>Runs while a connection leaves, its rooms still visible.</summary>
    public TSelf OnDisconnecting(Func<ChatSocket, string, Task> hook)
    {
        Handlers.OnDisconnecting(hook);
        return Self;
    }

    /// <summary>Runs after a connection left all its rooms, with the reason.</summary>
    public TSelf OnDisconnect(Func<ChatSocket, string, Task> hook)
    {
        Handlers.OnDisconnect(hook);
        return Self;
    }

    /// <summary>A catch-all listener for every event clients send (socket.io's <c>onAny</c>), for logging.</summary>
    public TSelf OnAny(Action<ChatSocket, Packet> listener)
    {
        Handlers.OnAny(listener);
        return Self;
    }

    INamespaceHandlers INamespaceHandlers.Use(ConnectMiddleware middleware) => Use(middleware);

    INamespaceHandlers INamespaceHandlers.UseEvents(EventMiddleware middleware) => UseEvents(middleware);

    INamespaceHandlers INamespaceHandlers.On(string eventName, ServerEventHandler handler) => On(eventName, handler);

    INamespaceHandlers INamespaceHandlers.OnConnection(Func<ChatSocket, Task> handler) => OnConnection(handler);

    INamespaceHandlers INamespaceHandlers.OnDisconnecting(Func<ChatSocket, string, Task> hook) => OnDisconnecting(hook);

    INamespaceHandlers INamespaceHandlers.OnDisconnect(Func<ChatSocket, string, Task> hook) => OnDisconnect(hook);

    INamespaceHandlers INamespaceHandlers.OnAny(Action<ChatSocket, Packet> listener) => OnAny(listener);

    /// <inheritdoc cref="INamespaceHandlers.OnNodeLeft"/>
    public TSelf OnNodeLeft(Func<ChatNamespace, string, Task> hook)
    {
        Handlers.OnNodeLeft(hook);
        return Self;
    }

    INamespaceHandlers INamespaceHandlers.OnNodeLeft(Func<ChatNamespace, string, Task> hook) => OnNodeLeft(hook);

    /// <inheritdoc cref="INamespaceHandlers.OnDeliveriesMissed"/>
    public TSelf OnDeliveriesMissed(Func<ChatNamespace, Task> hook)
    {
        Handlers.OnDeliveriesMissed(hook);
        return Self;
    }

    INamespaceHandlers INamespaceHandlers.OnDeliveriesMissed(Func<ChatNamespace, Task> hook) => OnDeliveriesMissed(hook);
}
