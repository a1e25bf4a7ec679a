using BlazorChat.Persistence;
using BlazorChat.Persistence.Sqlite;

namespace BlazorChat.Tests.Persistence;

/// <summary>The room store contract against SQLite, in the message store's file (a fresh one per test).</summary>
public sealed class SqliteRoomStoreContractTests : RoomStoreContractTests
{
    private readonly TempDatabaseFolder _folder = new();
    private SqliteMessageStore? _messages;

    protected override Task<IRoomStore> CreateStoreAsync()
    {
        _messages = new SqliteMessageStore(_folder.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance);
        return Task.FromResult<IRoomStore>(new SqliteRoomStore(_messages));
    }

    protected override async Task CleanUpAsync()
    {
        if (_messages is not null)
            await _messages.DisposeAsync();
        _folder.Dispose();
    }
}
