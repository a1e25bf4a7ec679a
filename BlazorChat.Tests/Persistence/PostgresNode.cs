using BlazorChat.Persistence;
using BlazorChat.Persistence.Postgres;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// What one app node holds of the PostgreSQL stores: a pool of its own (<see cref="PostgresDatabase"/>), a message store
/// with its own writer loop, and a room store. Two of these on one database are two nodes of a cluster.
/// </summary>
public sealed class PostgresNode : IAsyncDisposable
{
    private bool _ownsStorage;

    public PostgresNode(TestDatabase storage, int maxBatch = 256, ILogger<PostgresMessageStore>? log = null)
    {
        Storage = storage;
        Database = new PostgresDatabase(storage.ConnectionString, NullLoggerFactory.Instance);
        Messages = new PostgresMessageStore(Database, maxBatch, log ?? NullLogger<PostgresMessageStore>.Instance);
        Rooms = new PostgresRoomStore(Database);
        AuditLog = new PostgresAuditLog(Database);
        Mutes = new PostgresMuteStore(Database);
    }

    /// <summary>A node on a fresh database of its own, dropped when the node is disposed.</summary>
    public static async Task<PostgresNode> OnNewDatabaseAsync(PostgresServer server) =>
        new(await server.CreateDatabaseAsync()) { _ownsStorage = true };

    /// <summary>The database on the tests' server.</summary>
    public TestDatabase Storage { get; }

    /// <summary>The node's own pool on it.</summary>
    public PostgresDatabase Database { get; }

    public PostgresMessageStore Messages { get; }

    public PostgresRoomStore Rooms { get; }

    public PostgresAuditLog AuditLog { get; }

    public PostgresMuteStore Mutes { get; }

    public async ValueTask DisposeAsync()
    {
        await Messages.DisposeAsync();
        await Database.DisposeAsync();
        if (_ownsStorage)
            await Storage.DisposeAsync();
    }

    public static NewMessage Message(string conversation, string sender, string text, params string[] participants) =>
        new(Guid.NewGuid(), conversation, sender, sender, text, DateTimeOffset.UnixEpoch.AddYears(55), participants);
}
