using System.Security.Claims;
using BlazorChat.Monitoring;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Realtime.Server;

/// <summary>Receives the events sent to one connection (the circuit side). Call <paramref name="ack"/> to acknowledge.</summary>
public delegate Task ClientHandler(Packet packet, AckReply? ack);

/// <summary>The way a recipient acknowledges one event; only the first reply counts.</summary>
/// <remarks>
/// One is made for each recipient of each event sent with acknowledgements: it holds the recipient's id and where its reply
/// goes, no closure of its own.
/// </remarks>
public sealed class AckReply
{
    private readonly string _connectionId;
    private readonly Action<AckResponse> _reply;
    private int _sent;

    internal AckReply(string connectionId, Action<AckResponse> reply) => (_connectionId, _reply) = (connectionId, reply);

    public void Send(EventData? data = null)
    {
        if (Interlocked.Exchange(ref _sent, 1) == 0)
            _reply(new AckResponse(_connectionId, data));
    }
}

/// <summary>
/// One connection in one namespace, like socket.io's Socket: it is in a room named by its own <see cref="Id"/>
/// and in its person's user room, joins and leaves rooms, emits to itself, broadcasts to others, and sends
/// events to its namespace's handlers. Server-to-client events pass through its own ordered outbox.
/// </summary>
public sealed class ChatSocket : IConnectionEndpoint
{
    private readonly SemaphoreSlim _inbound = new(1, 1);
    private readonly Outbox _outbox;
    private readonly List<Func<ChatSocket, string, Task>> _onDisconnecting = [];
    private readonly List<Func<ChatSocket, string, Task>> _onDisconnect = [];
    private readonly ClientHandler _client;
    private int _state; // 0 connected, 1 disconnecting, 2 disconnected

    internal ChatSocket(ChatNamespace @namespace, ConnectRequest request, ClientHandler client, IReadOnlyDictionary<string, object?> data)
    {
        Data = data;
        Namespace = @namespace;
        Id = request.ConnectionId;
        User = request.User;
        UserId = request.UserId;
        DisplayName = request.DisplayName;
        Origin = request.Origin;
        _client = client;
        _outbox = new Outbox(client, (packet, ex) => Namespace.ReportDeliveryFailure(this, packet, ex));
    }

    public string Id { get; }

    /// <summary>When this connection was admitted to its namespace (the operator's dashboard shows it).</summary>
    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    DateTimeOffset? IConnectionEndpoint.ConnectedAt => ConnectedAt;

    /// <summary>The client's address and transport when it connected (socket.io's <c>socket.handshake</c>), when known.</summary>
    public ConnectionOrigin? Origin { get; }

    public ChatNamespace Namespace { get; }

    /// <summary>Who this is, from the server's authentication state at connect time.</summary>
    public ClaimsPrincipal User { get; }

    public string UserId { get; }

    /// <summary>What the namespace's middleware put in <see cref="ConnectContext.Items"/> (socket.io's <c>socket.data</c>).</summary>
    public IReadOnlyDictionary<string, object?> Data { get; }

    public string DisplayName { get; }

    /// <summary>The room that reaches every tab of this person in this namespace.</summary>
    public string UserRoom => ChatNamespace.UserRoomOf(UserId);

    public bool Connected => Volatile.Read(ref _state) == 0;

    /// <summary>Events waiting in this connection's outbox, not yet handed to its client.</summary>
    internal int Backlog => _outbox.Backlog;

    /// <summary>Why the server disconnected this connection, in words for the person (set with <see cref="DisconnectAsync(string, string?)"/>).</summary>
    public string? DisconnectMessage { get; private set; }

    /// <summary>The rooms this connection is in, own-id and user rooms included.</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.RoomsOf(Id);

    /// <summary>Whether this connection is in <paramref name="room"/> (cheaper than looking in <see cref="Rooms"/>).</summary>
    public bool IsIn(string room) => Namespace.Adapter.IsInRoom(Id, room);

    /// <summary>
    /// Whether the client can take more right now. The circuit side sets it (for example: no render batch
    /// waiting for the browser); volatile events are dropped while it says false.
    /// </summary>
    public Func<bool> IsClientWritable { get; set; } = static () => true;

    /// <summary>Everyone in the namespace but this connection (socket.io's <c>socket.broadcast</c>).</summary>
    public BroadcastOperator Broadcast => Namespace.Operator.Except(Id);

    /// <summary>
    /// These rooms, but never this connection (socket.io's <c>socket.to</c>). So <c>To(Id)</c> reaches nobody:
    /// use <see cref="EmitAsync"/> to reach this connection itself.
    /// </summary>
    public BroadcastOperator To(params string[] rooms) => Broadcast.To(rooms);

    /// <inheritdoc cref="To"/>
    public BroadcastOperator In(params string[] rooms) => To(rooms);

    /// <summary>Everyone in the namespace but this connection and the members of <paramref name="rooms"/>.</summary>
    public BroadcastOperator Except(params string[] rooms) => Broadcast.Except(rooms);

    /// <summary>Only this connection, as an operator: add <c>Volatile</c> or <c>Timeout</c> to it.</summary>
    public BroadcastOperator Self => Namespace.Operator.To(Id);

    // Once leaving, a join (say, from a handler that finished slow work late) would leave a member nobody
    // removes: ignore it, as socket.io does since its issue #4380.
    // The operator's event log hears of each room this connection enters or leaves (not of a join it was already in).
    public async Task JoinAsync(params string[] rooms)
    {
        if (!Connected)
            return;
        var events = Namespace.Server.Events;
        var entering = events is null ? [] : rooms.Where(r => !IsIn(r)).ToArray();
        await Namespace.Adapter.AddToRoomsAsync(Id, rooms);
        foreach (var room in entering)
            events!.Record(ChatEventRing.Joined, Namespace.Name, Id, UserId, $"{DisplayName} joined {room}");
    }

