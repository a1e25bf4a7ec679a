using System.Collections.Concurrent;
using BlazorChat.Monitoring;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Realtime.Server;

/// <summary>
/// A namespace, like socket.io's: its own connections, rooms (through its own adapter), event handlers and
/// middleware. Namespaces created from a <see cref="NamespaceFamily"/> also run the family's middleware and
/// handlers.
/// </summary>
public sealed partial class ChatNamespace : HandlerRegistry<ChatNamespace>, ILocalConnections
{
    private readonly ConcurrentDictionary<string, ChatSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ChatServer _server;
    private readonly ILogger _logger;

    internal ChatNamespace(ChatServer server, string name, NamespaceFamily? family, IChatAdapterFactory adapters, ILogger logger)
    {
        _server = server;
        _logger = logger;
        Name = name;
        Family = family;
        Adapter = adapters.Create(name, this);
        Operator = new BroadcastOperator(Adapter);
    }

    public string Name { get; }

    public override string Label => Name;

    /// <summary>The dynamic family this namespace was created from; null for a static namespace.</summary>
    public NamespaceFamily? Family { get; }

    public IChatAdapter Adapter { get; }

    /// <summary>Every connection of the namespace; start here to target rooms (socket.io's <c>io.of(name)</c>).</summary>
    public BroadcastOperator Operator { get; }

    public string ServerId => _server.ServerId;

    internal ChatServer Server => _server;

    public int ConnectionCount => _sockets.Count;

    public IReadOnlyCollection<ChatSocket> Connections => [.. _sockets.Values];

    /// <summary>Events waiting in this namespace's connections' outboxes (read on a metrics scrape, not per event).</summary>
    internal long Backlog
    {
        get
        {
            long total = 0;
            foreach (var (_, socket) in _sockets)
                total += socket.Backlog;
            return total;
        }
    }

    internal IEnumerable<Func<ChatSocket, string, Task>> DisconnectingHooks => Chain(h => h.Disconnecting);

    internal IEnumerable<Func<ChatSocket, string, Task>> DisconnectHooks => Chain(h => h.Disconnect);

    /// <summary>The room reaching every connection of one person (all their tabs) in a namespace.</summary>
    public static string UserRoomOf(string userId) => "user:" + userId;

    public BroadcastOperator To(params string[] rooms) => Operator.To(rooms);

    public BroadcastOperator In(params string[] rooms) => Operator.In(rooms);

    public BroadcastOperator Except(params string[] rooms) => Operator.Except(rooms);

    public BroadcastOperator Volatile => Operator.Volatile;

    public BroadcastOperator Local => Operator.Local;

    public BroadcastOperator Timeout(TimeSpan timeout) => Operator.Timeout(timeout);

