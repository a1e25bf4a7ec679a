namespace BlazorChat.Realtime.Adapters;

/// <summary>
/// The room seam of one namespace, after socket.io's Adapter: which connections are in which rooms, and
/// delivery to them. The in-process implementation is <see cref="InMemoryAdapter"/>; a multi-node one
/// publishes the same verbs on a bus and applies them on every node. Every implementation passes the
/// adapter contract test suite.
/// </summary>
/// <remarks>Every verb is asynchronous and cancellable, because a multi-node implementation does I/O.</remarks>
public interface IChatAdapter : IAsyncDisposable
{
    /// <summary>The namespace this adapter serves.</summary>
    string Namespace { get; }

    Task AddToRoomsAsync(string connectionId, IEnumerable<string> rooms, CancellationToken cancellationToken = default);

    Task RemoveFromRoomAsync(string connectionId, string room, CancellationToken cancellationToken = default);

    /// <summary>Removes the connection from every room (on disconnect). Empty rooms disappear.</summary>
    Task RemoveFromAllRoomsAsync(string connectionId, CancellationToken cancellationToken = default);

    /// <summary>Delivers <paramref name="packet"/> once to every connection the options select.</summary>
    Task BroadcastAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers and waits up to <see cref="BroadcastFlags.Timeout"/> for every recipient's acknowledgement;
    /// returns the replies that came in time and the recipients that did not answer.
    /// </summary>
    Task<BroadcastAckResult> BroadcastWithAckAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default);

    /// <summary>The connections the options select (socket.io's fetchSockets).</summary>
    Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options, CancellationToken cancellationToken = default);

    /// <summary>Makes the selected connections join <paramref name="rooms"/> (socket.io's socketsJoin).</summary>
    Task AddConnectionsToRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default);

    /// <summary>Makes the selected connections leave <paramref name="rooms"/> (socket.io's socketsLeave).</summary>
    Task RemoveConnectionsFromRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default);

    /// <summary>Disconnects the selected connections from this namespace (socket.io's disconnectSockets).</summary>
    Task DisconnectConnectionsAsync(BroadcastOptions options, string reason, CancellationToken cancellationToken = default);

    /// <summary>Sends <paramref name="packet"/> to the other server nodes' namespace handlers, not to connections.</summary>
    Task ServerSideEmitAsync(Packet packet, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends <paramref name="packet"/> to the other server nodes' namespace handlers and waits up to
    /// <paramref name="timeout"/> for each node's reply (socket.io's serverSideEmitWithAck).
    /// </summary>
    Task<ServerSideAckResult> ServerSideEmitWithAckAsync(Packet packet, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>How many server nodes share this namespace (1 in process).</summary>
    Task<int> ServerCountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes once this adapter has joined the other nodes: it listens to them and has heard from every live one, so
    /// what it fetches (who is online, who is in which room) counts them all. At once in process; a node should not serve
    /// anyone before this (<see cref="BlazorChat.Realtime.Server.NodeReadiness"/>).
    /// </summary>
    Task WaitUntilJoinedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>This node's rooms with their member counts (own-id and user rooms included).</summary>
    IReadOnlyDictionary<string, int> LocalRooms();

    /// <summary>The rooms a local connection is in; empty when unknown.</summary>
    IReadOnlySet<string> RoomsOf(string connectionId);

    /// <summary>Whether a local connection is in a room: what every read check asks, without copying its rooms.</summary>
    bool IsInRoom(string connectionId, string room) => RoomsOf(connectionId).Contains(room);

    /// <summary>
    /// Whether every connection of the namespace is on this node (one process, no other nodes), so that this node hears of
    /// every arrival and departure itself. False for an adapter that joins other nodes, even while it is alone.
    /// </summary>
    bool IsSingleNode => false;
}

/// <summary>The connections of one namespace on this node, as the adapter sees them: where to deliver.</summary>
public interface ILocalConnections
{
    string ServerId { get; }

    bool TryGet(string connectionId, out IConnectionEndpoint endpoint);

    /// <summary>
    /// A broadcast handed <paramref name="packet"/> to <paramref name="count"/> of these connections: told once per
    /// broadcast, after its delivery loop, for the node's metrics (the monitoring seam; nothing to do by default).
    /// </summary>
    void OnDelivered(Packet packet, int count)
    {
    }

    /// <summary>Runs the namespace's server-side handlers for an event another node emitted.</summary>
    Task OnServerSideEmitAsync(Packet packet);

    /// <summary>Runs the namespace's server-side handlers for an event another node emitted and waits for; returns this node's reply.</summary>
    Task<EventData?> OnServerSideEmitWithAckAsync(Packet packet);

    /// <summary>
    /// Another node left (said goodbye, or stopped beating and was dropped): its connections are gone, and no
    /// disconnect of theirs will ever be heard. A multi-node adapter calls this once per node that leaves, and again when
    /// a node it dropped for silence beats again (the database was away): the nodes counted changed either way, and the
    /// handler brings presence up to date from every node counted now.
    /// </summary>
    Task OnNodeLeftAsync(string nodeId);

    /// <summary>
    /// This node was cut off from the others for a while (its listening connection dropped and was opened again): what
    /// they broadcast meanwhile did not reach its connections. What is stored (messages) can be fetched again.
    /// </summary>
    Task OnDeliveriesMissedAsync();
}

/// <summary>The delivery end of one local connection.</summary>
public interface IConnectionEndpoint
{
    string Id { get; }

    string UserId { get; }

    string DisplayName { get; }

    /// <summary>When the connection entered its namespace; null where an endpoint does not know (what the dashboard shows).</summary>
    DateTimeOffset? ConnectedAt => null;

    /// <summary>The client's address and transport; null where an endpoint does not know.</summary>
    Server.ConnectionOrigin? Origin => null;

    /// <summary>Queues a packet; returns false when a volatile packet was dropped.</summary>
    bool Deliver(Packet packet, bool isVolatile);

    /// <summary>Queues a packet whose recipient must acknowledge it; <paramref name="onAck"/> runs at most once.</summary>
    void DeliverWithAck(Packet packet, Action<AckResponse> onAck);

    /// <summary>Disconnects the connection from its namespace.</summary>
    Task DisconnectAsync(string reason);
}

/// <summary>Creates the adapter of each namespace; swapped through DI, like SignalR's HubLifetimeManager.</summary>
public interface IChatAdapterFactory
{
    IChatAdapter Create(string @namespace, ILocalConnections connections);
}
