using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// One node in process (<see cref="InMemoryAdapter"/>), where a test can run something of its own once the next count of a
/// whole namespace (<see cref="IChatAdapter.FetchConnectionsAsync"/> with no room) is made and before it is returned, to
/// make things happen while a count is on its way.
/// </summary>
public sealed class FetchHookAdapters : IChatAdapterFactory
{
    private readonly InMemoryAdapterFactory _inner = new();
    private Func<Task>? _next;

    /// <summary>Runs <paramref name="hook"/> once, between the next count of a whole namespace and its return.</summary>
    public void OnNextCount(Func<Task> hook) => Volatile.Write(ref _next, hook);

    public IChatAdapter Create(string @namespace, ILocalConnections connections) => new Hooked(_inner.Create(@namespace, connections), this);

    private sealed class Hooked(IChatAdapter inner, FetchHookAdapters owner) : IChatAdapter
    {
        public string Namespace => inner.Namespace;

        public async Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
        {
            var counted = await inner.FetchConnectionsAsync(options, cancellationToken);
            if (options.Rooms.Count == 0 && Interlocked.Exchange(ref owner._next, null) is { } hook)
                await hook();
            return counted;
        }

        public Task AddToRoomsAsync(string connectionId, IEnumerable<string> rooms, CancellationToken cancellationToken = default) =>
            inner.AddToRoomsAsync(connectionId, rooms, cancellationToken);

        public Task RemoveFromRoomAsync(string connectionId, string room, CancellationToken cancellationToken = default) =>
            inner.RemoveFromRoomAsync(connectionId, room, cancellationToken);

        public Task RemoveFromAllRoomsAsync(string connectionId, CancellationToken cancellationToken = default) =>
            inner.RemoveFromAllRoomsAsync(connectionId, cancellationToken);

        public Task BroadcastAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default) =>
            inner.BroadcastAsync(packet, options, cancellationToken);

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

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
