namespace BlazorChat.Realtime.Server;

/// <summary>What a namespace or a family registers: middleware, handlers and hooks. Copy-on-write, lock-free reads.</summary>
internal sealed class NamespaceHandlers
{
    private readonly Lock _gate = new();
    private Dictionary<string, ServerEventHandler> _events = new(StringComparer.Ordinal);

    public ConnectMiddleware[] Middleware { get; private set; } = [];

    public EventMiddleware[] EventMiddleware { get; private set; } = [];

    public Func<ChatSocket, Task>[] Connection { get; private set; } = [];

    public Func<ChatSocket, string, Task>[] Disconnecting { get; private set; } = [];

    public Func<ChatSocket, string, Task>[] Disconnect { get; private set; } = [];

    public Action<ChatSocket, Packet>[] Any { get; private set; } = [];

    /// <summary>Server-side handlers; one that does not answer (registered without a reply) returns null.</summary>
    public Func<Packet, Task<EventData?>>[] ServerSideEmit { get; private set; } = [];

    public Func<ChatNamespace, string, Task>[] NodeLeft { get; private set; } = [];

    public Func<ChatNamespace, Task>[] DeliveriesMissed { get; private set; } = [];

    public ServerEventHandler? Find(string eventName) => Volatile.Read(ref _events).GetValueOrDefault(eventName);

    public void On(string eventName, ServerEventHandler handler)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _events = new Dictionary<string, ServerEventHandler>(_events, StringComparer.Ordinal) { [eventName] = handler };
    }

    public void Use(ConnectMiddleware middleware)
    {
        lock (_gate)
            Middleware = [.. Middleware, middleware];
    }

    public void UseEvents(EventMiddleware middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        lock (_gate)
            EventMiddleware = [.. EventMiddleware, middleware];
    }

    public void OnConnection(Func<ChatSocket, Task> handler)
    {
        lock (_gate)
            Connection = [.. Connection, handler];
    }

    public void OnDisconnecting(Func<ChatSocket, string, Task> hook)
    {
        lock (_gate)
            Disconnecting = [.. Disconnecting, hook];
    }

    public void OnDisconnect(Func<ChatSocket, string, Task> hook)
    {
        lock (_gate)
            Disconnect = [.. Disconnect, hook];
    }

    public void OnAny(Action<ChatSocket, Packet> listener)
    {
        lock (_gate)
            Any = [.. Any, listener];
    }

    public void OnServerSideEmit(Func<Packet, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        OnServerSideEmitWithAck(async packet =>
        {
            await handler(packet);
            return null;
        });
    }

    public void OnServerSideEmitWithAck(Func<Packet, Task<EventData?>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            ServerSideEmit = [.. ServerSideEmit, handler];
    }

    public void OnNodeLeft(Func<ChatNamespace, string, Task> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        lock (_gate)
            NodeLeft = [.. NodeLeft, hook];
    }

    public void OnDeliveriesMissed(Func<ChatNamespace, Task> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        lock (_gate)
            DeliveriesMissed = [.. DeliveriesMissed, hook];
    }
}