    public async Task LeaveAsync(string room)
    {
        var wasIn = IsIn(room);
        await Namespace.Adapter.RemoveFromRoomAsync(Id, room);
        if (wasIn)
            Namespace.Server.Events?.Record(ChatEventRing.Left, Namespace.Name, Id, UserId, $"{DisplayName} left {room}");
    }

    /// <summary>Emits to this connection only (socket.io's <c>socket.emit</c>).</summary>
    public Task EmitAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default) =>
        Self.EmitAsync(eventName, data, cancellationToken);

    /// <summary>Emits to this connection and waits for its acknowledgement; null when it did not answer in time.</summary>
    public async Task<AckResponse?> EmitWithAckAsync(string eventName, EventData? data, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await Self.Timeout(timeout).EmitWithAckAsync(eventName, data, cancellationToken);
        return result.Responses.Count > 0 ? result.Responses[0] : null;
    }

    /// <summary>
    /// The client side emits an event to its namespace's handlers (socket.io's client <c>socket.emit</c> with
    /// an acknowledgement callback): returns the handler's reply.
    /// </summary>
    /// <exception cref="ReservedEventException">The event name is reserved.</exception>
    /// <exception cref="ChatRefusedException">No handler takes the event, the connection is closed, or the handler refused.</exception>
    /// <remarks>
    /// The server's side (middleware, handler, store, broadcasts) runs as it does for a remote client: never on the caller's
    /// synchronization context. An in-process caller on a circuit's render dispatcher would otherwise have every await down
    /// there post back to that dispatcher and queue behind its renders; only the caller's own await of the result returns to it.
    /// </remarks>
    public Task<EventData?> SendAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default)
    {
        var callers = SynchronizationContext.Current;
        if (callers is null)
            return DispatchAsync(eventName, data, cancellationToken);
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return DispatchAsync(eventName, data, cancellationToken);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(callers);
        }
    }

    private async Task<EventData?> DispatchAsync(string eventName, EventData? data, CancellationToken cancellationToken)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        ThrowIfDisconnected();
        // One event at a time per connection, in the order they came (like SignalR's default of one invocation per
        // client): event middleware and handlers await (access checks, the store), and a connection's second message
        // must not overtake its first on the way to its sequence number.
        await _inbound.WaitAsync(cancellationToken);
        try
        {
            ThrowIfDisconnected();
            return await Namespace.DispatchAsync(this, new Packet(eventName, data), cancellationToken);
        }
        finally
        {
            _inbound.Release();
        }
    }

    private void ThrowIfDisconnected()
    {
        if (!Connected)
            throw new ChatRefusedException(DisconnectMessage ?? $"You are not connected to {Namespace.Name} any more; reload the page to rejoin.");
    }

    /// <summary>Runs while the connection is leaving, with its rooms still visible (socket.io's "disconnecting").</summary>
    public void OnDisconnecting(Func<ChatSocket, string, Task> hook)
    {
        lock (_onDisconnecting)
            _onDisconnecting.Add(hook);
    }

    /// <summary>Runs once the connection has left all its rooms, with the reason (socket.io's "disconnect").</summary>
    public void OnDisconnect(Func<ChatSocket, string, Task> hook)
    {
        lock (_onDisconnect)
            _onDisconnect.Add(hook);
    }

    /// <summary>Leaves the namespace: "disconnecting" hooks, then all rooms, then "disconnect" hooks. Idempotent.</summary>
    public Task DisconnectAsync(string reason) => DisconnectAsync(reason, null);

    /// <summary>
    /// Leaves the namespace (see <see cref="DisconnectAsync(string)"/>); <paramref name="message"/> tells the person why,
    /// as the refusal of anything this connection still tries to send.
    /// </summary>
    public async Task DisconnectAsync(string reason, string? message)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            return;
        DisconnectMessage = message;
        await Namespace.RunHooksAsync(this, reason, Snapshot(_onDisconnecting), Namespace.DisconnectingHooks);
        await Namespace.Adapter.RemoveFromAllRoomsAsync(Id);
        Volatile.Write(ref _state, 2);
        _outbox.Stop();
        await Namespace.RemoveAsync(this, reason);
        await Namespace.RunHooksAsync(this, reason, Snapshot(_onDisconnect), Namespace.DisconnectHooks);
        if (message is not null)
            await TellClientAsync(new Packet("disconnect", new DisconnectNotice(Namespace.Name, reason, message)));
    }

    // Straight to the client, not through the outbox: the pump has stopped, and this is the last thing it hears.
    private async Task TellClientAsync(Packet packet)
    {
        try
        {
            await _client(packet, null);
        }
        catch (Exception ex)
        {
            Namespace.ReportDeliveryFailure(this, packet, ex);
        }
    }

    bool IConnectionEndpoint.Deliver(Packet packet, bool isVolatile)
    {
        if (!Connected)
            return false;
        // Volatile: only for a connection that has nothing waiting, nothing in flight and a writable client;
        // otherwise dropped, never queued behind other events.
        if (isVolatile && (!_outbox.IsIdle || !IsClientWritable()))
            return false;
        _outbox.Post(packet, null, isVolatile);
        return true;
    }

    void IConnectionEndpoint.DeliverWithAck(Packet packet, Action<AckResponse> onAck)
    {
        if (Connected)
            _outbox.Post(packet, new AckReply(Id, onAck));
    }

    private static Func<ChatSocket, string, Task>[] Snapshot(List<Func<ChatSocket, string, Task>> hooks)
    {
        lock (hooks)
            return [.. hooks];
    }
}
