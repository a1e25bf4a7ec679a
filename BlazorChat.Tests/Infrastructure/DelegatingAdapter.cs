using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// An adapter that hands every call to <paramref name="inner"/>: the tests' adapters (<see cref="RoundTripAdapterFactory"/>,
/// <see cref="FetchHookAdapters"/>) derive from it and change the one call they are about.
/// </summary>
public abstract class DelegatingAdapter(IChatAdapter inner) : IChatAdapter
{
    public string Namespace => inner.Namespace;

    public virtual Task BroadcastAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default) =>
        inner.BroadcastAsync(packet, options, cancellationToken);

    public virtual Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options, CancellationToken cancellationToken = default) =>
        inner.FetchConnectionsAsync(options, cancellationToken);

    public Task AddToRoomsAsync(string connectionId, IEnumerable<string> rooms, CancellationToken cancellationToken = default) =>
        inner.AddToRoomsAsync(connectionId, rooms, cancellationToken);

    public Task RemoveFromRoomAsync(string connectionId, string room, CancellationToken cancellationToken = default) =>
        inner.RemoveFromRoomAsync(connectionId, room, cancellationToken);

    public Task RemoveFromAllRoomsAsync(string connectionId, CancellationToken cancellationToken = default) =>
        inner.RemoveFromAllRoomsAsync(connectionId, cancellationToken);

    public Task<BroadcastAckResult> BroadcastWithAckAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default) =>
        inner.BroadcastWithAckAsync(packet, options, cancellationToken);

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

    public Task WaitUntilJoinedAsync(CancellationToken cancellationToken = default) => inner.WaitUntilJoinedAsync(cancellationToken);

    public IReadOnlyDictionary<string, int> LocalRooms() => inner.LocalRooms();

    public IReadOnlySet<string> RoomsOf(string connectionId) => inner.RoomsOf(connectionId);

    public bool IsInRoom(string connectionId, string room) => inner.IsInRoom(connectionId, room);

    public virtual bool IsSingleNode => inner.IsSingleNode;

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
