using BlazorChat.Persistence;
using BlazorChat.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Persistence;

/// <summary>What only the SQLite store promises: its file, its schema versions, and its group commit.</summary>
public sealed class SqliteMessageStoreTests : IDisposable
{
    private const string Room = "room:general";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // ---- The file ----

    [Fact]
    public async Task Open_OnFirstRun_CreatesTheFolderAndDatabaseUnderTheContentRoot()
    {
        Assert.False(Directory.Exists(_folder.Folder));
        var environment = new HostingEnvironment { ContentRootPath = _folder.Folder };

        await using (var store = new SqliteMessageStore(Options.Create(new StoreOptions()), environment, NullLogger<SqliteMessageStore>.Instance))
        {
            var expected = Path.Combine(_folder.Folder, "App_Data", "blazorchat.db");
            Assert.Equal(expected, store.DatabasePath);
            Assert.True(File.Exists(expected));
            Assert.Equal(1, (await store.AppendAsync(Message(Room, "alice", "first"))).Message.Sequence);
        }
    }

    [Fact]
    public async Task Open_NewDatabase_IsInWalModeAtTheLatestSchemaVersion()
    {
        await using var store = OpenStore();

        using var connection = _folder.OpenRaw();
        Assert.Equal("wal", TempDatabaseFolder.Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(SqliteSchema.LatestVersion, SqliteSchema.VersionOf(connection));
    }

    [Fact]
    public async Task Reopen_SameFile_KeepsMessagesAndCursorsAndContinuesNumbering()
    {
        IReadOnlyList<StoredMessage> before;
        await using (var store = OpenStore())
        {
            for (var i = 1; i <= 3; i++)
                await store.AppendAsync(Message(Room, "alice", $"m{i}"));
            await store.AppendAsync(Message("dm:alice:bob", "alice", "psst", "alice", "bob"));
            await store.MarkReadAsync("bob", Room, 2);
            before = await store.ReadAfterAsync(Room, 0, 10);
        }
        // Really close the file, so the second store reads it from disk, not from a pooled open connection.
        SqliteConnection.ClearAllPools();

        await using var reopened = OpenStore();

        Assert.Equal(before, await reopened.ReadAfterAsync(Room, 0, 10));
        Assert.Equal(
            [new ConversationPosition("dm:alice:bob", 1, 0), new ConversationPosition(Room, 3, 2)],
            (await reopened.ConversationsOfAsync("bob")).OrderBy(p => p.Conversation, StringComparer.Ordinal));
        Assert.Equal(4, (await reopened.AppendAsync(Message(Room, "bob", "m4"))).Message.Sequence);
        Assert.Equal(2, (await reopened.AppendAsync(Message("dm:alice:bob", "bob", "hi", "alice", "bob"))).Message.Sequence);
    }

    // ---- Schema versions ----

    [Fact]
    public async Task Open_VersionOneDatabase_UpgradesToTheLatestAndKeepsItsMessages()
    {
        var oldId = Guid.NewGuid();
        using (var connection = _folder.OpenRaw())
        {
            SqliteSchema.Migrate(connection, 1);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO messages (conversation, seq, id, sender_id, sender_name, text, sent_at_ms)
                VALUES ($conversation, 1, $id, 'alice', 'Alice', 'from version 1', 1700000000123);
                """;
            insert.Parameters.AddWithValue("$conversation", Room);
            insert.Parameters.AddWithValue("$id", oldId.ToString("D"));
            insert.ExecuteNonQuery();
            Assert.Equal(1, SqliteSchema.VersionOf(connection));
        }

        await using var store = OpenStore();

        var old = Assert.Single(await store.ReadAfterAsync(Room, 0, 10));
        Assert.Equal(new StoredMessage(Room, 1, oldId, "alice", "Alice", "from version 1", DateTimeOffset.FromUnixTimeMilliseconds(1700000000123)), old);
        Assert.Equal(2, (await store.AppendAsync(Message(Room, "bob", "after upgrade"))).Message.Sequence);
        // Version 2's tables work: participants and cursors.
        await store.AppendAsync(Message("dm:alice:bob", "bob", "hi", "alice", "bob"));
        await store.MarkReadAsync("alice", Room, 1);
        Assert.Equal(2, (await store.ConversationsOfAsync("alice")).Count);
        using var check = _folder.OpenRaw();
        Assert.Equal(SqliteSchema.LatestVersion, SqliteSchema.VersionOf(check));
    }

    [Fact]
    public async Task Open_VersionTwoDatabase_UpgradesToTheLatestVersion_KeepsItsData_AndRoomsWork()
    {
        var oldId = Guid.NewGuid();
        using (var connection = _folder.OpenRaw())
        {
            SqliteSchema.Migrate(connection, 2);
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO messages (conversation, seq, id, sender_id, sender_name, text, sent_at_ms)
                VALUES ('dm:alice:bob', 1, $id, 'alice', 'Alice', 'from version 2', 1700000000123);
                INSERT INTO participants (conversation, user_id) VALUES ('dm:alice:bob', 'alice'), ('dm:alice:bob', 'bob');
                INSERT INTO read_cursors (user_id, conversation, read_up_to) VALUES ('alice', 'dm:alice:bob', 1);
                """;
            insert.Parameters.AddWithValue("$id", oldId.ToString("D"));
            insert.ExecuteNonQuery();
            Assert.Equal(2, SqliteSchema.VersionOf(connection));
        }

        await using var store = OpenStore();
        var rooms = new SqliteRoomStore(store);

        Assert.Equal("from version 2", Assert.Single(await store.ReadAfterAsync("dm:alice:bob", 0, 10)).Text);
        Assert.Equal([new ConversationPosition("dm:alice:bob", 1, 0)], await store.ConversationsOfAsync("bob"));
        Assert.Equal([new ConversationPosition("dm:alice:bob", 1, 1)], await store.ConversationsOfAsync("alice"));
        Assert.True(await rooms.AddMemberAsync("/", "design", new RoomMember("bob", "Bob")));
        Assert.Equal(["design"], await rooms.RoomsOfAsync("/", "bob"));
        using var check = _folder.OpenRaw();
        Assert.Equal(SqliteSchema.LatestVersion, SqliteSchema.VersionOf(check));
        Assert.False(Assert.Single(await store.ReadAfterAsync("dm:alice:bob", 0, 10)).Removed);
    }

    [Fact]
    public void Open_DatabaseFromANewerApp_IsRefused()
    {
        var newer = SqliteSchema.LatestVersion + 1;
        using (var connection = _folder.OpenRaw())
        {
            SqliteSchema.Migrate(connection);
            using var bump = connection.CreateCommand();
            bump.CommandText = $"PRAGMA user_version = {newer};";
            bump.ExecuteNonQuery();
        }

        var refusal = Assert.Throws<InvalidOperationException>(() => OpenStore());

        Assert.Contains($"version {newer}", refusal.Message, StringComparison.Ordinal);
        using var check = _folder.OpenRaw();
        Assert.Equal(newer, SqliteSchema.VersionOf(check));
    }

    // ---- Group commit ----

    [Fact]
    public async Task Batch_WithOneConflictingWrite_StillCommitsTheOthers()
    {
        await using var store = OpenStore(maxBatch: 10_000);
        var taken = Message("room:other", "alice", "owns this id");
        await store.AppendAsync(taken);

        var (appends, refused, cursor) = QueueAroundOneBadWrite(store, () => store.AppendAsync(taken with { Conversation = Room }));

        await Assert.ThrowsAsync<MessageIdConflictException>(() => refused.WaitAsync(Patience));
        await AssertTheOthersCommittedAsync(store, appends, cursor);
    }

    [Fact]
    public async Task Batch_WithOneMalformedWrite_StillCommitsTheOthers()
    {
        await using var store = OpenStore(maxBatch: 10_000);

        // A caller's bug (null text despite the annotation) fails only that caller, not the others in its batch.
        var (appends, refused, cursor) = QueueAroundOneBadWrite(store, () => store.AppendAsync(Message(Room, "mallory", null!)));

        await Assert.ThrowsAnyAsync<Exception>(() => refused.WaitAsync(Patience));
        await AssertTheOthersCommittedAsync(store, appends, cursor);
    }

    /// <summary>
    /// Queues 100 appends, the bad write, 100 more appends and a cursor move while holding the database's write lock
    /// from outside, so the writer cannot commit meanwhile: the queue then goes into at most two transactions, and
    /// the bad write shares one with at least 100 good writes.
    /// </summary>
    private (List<Task<AppendResult>> Appends, Task Refused, Task Cursor) QueueAroundOneBadWrite(SqliteMessageStore store, Func<Task> badWrite)
    {
        using var blocker = _folder.OpenRaw();
        using var hold = blocker.BeginTransaction(deferred: false);
        var appends = Enumerable.Range(1, 100).Select(i => store.AppendAsync(Message(Room, "bob", $"m{i}"))).ToList();
        var refused = badWrite();
        appends.AddRange(Enumerable.Range(101, 100).Select(i => store.AppendAsync(Message(Room, "bob", $"m{i}"))));
        var cursor = store.MarkReadAsync("bob", Room, 200);
        hold.Rollback();
        return (appends, refused, cursor);
    }

    private static async Task AssertTheOthersCommittedAsync(SqliteMessageStore store, List<Task<AppendResult>> appends, Task cursor)
    {
        var results = await Task.WhenAll(appends).WaitAsync(Patience);
        await cursor.WaitAsync(Patience);
        // Numbered without a hole where the refused write was.
        Assert.Equal(Range(1, 200), results.Select(r => r.Message.Sequence));
        var stored = await store.ReadAfterAsync(Room, 0, 1000);
        Assert.Equal(Range(1, 200).Select(s => $"m{s}"), stored.Select(m => m.Text));
        Assert.Equal(new ConversationPosition(Room, 200, 200), Assert.Single(await store.ConversationsOfAsync("bob")));
    }

    [Fact]
    public async Task Batch_WithAnUnboundedMaxBatch_StillCommits()
    {
        await using var store = OpenStore(maxBatch: int.MaxValue);

        var results = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => store.AppendAsync(Message(Room, "alice", $"m{i}")))).WaitAsync(Patience);

        Assert.Equal(Range(1, 50), results.Select(r => r.Message.Sequence));
    }

    private SqliteMessageStore OpenStore(int maxBatch = 256) =>
        new(_folder.DatabasePath, maxBatch, NullLogger<SqliteMessageStore>.Instance);

    private static NewMessage Message(string conversation, string sender, string text, params string[] participants) =>
        new(Guid.NewGuid(), conversation, sender, sender, text, DateTimeOffset.UnixEpoch.AddYears(55), participants);

    private static IEnumerable<long> Range(long first, long last)
    {
        for (var s = first; s <= last; s++)
            yield return s;
    }
}
