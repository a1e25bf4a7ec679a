namespace BlazorChat.Realtime.Server;

/// <summary>
/// A dynamic namespace family, like socket.io's parent namespace (<c>io.of(/^\/tenant-\w+$/)</c>): namespaces
/// whose names it matches are created on first use, and all of them, including any created before anyone
/// connects, share the family's middleware and handlers. Empty ones are removed.
/// </summary>
public sealed class NamespaceFamily : INamespaceHandlers
{
    private readonly Func<string, bool> _matches;
    private readonly ChatServer _server;

    internal NamespaceFamily(ChatServer server, string description, Func<string, bool> matches)
    {
        _server = server;
        Description = description;
        _matches = matches;
    }

    /// <summary>How the family is described in logs and errors, for example <c>/tenant-{name}</c>.</summary>
    public string Description { get; }

    internal NamespaceHandlers Handlers { get; } = new();

    public bool Matches(string name) => _matches(name);

    /// <summary>The family's namespaces that exist now.</summary>
    public IReadOnlyList<ChatNamespace> Children => [.. _server.Namespaces.Where(n => n.Family == this)];

    public NamespaceFamily Use(ConnectMiddleware middleware)
    {
        Handlers.Use(middleware);
        return this;
    }

    /// <summary>Adds an event middleware every namespace of the family runs before its own (socket.io's <c>socket.use</c>).</summary>
    public NamespaceFamily UseEvents(EventMiddleware middleware)
    {
        Handlers.UseEvents(middleware);
        return this;
    }

    public NamespaceFamily On(string eventName, ServerEventHandler handler)
    {
        Handlers.On(eventName, handler);
        return this;
    }

    public NamespaceFamily OnConnection(Func<ChatSocket, Task> handler)
    {
        Handlers.OnConnection(handler);
        return this;
    }

    public NamespaceFamily OnDisconnecting(Func<ChatSocket, string, Task> hook)
    {
        Handlers.OnDisconnecting(hook);
        return this;
    }

    public NamespaceFamily OnDisconnect(Func<ChatSocket, string, Task> hook)
    {
        Handlers.OnDisconnect(hook);
        return this;
    }

    public NamespaceFamily OnAny(Action<ChatSocket, Packet> listener)
    {
        Handlers.OnAny(listener);
        return this;
    }

    /// <summary>Emits to every connection of every namespace of the family (socket.io's parent namespace emit).</summary>
    public async Task EmitAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default)
    {
        foreach (var child in Children)
            await child.EmitAsync(eventName, data, cancellationToken);
    }

    string INamespaceHandlers.Label => Description;

    INamespaceHandlers INamespaceHandlers.Use(ConnectMiddleware middleware) => Use(middleware);

    INamespaceHandlers INamespaceHandlers.UseEvents(EventMiddleware middleware) => UseEvents(middleware);

    INamespaceHandlers INamespaceHandlers.On(string eventName, ServerEventHandler handler) => On(eventName, handler);

    INamespaceHandlers INamespaceHandlers.OnConnection(Func<ChatSocket, Task> handler) => OnConnection(handler);

    INamespaceHandlers INamespaceHandlers.OnDisconnecting(Func<ChatSocket, string, Task> hook) => OnDisconnecting(hook);

    INamespaceHandlers INamespaceHandlers.OnDisconnect(Func<ChatSocket, string, Task> hook) => OnDisconnect(hook);

    INamespaceHandlers INamespaceHandlers.OnAny(Action<ChatSocket, Packet> listener) => OnAny(listener);
}
