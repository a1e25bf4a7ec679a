using BlazorChat.Persistence;

namespace BlazorChat.Tests.Persistence;

/// <summary>The room store contract against PostgreSQL, on a database of its own per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRoomStoreContractTests(PostgresServer server) : RoomStoreContractTests
{
    private PostgresNode? _node;

    protected override async Task<IRoomStore> CreateStoreAsync() => (_node = await PostgresNode.OnNewDatabaseAsync(server)).Rooms;

    protected override async Task CleanUpAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
    }
}
