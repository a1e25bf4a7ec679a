using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// One node in process whose broadcasts return as a cluster adapter's do (<c>ClusterAdapter</c>): delivered to this
/// node's connections first, then the publish to the other nodes takes its round trip (the PostgreSQL adapter's NOTIFY)
/// before the broadcast returns. So a connect whose handlers end with a broadcast returns only well after every event
/// it sent its own connection has been delivered.
/// </summary>
public sealed class RoundTripAdapterFactory(TimeSpan roundTrip) : IChatAdapterFactory
{
    private readonly InMemoryAdapterFactory _inner = new();

    public IChatAdapter Create(string @namespace, ILocalConnections connections) =>
        new RoundTripAdapter(_inner.Create(@namespace, connections), roundTrip);

    private sealed class RoundTripAdapter(IChatAdapter inner, TimeSpan roundTrip) : IChatAdapter
    {
        public string Namespace => inner.Namespace;

        public async Task BroadcastAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default)
        {
            await inner.BroadcastAsync(packet, options, cancellationToken);
            await Task.Delay(roundTrip, cancellationToken); // published to the other nodes
        }

        public Task AddToRoomsAsync(string connectionId, IEnumerable<string> rooms, CancellationToken cancellationToken = default) =>
            inner.AddToRoomsAsync(connectionId, rooms, cancellationToken);

        public Task RemoveFromRoomAsync(string connectionId, string room, CancellationToken cancellationToken = default) =>
            inner.RemoveFromRoomAsync(connectionId, room, cancellationToken);

        public Task RemoveFromAllRoomsAsync(string connectionId, CancellationToken cancellationToken = default) =>
            inner.RemoveFromAllRoomsAsync(connectionId, cancellationToken);

        public Task<BroadcastAckResult> BroadcastWithAckAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default) =>
            inner.BroadcastWithAckAsync(packet, options, cancellationToken);

        public Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options, CancellationToken cancellationToken = default) =>
            inner.FetchConnectionsAsync(options, cancellationToken);

        public Task AddConnectionsToRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default) =>
            inner.AddConnectionsToRoomsAsync(options, rooms, cancellationToken);

        public Task RemoveConnectionsFromRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default) =>
            inner.RemoveConnectionsFromRoomsAsync(options, rooms, cancellationToken);

        public Task DisconnectConnectionsAsync(BroadcastOptions options, string reason, CancellationToken cancellationToken = default) =>
            inner.DisconnectConnectionsAsync(options, reason, cancellationToken);

        public Task ServerSideEmitAsync(Packet packet, CancellationToken cancellationToken = default) =>
            inner.ServerSideEmitAsync(packet, cancellationToken);

        public Task<ServerSideAckResult> ServerSideEmitWithAckAsync(Packet packet, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            inner.ServerSideEmitWithAckAsync(packet, timeout, cancellationToken);

        public Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => inner.ServerCountAsync(cancellationToken);

        public IReadOnlyDictionary<string, int> LocalRooms() => inner.LocalRooms();

        public IReadOnlySet<string> RoomsOf(string connectionId) => inner.RoomsOf(connectionId);

        public bool IsInRoom(string connectionId, string room) => inner.IsInRoom(connectionId, room);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
