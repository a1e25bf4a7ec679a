using System.Collections.Immutable;

namespace BlazorChat.Realtime.Adapters;

/// <summary>
/// The in-process adapter, after socket.io's in-memory adapter: two maps kept in step (room -> connections,
/// connection -> rooms), changed only through the <see cref="IChatAdapter"/> verbs. Empty rooms disappear.
/// </summary>
/// <remarks>
/// Delivery only enqueues into each recipient's own outbox, and it does so under the lock: every recipient
/// sees broadcasts in the same order, and a slow or broken recipient delays only itself. Each room keeps the array of
/// its members' endpoints between membership changes, so a broadcast to a room walks an array: no lookup, no
/// allocation per recipient.
/// </remarks>
public sealed class InMemoryAdapter(string @namespace, ILocalConnections connections) : IChatAdapter
{
    /// <summary>How long a broadcast with acknowledgements waits when no timeout was given.</summary>
    public static readonly TimeSpan DefaultAckTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JoinedRooms> _connections = new(StringComparer.Ordinal);

    public string Namespace { get; } = @namespace;

    public Task AddToRoomsAsync(string connectionId, IEnumerable<string> rooms, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            AddToRoomsLocked(connectionId, rooms);
        return Task.CompletedTask;
    }

    public Task RemoveFromRoomAsync(string connectionId, string room, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            RemoveFromRoomLocked(connectionId, room);
        return Task.CompletedTask;
    }

    public Task RemoveFromAllRoomsAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_connections.Remove(connectionId, out var rooms))
                return Task.CompletedTask;
            foreach (var room in rooms)
                RemoveMemberLocked(room, connectionId);
        }
        return Task.CompletedTask;
    }

    public Task BroadcastAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var delivered = 0;
        using (DeliveryBatch.Open())
        lock (_gate)
        {
            if (options.Rooms.Count == 1 && options.Except.Count == 0)
            {
                // The usual case, a room: its endpoints as an array.
                foreach (var room in options.Rooms)
                {
                    if (_rooms.TryGetValue(room, out var members))
                    {
                        foreach (var endpoint in members.Endpoints(connections))
                        {
                            if (endpoint.Deliver(packet, options.Flags.Volatile))
                                delivered++;
                        }
                    }
                }
            }
            else
            {
                foreach (var endpoint in RecipientsLocked(options))
                {
                    if (endpoint.Deliver(packet, options.Flags.Volatile))
                        delivered++;
                }
            }
        }
        // Counted once per broadcast, outside the lock: not per recipient.
        connections.OnDelivered(packet, delivered);
        return Task.CompletedTask;
    }

    public async Task<BroadcastAckResult> BroadcastWithAckAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var collector = new AckCollector([connections.ServerId]);
        collector.Expect(connections.ServerId, DeliverWithAck(packet, options, collector.Add));
        return await collector.WaitAsync(options.Flags.Timeout ?? DefaultAckTimeout, cancellationToken);
    }

    /// <summary>
    /// Delivers to the selected connections, each to acknowledge through <paramref name="onAck"/>; returns whom it was
    /// delivered to. What a multi-node adapter does on each node for a broadcast with acknowledgements.
    /// </summary>
    internal IReadOnlyList<string> DeliverWithAck(Packet packet, BroadcastOptions options, Action<AckResponse> onAck)
    {
        List<IConnectionEndpoint> recipients;
        using (DeliveryBatch.Open())
        lock (_gate)
        {
            recipients = RecipientsLocked(options).ToList();
            foreach (var endpoint in recipients)
                endpoint.DeliverWithAck(packet, onAck);
        }
        connections.OnDelivered(packet, recipients.Count);
        return [.. recipients.Select(r => r.Id)];
    }

    public Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RemoteConnection> result =
            [
                .. RecipientsLocked(options).Select(e => new RemoteConnection(
                    e.Id, Namespace, e.UserId, e.DisplayName, _connections[e.Id].Snapshot(), connections.ServerId)
                {
                    ConnectedAt = e.ConnectedAt,
                    Address = e.Origin?.Address,
                    Transport = e.Origin?.Transport,
                }),
            ];
            return Task.FromResult(result);
        }
    }

    public Task AddConnectionsToRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var endpoint in RecipientsLocked(options).ToList())
                AddToRoomsLocked(endpoint.Id, rooms);
        }
        return Task.CompletedTask;
    }

    public Task RemoveConnectionsFromRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var endpoint in RecipientsLocked(options).ToList())
            {
                foreach (var room in rooms)
                    RemoveFromRoomLocked(endpoint.Id, room);
            }
        }
        return Task.CompletedTask;
    }

    public async Task DisconnectConnectionsAsync(BroadcastOptions options, string reason, CancellationToken cancellationToken = default)
    {
        List<IConnectionEndpoint> targets;
        lock (_gate)
            targets = [.. RecipientsLocked(options)];
        // Outside the lock: disconnecting calls back into this adapter (RemoveFromAllRooms).
        foreach (var endpoint in targets)
            await endpoint.DisconnectAsync(reason);
    }

    /// <summary>In one process there is no other node to tell.</summary>
    public Task ServerSideEmitAsync(Packet packet, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>In one process no other node answers: complete at once, with no reply.</summary>
    public Task<ServerSideAckResult> ServerSideEmitWithAckAsync(Packet packet, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ServerSideAckResult([], []));

    public Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => Task.FromResult(1);

    /// <inheritdoc />
    public bool IsSingleNode => true;

    public IReadOnlyDictionary<string, int> LocalRooms()
    {
        lock (_gate)
            return _rooms.ToDictionary(r => r.Key, r => r.Value.Members.Count, StringComparer.Ordinal);
    }

    public bool IsInRoom(string connectionId, string room)
    {
        lock (_gate)
            return _connections.TryGetValue(connectionId, out var rooms) && rooms.Contains(room);
    }

    public IReadOnlySet<string> RoomsOf(string connectionId)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(connectionId, out var rooms) ? rooms.Snapshot() : ImmutableHashSet<string>.Empty;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// A connection's rooms, with an immutable copy made when first asked for and kept until they change: every welcome
    /// fetches every connection of its namespace, and rooms change far less often than that, so a thousand arrivals share
    /// one copy per connection instead of making a thousand each. Used under <see cref="_gate"/>.
    /// </summary>
    private sealed class JoinedRooms() : HashSet<string>(StringComparer.Ordinal)
    {
        private ImmutableHashSet<string>? _snapshot;

        public bool Join(string room)
        {
            if (!Add(room))
                return false;
            _snapshot = null;
            return true;
        }

        public void Leave(string room)
        {
            if (Remove(room))
                _snapshot = null;
        }

        public ImmutableHashSet<string> Snapshot() => _snapshot ??= this.ToImmutableHashSet(StringComparer.Ordinal);
    }

    private void AddToRoomsLocked(string connectionId, IEnumerable<string> rooms)
    {
        if (!_connections.TryGetValue(connectionId, out var joined))
            _connections.Add(connectionId, joined = new JoinedRooms());
        foreach (var room in rooms)
        {
            if (!joined.Join(room))
                continue;
            if (!_rooms.TryGetValue(room, out var members))
                _rooms.Add(room, members = new Room());
            members.Add(connectionId);
        }
    }

    private void RemoveFromRoomLocked(string connectionId, string room)
    {
        RemoveMemberLocked(room, connectionId);
        if (_connections.TryGetValue(connectionId, out var joined))
            joined.Leave(room);
    }

    private void RemoveMemberLocked(string room, string connectionId)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(connectionId) && members.Members.Count == 0)
            _rooms.Remove(room);
    }

    // Caller holds _gate. Several rooms deliver once per connection; Except removes members of any listed room. Endpoints
    // are compared by reference: no id is hashed per recipient.
    private IEnumerable<IConnectionEndpoint> RecipientsLocked(BroadcastOptions options)
    {
        var excluded = ExcludedLocked(options.Except);
        if (options.Rooms.Count == 0)
        {
            foreach (var (id, _) in _connections)
            {
                if (connections.TryGet(id, out var endpoint) && excluded?.Contains(endpoint) != true)
                    yield return endpoint;
            }
            yield break;
        }

        var seen = options.Rooms.Count > 1 ? new HashSet<IConnectionEndpoint>(ReferenceEqualityComparer.Instance) : null;
        foreach (var room in options.Rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
                continue;
            foreach (var endpoint in members.Endpoints(connections))
            {
                if (seen is not null && !seen.Add(endpoint))
                    continue;
                if (excluded?.Contains(endpoint) != true)
                    yield return endpoint;
            }
        }
    }

    // Caller holds _gate. The members of the Except rooms (usually one: the sender's own id room).
    private HashSet<IConnectionEndpoint>? ExcludedLocked(ImmutableHashSet<string> except)
    {
        if (except.Count == 0)
            return null;
        var excluded = new HashSet<IConnectionEndpoint>(ReferenceEqualityComparer.Instance);
        foreach (var room in except)
        {
            if (_rooms.TryGetValue(room, out var members))
                excluded.UnionWith(members.Endpoints(connections));
        }
        return excluded;
    }

    /// <summary>A room's members, and their endpoints as an array kept until the members change.</summary>
    private sealed class Room
    {
        private IConnectionEndpoint[]? _endpoints;

        public HashSet<string> Members { get; } = new(StringComparer.Ordinal);

        public void Add(string connectionId)
        {
            if (Members.Add(connectionId))
                _endpoints = null;
        }

        public bool Remove(string connectionId)
        {
            if (!Members.Remove(connectionId))
                return false;
            _endpoints = null;
            return true;
        }

        // Members are added once their connection is registered, and removed before it is unregistered.
        public IConnectionEndpoint[] Endpoints(ILocalConnections connections)
        {
            if (_endpoints is null)
            {
                var endpoints = new List<IConnectionEndpoint>(Members.Count);
                foreach (var id in Members)
                {
                    if (connections.TryGet(id, out var endpoint))
                        endpoints.Add(endpoint);
                }
                _endpoints = [.. endpoints];
            }
            return _endpoints;
        }
    }
}

/// <summary>The default adapter factory: one <see cref="InMemoryAdapter"/> per namespace.</summary>
public sealed class InMemoryAdapterFactory : IChatAdapterFactory
{
    public IChatAdapter Create(string @namespace, ILocalConnections connections) => new InMemoryAdapter(@namespace, connections);
}
