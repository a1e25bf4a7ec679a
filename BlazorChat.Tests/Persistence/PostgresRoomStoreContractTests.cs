using BlazorChat.Persistence;
using BlazorChat.Persistence.Postgres;

namespace BlazorChat.Tests.Persistence;

/// <summary>The room store contract against PostgreSQL, on a database of its own per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRoomStoreContractTests(PostgresServer server) : RoomStoreContractTests
{
    private TestDatabase? _database;
    private PostgresDatabase? _postgres;

    protected override async Task<IRoomStore> CreateStoreAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _postgres = new PostgresDatabase(_database.ConnectionString, NullLoggerFactory.Instance);
        return new PostgresRoomStore(_postgres);
    }

    protected override async Task CleanUpAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
