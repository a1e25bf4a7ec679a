using BlazorChat.Persistence;
using BlazorChat.Persistence.Postgres;

namespace BlazorChat.Tests.Persistence;

/// <summary>The store contract against PostgreSQL, on a database of its own per test on the tests' own server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMessageStoreContractTests(PostgresServer server) : MessageStoreContractTests
{
    private TestDatabase? _database;
    private PostgresDatabase? _postgres;

    protected override async Task<IMessageStore> CreateStoreAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _postgres = new PostgresDatabase(_database.ConnectionString, NullLoggerFactory.Instance);
        return new PostgresMessageStore(_postgres, maxBatch: 256, NullLogger<PostgresMessageStore>.Instance);
    }

    protected override async Task CleanUpAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    protected override Task AssertStorageIntactAsync() => PostgresStorage.AssertIntactAsync(_database!);
}
