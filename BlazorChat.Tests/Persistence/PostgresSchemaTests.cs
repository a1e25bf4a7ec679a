using BlazorChat.Persistence;
using BlazorChat.Persistence.Postgres;
using Npgsql;
using static BlazorChat.Tests.Persistence.PostgresNode;

namespace BlazorChat.Tests.Persistence;

/// <summary>The PostgreSQL schema's versions: upgrades keep the data, a newer database is refused, several nodes may start at once.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresServer server) : IAsyncLifetime
{
    private const string Direct = "dm:alice:bob";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly List<TestDatabase> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
            await database.DisposeAsync();
    }

    [Fact]
    public async Task Open_DatabaseOneVersionBehind_UpgradesToTheLatestAndKeepsItsData()
    {
        var database = await NewDatabaseAsync();
        var oldId = Guid.NewGuid();
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(1700000000123);
        await using (var dataSource = database.OpenDataSource())
        {
            Assert.Equal(PostgresSchema.LatestVersion - 1, await PostgresSchema.MigrateAsync(dataSource, PostgresSchema.LatestVersion - 1));
            await using var rows = dataSource.CreateCommand($"""
                INSERT INTO conversations (key, last_sequence) VALUES ('{Direct}', 2);
                INSERT INTO participants (conversation, user_id) VALUES ('{Direct}', 'alice'), ('{Direct}', 'bob');
                INSERT INTO read_cursors (user_id, conversation, read_up_to) VALUES ('alice', '{Direct}', 1);
                """);
            await rows.ExecuteNonQueryAsync();
            await using var messages = dataSource.CreateCommand($"""
                INSERT INTO messages (conversation, seq, id, sender_id, sender_name, text, sent_at)
                VALUES ('{Direct}', 1, $1, 'alice', 'Alice', 'from the old version', $2),
                       ('{Direct}', 2, gen_random_uuid(), 'bob', 'Bob', 'and its reply', $2);
                """);
            messages.Parameters.Add(new NpgsqlParameter { Value = oldId });
            messages.Parameters.Add(new NpgsqlParameter { Value = sentAt });
            await messages.ExecuteNonQueryAsync();
        }

        await using var node = new PostgresNode(database);

        var old = await node.Messages.ReadAfterAsync(Direct, 0, 10);
        Assert.Equal(new StoredMessage(Direct, 1, oldId, "alice", "Alice", "from the old version", sentAt), old[0]);
        Assert.Equal(["from the old version", "and its reply"], old.Select(m => m.Text));
        Assert.Equal([new ConversationPosition(Direct, 2, 1)], await node.Messages.ConversationsOfAsync("alice"));
        Assert.Equal([new ConversationPosition(Direct, 2, 0)], await node.Messages.ConversationsOfAsync("bob"));
        Assert.Equal(3, (await node.Messages.AppendAsync(Message(Direct, "alice", "after the upgrade", "alice", "bob"))).Message.Sequence);
        // The latest version's tables work: rooms.
        Assert.True(await node.Rooms.AddMemberAsync("/", "design", new RoomMember("bob", "Bob")));
        Assert.Equal(["design"], await node.Rooms.RoomsOfAsync("/", "bob"));
        Assert.Equal(Enumerable.Range(1, PostgresSchema.LatestVersion), await AppliedVersionsAsync(database));
    }

    [Fact]
    public async Task Open_DatabaseFromANewerApp_IsRefused_AndLeftAsItIs()
    {
        var database = await NewDatabaseAsync();
        var newer = PostgresSchema.LatestVersion + 1;
        await using (var dataSource = database.OpenDataSource())
        {
            await PostgresSchema.MigrateAsync(dataSource);
            await using var bump = dataSource.CreateCommand($"INSERT INTO schema_migrations (version) VALUES ({newer});");
            await bump.ExecuteNonQueryAsync();
        }
        await using var node = new PostgresNode(database);

        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => node.Database.EnsureSchemaAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => node.Messages.LatestSequenceAsync(Direct));

        Assert.Contains($"version {newer}", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, newer), await AppliedVersionsAsync(database));
    }

    [Fact]
    public async Task Start_SeveralNodesAtOnceOnAnEmptyDatabase_AllSucceed_AndEachMigrationRunsOnce()
    {
        const int nodes = 4;
        // Several times over: a race between nodes that were not kept apart would show in one round or another.
        for (var round = 0; round < 5; round++)
        {
            var database = await NewDatabaseAsync();
            var cluster = Enumerable.Range(0, nodes).Select(_ => new PostgresNode(database)).ToList();
            try
            {
                var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var starts = cluster.Select(node => Task.Run(async () =>
                {
                    await start.Task;
                    return await node.Database.EnsureSchemaAsync();
                })).ToList();
                start.SetResult();

                Assert.All(await Task.WhenAll(starts).WaitAsync(Patience), version => Assert.Equal(PostgresSchema.LatestVersion, version));
                Assert.Equal(Enumerable.Range(1, PostgresSchema.LatestVersion), await AppliedVersionsAsync(database));
                var appended = await Task.WhenAll(cluster.Select(node => node.Messages.AppendAsync(Message(Direct, "alice", "hi"))));
                Assert.Equal([1L, 2L, 3L, 4L], appended.Select(a => a.Message.Sequence).Order());
            }
            finally
            {
                foreach (var node in cluster)
                    await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task EnsureSchema_AfterAFailedFirstTry_TriesAgain()
    {
        // The database does not exist yet (as when the server is not up yet): the first try fails, the next one migrates.
        var name = $"test_{Guid.NewGuid():N}";
        var later = new TestDatabase(server, name);
        _databases.Add(later);
        await using var node = new PostgresNode(later);

        await Assert.ThrowsAsync<PostgresException>(() => node.Database.EnsureSchemaAsync());
        await server.ExecuteAdminAsync($"CREATE DATABASE {name};");

        Assert.Equal(PostgresSchema.LatestVersion, await node.Database.EnsureSchemaAsync());
        Assert.Equal(1, (await node.Messages.AppendAsync(Message(Direct, "alice", "now"))).Message.Sequence);
    }

    private async Task<TestDatabase> NewDatabaseAsync()
    {
        var database = await server.CreateDatabaseAsync();
        _databases.Add(database);
        return database;
    }

    private static async Task<List<int>> AppliedVersionsAsync(TestDatabase database)
    {
        await using var dataSource = database.OpenDataSource();
        return [.. (await PostgresStorage.RowsAsync(dataSource, "SELECT version FROM schema_migrations ORDER BY version;")).Select(int.Parse)];
    }
}