    /// <summary>Emits to every connection of the namespace.</summary>
    public Task EmitAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default) =>
        Operator.EmitAsync(eventName, data, cancellationToken);

    /// <summary>Handles events that other server nodes emit with <see cref="ServerSideEmitAsync"/>.</summary>
    public ChatNamespace OnServerSideEmit(Func<Packet, Task> handler)
    {
        Handlers.OnServerSideEmit(handler);
        return this;
    }

    /// <summary>
    /// Handles events that other server nodes emit, and answers those sent with
    /// <see cref="ServerSideEmitWithAckAsync"/>: a node's answer is the first reply that is not null.
    /// </summary>
    public ChatNamespace OnServerSideEmitWithAck(Func<Packet, Task<EventData?>> handler)
    {
        Handlers.OnServerSideEmitWithAck(handler);
        return this;
    }

    /// <summary>Sends an event to this namespace on the other server nodes (socket.io's serverSideEmit).</summary>
    public Task ServerSideEmitAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        return Adapter.ServerSideEmitAsync(new Packet(eventName, data), cancellationToken);
    }

    /// <summary>
    /// Sends an event to this namespace on the other server nodes and collects each node's reply within
    /// <paramref name="timeout"/> (socket.io's serverSideEmitWithAck); the nodes that did not answer are named.
    /// </summary>
    public Task<ServerSideAckResult> ServerSideEmitWithAckAsync(string eventName, EventData? data, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        return Adapter.ServerSideEmitWithAckAsync(new Packet(eventName, data), timeout, cancellationToken);
    }

    /// <summary>
    /// Lets a connection in through the middleware chain (family's first, then the namespace's own). It joins
    /// its own-id room and its user room before any handler sees it.
    /// </summary>
    /// <exception cref="ConnectRefusedException">A middleware refused it; the message says why.</exception>
    public async Task<ChatSocket> ConnectAsync(ConnectRequest request, ClientHandler client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var context = new ConnectContext(this, request);
        var middleware = Chain(h => h.Middleware).ToArray();
        var admitted = false;

        async Task RunAsync(int index)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (index == middleware.Length)
            {
                admitted = true;
                return;
            }
            await middleware[index](context, () => RunAsync(index + 1));
        }

        try
        {
            await RunAsync(0);
            if (!admitted)
                throw new ConnectRefusedException(Name, $"{Name} did not let this connection in.");
        }
        catch (ConnectRefusedException refused)
        {
            // A refusal is something an operator watches for (a banned person trying to come back, a tenant that is not here).
            _server.Events?.Record(ChatEventRing.Refused, Name, request.ConnectionId, request.UserId, refused.Message);
            throw;
        }

        var socket = new ChatSocket(this, request, client, new Dictionary<string, object?>(context.Items, StringComparer.Ordinal));
        if (!_sockets.TryAdd(socket.Id, socket))
            throw new InvalidOperationException($"Connection '{socket.Id}' is already in {Name}.");
        _server.Metrics?.ConnectionOpened();
        _server.Events?.Record(ChatEventRing.Connected, Name, socket.Id, socket.UserId, socket.DisplayName);
        await Adapter.AddToRoomsAsync(socket.Id, [socket.Id, socket.UserRoom], cancellationToken);
        LogConnected(Name, socket.Id, socket.DisplayName);
        try
        {
            foreach (var handler in Chain(h => h.Connection))
                await handler(socket);
        }
        catch
        {
            // The caller never gets this socket, so nobody could disconnect it later: take it out again.
            await socket.DisconnectAsync("server namespace disconnect");
            throw;
        }
        return socket;
    }

    bool ILocalConnections.TryGet(string connectionId, out IConnectionEndpoint endpoint)
    {
        var found = _sockets.TryGetValue(connectionId, out var socket);
        endpoint = socket!;
        return found;
    }

    void ILocalConnections.OnDelivered(Packet packet, int count) => _server.Metrics?.Delivered(packet.Event, count);

    async Task ILocalConnections.OnServerSideEmitAsync(Packet packet)
    {
        foreach (var handler in Chain(h => h.ServerSideEmit))
            await handler(packet);
    }

    async Task<EventData?> ILocalConnections.OnServerSideEmitWithAckAsync(Packet packet)
    {
        EventData? reply = null;
        foreach (var handler in Chain(h => h.ServerSideEmit))
        {
            var answer = await handler(packet);
            reply ??= answer;
        }
        return reply;
    }

    async Task ILocalConnections.OnNodeLeftAsync(string nodeId)
    {
        foreach (var hook in Chain(h => h.NodeLeft))
            await hook(this, nodeId);
    }

    async Task ILocalConnections.OnDeliveriesMissedAsync()
    {
        foreach (var hook in Chain(h => h.DeliveriesMissed))
            await hook(this);
    }

    internal async Task<EventData?> DispatchAsync(ChatSocket socket, Packet packet, CancellationToken cancellationToken)
    {
        foreach (var listener in Chain(h => h.Any))
        {
            try
            {
                listener(socket, packet);
            }
            catch (Exception ex)
            {
                LogListenerFailed(ex, Name, packet.Event);
            }
        }
        var handler = Handlers.Find(packet.Event) ?? Family?.Handlers.Find(packet.Event)
            ?? throw new ChatRefusedException($"{Name} does not handle \"{packet.Event}\".");
        var middleware = Chain(h => h.EventMiddleware).ToArray();
        var context = new EventContext(socket, packet);
        EventData? reply = null;
        var handled = false;

        async Task RunAsync(int index)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (index == middleware.Length)
            {
                reply = await handler(socket, packet.Data, cancellationToken);
                handled = true;
                return;
            }
            await middleware[index](context, () => RunAsync(index + 1));
        }

        await RunAsync(0);
        // A middleware that neither refused nor called next must not look like a handled event.
        return handled ? reply : throw new ChatRefusedException($"{Name} did not let \"{packet.Event}\" through.");
    }

    internal async Task RemoveAsync(ChatSocket socket, string reason)
    {
        if (_sockets.TryRemove(socket.Id, out _))
        {
            _server.Metrics?.ConnectionClosed();
            _server.Events?.Record(ChatEventRing.Disconnected, Name, socket.Id, socket.UserId, reason);
        }
        LogDisconnected(Name, socket.Id, socket.DisplayName, reason);
        await _server.OnConnectionLeftAsync(this);
    }

    internal async Task RunHooksAsync(ChatSocket socket, string reason, IEnumerable<Func<ChatSocket, string, Task>> own, IEnumerable<Func<ChatSocket, string, Task>> shared)
    {
        foreach (var hook in own.Concat(shared))
        {
            try
            {
                await hook(socket, reason);
            }
            catch (Exception ex)
            {
                // A failing hook must not keep a connection half-disconnected.
                LogHookFailed(ex, Name, socket.Id);
            }
        }
    }

    internal void ReportDeliveryFailure(ChatSocket socket, Packet packet, Exception exception) =>
        LogDeliveryFailed(exception, Name, socket.Id, packet.Event);

    private IEnumerable<T> Chain<T>(Func<NamespaceHandlers, IEnumerable<T>> select) =>
        Family is null ? select(Handlers) : [.. select(Family.Handlers), .. select(Handlers)];

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Namespace}: connection {ConnectionId} ({DisplayName}) entered")]
    private partial void LogConnected(string @namespace, string connectionId, string displayName);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "{Namespace}: connection {ConnectionId} ({DisplayName}) left: {Reason}")]
    private partial void LogDisconnected(string @namespace, string connectionId, string displayName, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "{Namespace}: delivering {Event} to {ConnectionId} failed")]
    private partial void LogDeliveryFailed(Exception exception, string @namespace, string connectionId, string @event);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "{Namespace}: a disconnect hook failed for {ConnectionId}")]
    private partial void LogHookFailed(Exception exception, string @namespace, string connectionId);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "{Namespace}: a catch-all listener failed on {Event}")]
    private partial void LogListenerFailed(Exception exception, string @namespace, string @event);
}
