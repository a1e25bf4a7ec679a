using System.Collections.Concurrent;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Tests.Realtime.Core.Support;

/// <summary>
/// One server node as an adapter sees it, without a <see cref="ChatServer"/>: a namespace's local connections
/// are <see cref="FakeEndpoint"/>s that record what the adapter hands them. The adapter under test comes from
/// the factory, so the same harness drives any <see cref="IChatAdapterFactory"/>.
/// </summary>
public sealed class FakeNode : ILocalConnections, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FakeEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<Packet> _serverSide = [];
    private readonly List<string> _nodesLeft = [];

    public FakeNode(IChatAdapterFactory factory, string @namespace = ChatServer.MainNamespace)
    {
        Adapter = factory.Create(@namespace, this);
    }

    public IChatAdapter Adapter { get; }

    public string ServerId { get; } = "node-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>What other nodes' server-side emits delivered to this node's namespace handlers.</summary>
    public IReadOnlyList<Packet> ServerSideReceived
    {
        get
        {
            lock (_gate)
                return [.. _serverSide];
        }
    }

    /// <summary>
    /// A new local connection, in its own-id room and its user room (as <see cref="ChatNamespace"/> does) plus
    /// <paramref name="rooms"/>.
    /// </summary>
    public async Task<FakeEndpoint> ConnectAsync(string id, string? userId = null, params string[] rooms)
    {
        var endpoint = new FakeEndpoint(this, id, userId ?? "user-" + id);
        if (!_endpoints.TryAdd(id, endpoint))
            throw new InvalidOperationException($"{id} is already connected.");
        await Adapter.AddToRoomsAsync(id, [id, ChatNamespace.UserRoomOf(endpoint.UserId), .. rooms]);
        return endpoint;
    }

    public bool TryGet(string connectionId, out IConnectionEndpoint endpoint)
    {
        var found = _endpoints.TryGetValue(connectionId, out var fake);
        endpoint = fake!;
        return found;
    }

    public Task OnServerSideEmitAsync(Packet packet)
    {
        lock (_gate)
            _serverSide.Add(packet);
        return Task.CompletedTask;
    }

    /// <summary>Records the packet, and answers with <see cref="ReplyData"/> naming this node.</summary>
    public async Task<EventData?> OnServerSideEmitWithAckAsync(Packet packet)
    {
        await OnServerSideEmitAsync(packet);
        return new ReplyData(ServerId);
    }

    /// <summary>The other nodes the adapter said have left, in order.</summary>
    public IReadOnlyList<string> NodesLeft
    {
        get
        {
            lock (_gate)
                return [.. _nodesLeft];
        }
    }

    /// <summary>How many times the adapter said this node missed deliveries.</summary>
    public int DeliveriesMissed => Volatile.Read(ref _deliveriesMissed);

    private int _deliveriesMissed;

    public Task OnDeliveriesMissedAsync()
    {
        Interlocked.Increment(ref _deliveriesMissed);
        return Task.CompletedTask;
    }

    public Task OnNodeLeftAsync(string nodeId)
    {
        lock (_gate)
            _nodesLeft.Add(nodeId);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => Adapter.DisposeAsync();

    internal async Task RemoveAsync(FakeEndpoint endpoint)
    {
        _endpoints.TryRemove(endpoint.Id, out _);
        await Adapter.RemoveFromAllRoomsAsync(endpoint.Id);
    }
}

/// <summary>
/// A local connection that records every delivery (with its volatile flag), answers acknowledgements from
/// another thread unless told not to, and on disconnect leaves all rooms the way <see cref="ChatSocket"/> does.
/// </summary>
public sealed class FakeEndpoint : IConnectionEndpoint
{
    private readonly FakeNode _node;
    private readonly Lock _gate = new();
    private readonly List<(string Event, bool Volatile)> _flags = [];
    private readonly List<string> _disconnectReasons = [];

    internal FakeEndpoint(FakeNode node, string id, string userId)
    {
        _node = node;
        Id = id;
        UserId = userId;
        DisplayName = "Name " + id;
        Inbox = new PacketRecorder(id);
    }

    public string Id { get; }

    public string UserId { get; }

    public string DisplayName { get; }

    public DateTimeOffset? ConnectedAt { get; } = DateTimeOffset.UtcNow;

    public ConnectionOrigin? Origin => new("192.0.2." + (Math.Abs(StringComparer.Ordinal.GetHashCode(Id)) % 250), "WebSockets");

    public PacketRecorder Inbox { get; }

    /// <summary>Whether acknowledgement requests are answered (with <see cref="ReplyData"/> naming this connection).</summary>
    public bool AnswersAcks { get; set; } = true;

    public IReadOnlyList<string> DisconnectReasons
    {
        get
        {
            lock (_gate)
                return [.. _disconnectReasons];
        }
    }

    public bool WasDeliveredAsVolatile(string eventName)
    {
        lock (_gate)
            return _flags.Any(f => f.Event == eventName && f.Volatile);
    }

    public bool Deliver(Packet packet, bool isVolatile)
    {
        lock (_gate)
            _flags.Add((packet.Event, isVolatile));
        Inbox.Record(packet);
        return true;
    }

    public void DeliverWithAck(Packet packet, Action<AckResponse> onAck)
    {
        Inbox.Record(packet);
        if (AnswersAcks)
            _ = Task.Run(() => onAck(new AckResponse(Id, new ReplyData(Id))));
    }

    public async Task DisconnectAsync(string reason)
    {
        lock (_gate)
            _disconnectReasons.Add(reason);
        await _node.RemoveAsync(this);
    }
}
