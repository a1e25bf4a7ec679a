using BlazorChat.Persistence;
using BlazorChat.Persistence.Sqlite;

namespace BlazorChat.Tests.Persistence;

/// <summary>The store contract against the embedded SQLite store, on a database file of its own per test.</summary>
public sealed class SqliteMessageStoreContractTests : MessageStoreContractTests
{
    private readonly TempDatabaseFolder _folder = new();

    protected override Task<IMessageStore> CreateStoreAsync() =>
        Task.FromResult<IMessageStore>(new SqliteMessageStore(_folder.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance));

    protected override Task CleanUpAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<IReadOnlyList<string>> StoredTextsAsync()
    {
        using var connection = _folder.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT text FROM messages;";
        using var reader = command.ExecuteReader();
        var texts = new List<string>();
        while (reader.Read())
            texts.Add(reader.GetString(0));
        return Task.FromResult<IReadOnlyList<string>>(texts);
    }

    protected override Task AssertStorageIntactAsync()
    {
        using var connection = _folder.OpenRaw();
        Assert.Equal("wal", TempDatabaseFolder.Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal("ok", TempDatabaseFolder.Scalar(connection, "PRAGMA integrity_check;"));
        return Task.CompletedTask;
    }
}
