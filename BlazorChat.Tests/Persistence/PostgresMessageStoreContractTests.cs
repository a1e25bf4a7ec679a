using BlazorChat.Persistence;

namespace BlazorChat.Tests.Persistence;

/// <summary>The store contract against PostgreSQL, on a database of its own per test on the tests' own server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMessageStoreContractTests(PostgresServer server) : MessageStoreContractTests
{
    private PostgresNode? _node;

    protected override async Task<IMessageStore> CreateStoreAsync() => (_node = await PostgresNode.OnNewDatabaseAsync(server)).Messages;

    protected override async Task CleanUpAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
    }

    protected override async Task<IReadOnlyList<string>> StoredTextsAsync()
    {
        await using var dataSource = _node!.Storage.OpenDataSource();
        return await PostgresStorage.RowsAsync(dataSource, "SELECT text FROM messages;");
    }

    protected override Task AssertStorageIntactAsync() => PostgresStorage.AssertIntactAsync(_node!.Storage);
}
