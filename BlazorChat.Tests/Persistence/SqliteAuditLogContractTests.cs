using BlazorChat.Moderation;
using BlazorChat.Persistence.Sqlite;

namespace BlazorChat.Tests.Persistence;

/// <summary>The audit log contract against SQLite, in the message store's file (a fresh one per test).</summary>
public sealed class SqliteAuditLogContractTests : AuditLogContractTests
{
    private readonly TempDatabaseFolder _folder = new();
    private SqliteMessageStore? _messages;

    protected override Task<IAuditLog> CreateLogAsync()
    {
        _messages = new SqliteMessageStore(_folder.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance);
        return Task.FromResult<IAuditLog>(new SqliteAuditLog(_messages));
    }

    protected override async Task CleanUpAsync()
    {
        if (_messages is not null)
            await _messages.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Entries_SurviveARestartOfTheStore()
    {
        var entry = new AuditEntry(Guid.NewGuid(), DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), "admin-1", "Ada",
            AuditActions.Ban, "bob", "spam");
        await Log.AppendAsync(entry);
        await _messages!.DisposeAsync();

        await using var reopened = new SqliteMessageStore(_folder.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance);

        Assert.Equal([entry], await new SqliteAuditLog(reopened).RecentAsync(10, AuditFilter.All));
    }
}
