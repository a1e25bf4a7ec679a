using BlazorChat.Persistence;
using BlazorChat.Persistence.Postgres;
using Npgsql;
using static BlazorChat.Tests.Persistence.PostgresNode;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// What only the PostgreSQL store promises: several nodes (stores with pools and writer loops of their own) writing the
/// same conversation at once still number it 1, 2, 3… and store a retried message once, and a write PostgreSQL refuses
/// fails alone.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMessageStoreTests(PostgresServer server) : IAsyncLifetime
{
    private const string Room = "room:general";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestDatabase? _storage;

    private TestDatabase Storage => _storage ?? throw new InvalidOperationException("Made in InitializeAsync.");

    public async Task InitializeAsync() => _storage = await server.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_storage is not null)
            await _storage.DisposeAsync();
    }

    [Fact]
    public async Task Append_FromTwoNodesAtOnce_NumbersOneToAThousandWithoutGapsOrRepeats()
    {
        const int sendersPerNode = 10, perSender = 50;
        await using var first = new PostgresNode(Storage);
        await using var second = new PostgresNode(Storage);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<List<AppendResult>> SendAsync(PostgresNode node, string sender)
        {
            await start.Task;
            var results = new List<AppendResult>(perSender);
            for (var i = 0; i < perSender; i++)
                results.Add(await node.Messages.AppendAsync(Message(Room, sender, $"{sender} #{i}")));
            return results;
        }

        var firsts = Enumerable.Range(0, sendersPerNode).Select(s => Task.Run(() => SendAsync(first, $"a{s}"))).ToList();
        var seconds = Enumerable.Range(0, sendersPerNode).Select(s => Task.Run(() => SendAsync(second, $"b{s}"))).ToList();
        start.SetResult();
        var results = await Task.WhenAll(firsts.Concat(seconds)).WaitAsync(Patience);

        var all = results.SelectMany(r => r).ToList();
        Assert.DoesNotContain(all, r => r.Duplicate);
        Assert.Equal(Range(1, 2 * sendersPerNode * perSender), all.Select(r => r.Message.Sequence).Order());
        // Each sender awaited its appends one by one: its own messages are numbered in that order.
        Assert.All(results, r => Assert.Equal(r.Select(m => m.Message.Sequence).Order(), r.Select(m => m.Message.Sequence)));
        // The nodes really did write at the same time: the first node's numbers are not one block before or after the other's.
        var firstNode = results.Take(sendersPerNode).SelectMany(r => r).Select(r => r.Message.Sequence).Order().ToList();
        Assert.True(firstNode[^1] - firstNode[0] + 1 > firstNode.Count, "the two nodes' appends did not interleave");
        // Either node reads the same log: every number once, each the message that was given it.
        var appended = all.ToDictionary(r => r.Message.Sequence, r => r.Message);
        foreach (var node in (PostgresNode[])[first, second])
        {
            var stored = await ReadAllAsync(node, Room);
            Assert.Equal(Range(1, appended.Count), stored.Select(m => m.Sequence));
            Assert.All(stored, m => Assert.Equal(appended[m.Sequence], m));
            Assert.Equal(appended.Count, await node.Messages.LatestSequenceAsync(Room));
        }
        await PostgresStorage.AssertIntactAsync(Storage);
    }

    [Fact]
    public async Task Append_SameIdOnTwoNodesAtOnce_StoresItOnce_AndBothGetItsNumber()
    {
        const int rounds = 100;
        await using var first = new PostgresNode(Storage);
        await using var second = new PostgresNode(Storage);

        for (var round = 1; round <= rounds; round++)
        {
            // A retry that reached another node while the first attempt was still being stored.
            var message = Message(Room, "alice", $"retried {round}");
            var results = await Task.WhenAll(
                Task.Run(() => first.Messages.AppendAsync(message)),
                Task.Run(() => second.Messages.AppendAsync(message))).WaitAsync(Patience);

            Assert.Single(results, r => !r.Duplicate);
            Assert.Equal(results[0].Message, results[1].Message);
            Assert.Equal(round, results[0].Message.Sequence);
        }

        var stored = await ReadAllAsync(first, Room);
        Assert.Equal(Range(1, rounds), stored.Select(m => m.Sequence));
        Assert.Equal(Enumerable.Range(1, rounds).Select(r => $"retried {r}"), stored.Select(m => m.Text));
        await PostgresStorage.AssertIntactAsync(Storage);
    }

    [Fact]
    public async Task Append_SameIdToTwoConversationsOnTwoNodesAtOnce_StoresOne_AndRefusesTheOther()
    {
        const int rounds = 50;
        await using var first = new PostgresNode(Storage);
        await using var second = new PostgresNode(Storage);

        for (var round = 1; round <= rounds; round++)
        {
            // Each node holds a different conversation's lock: only the id's uniqueness keeps the two apart.
            var message = Message(Room, "alice", $"reused id {round}");
            var attempts = new[]
            {
                Task.Run(() => first.Messages.AppendAsync(message)),
                Task.Run(() => second.Messages.AppendAsync(message with { Conversation = "room:random" })),
            };
            var outcomes = await Task.WhenAll(attempts.Select(OutcomeAsync)).WaitAsync(Patience);

            Assert.Equal(["refused", "stored"], outcomes.Order(StringComparer.Ordinal));
        }

        static async Task<string> OutcomeAsync(Task<AppendResult> append)
        {
            try
            {
                return (await append).Duplicate ? "duplicate" : "stored";
            }
            catch (MessageIdConflictException)
            {
                return "refused";
            }
        }

        var stored = (await ReadAllAsync(first, Room)).Concat(await ReadAllAsync(first, "room:random")).ToList();
        Assert.Equal(rounds, stored.Count);
        await PostgresStorage.AssertIntactAsync(Storage);
    }

    [Fact]
    public async Task Append_IdStoredOnOneNode_FromAnotherSenderOnTheOther_IsAConflict()
    {
        await using var first = new PostgresNode(Storage);
        await using var second = new PostgresNode(Storage);
        var alices = Message(Room, "alice", "mine");
        await first.Messages.AppendAsync(alices);

        await Assert.ThrowsAsync<MessageIdConflictException>(
            () => second.Messages.AppendAsync(alices with { SenderId = "mallory", SenderName = "mallory", Text = "hijack" }));

        Assert.Equal("mine", Assert.Single(await ReadAllAsync(second, Room)).Text);
    }

    [Fact]
    public async Task Batch_WithOneWritePostgresRefuses_StillCommitsTheOthers()
    {
        var log = new RecordingLogger<PostgresMessageStore>();
        await using var node = new PostgresNode(Storage, maxBatch: 10_000, log);
        await node.Database.EnsureSchemaAsync();
        await using var outside = Storage.OpenDataSource();
        await using var blocker = await outside.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand($"INSERT INTO conversations (key) VALUES ('{Room}');", blocker))
            await create.ExecuteNonQueryAsync();

        // Hold the room's row lock from outside, so the writer cannot commit while the writes queue up behind it: the
        // refused write then shares a transaction with at least 100 good ones.
        List<Task<AppendResult>> appends;
        Task refused, cursor;
        await using (var hold = await blocker.BeginTransactionAsync())
        {
            await using (var lockRoom = new NpgsqlCommand($"SELECT FROM conversations WHERE key = '{Room}' FOR UPDATE;", blocker, hold))
                await lockRoom.ExecuteNonQueryAsync();
            appends = [.. Enumerable.Range(1, 100).Select(i => node.Messages.AppendAsync(Message(Room, "bob", $"m{i}")))];
            // PostgreSQL's text cannot hold U+0000 (SQLite's can): the server refuses this one statement.
            refused = node.Messages.AppendAsync(Message(Room, "mallory", "nul \0 here"));
            appends.AddRange(Enumerable.Range(101, 100).Select(i => node.Messages.AppendAsync(Message(Room, "bob", $"m{i}"))));
            cursor = node.Messages.MarkReadAsync("bob", Room, 200);
            await hold.RollbackAsync();
        }

        await Assert.ThrowsAsync<PostgresException>(() => refused.WaitAsync(Patience));
        var results = await Task.WhenAll(appends).WaitAsync(Patience);
        await cursor.WaitAsync(Patience);
        // Numbered in the order they were sent, without a hole where the refused write was.
        Assert.Equal(Range(1, 200), results.Select(r => r.Message.Sequence));
        Assert.Equal(Range(1, 200).Select(s => $"m{s}"), (await ReadAllAsync(node, Room)).Select(m => m.Text));
        Assert.Equal(new ConversationPosition(Room, 200, 200), Assert.Single(await node.Messages.ConversationsOfAsync("bob")));
        Assert.Contains(log.Messages, m => m.Contains("committing them one by one", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectionsEndedByTheServer_AsWhenItRestarts_CostNoWriteOrRead()
    {
        await using var node = new PostgresNode(Storage);
        var first = await node.Messages.AppendAsync(Message(Room, "alice", "before"));
        Assert.Single(await node.Messages.ReadAfterAsync(Room, 0, 10));
        await node.Rooms.AddMemberAsync("/", "lobby", new RoomMember("alice", "Alice"));

        // Each use finds the pool's connections dead, as after a restart of PostgreSQL, and still works on the first try:
        // no "not sent" for a server that is up.
        await EndEveryBackendAsync();
        var second = await node.Messages.AppendAsync(Message(Room, "alice", "after")).WaitAsync(Patience);
        Assert.Equal(first.Message.Sequence + 1, second.Message.Sequence);
        await EndEveryBackendAsync();
        Assert.Equal(["before", "after"], (await node.Messages.ReadAfterAsync(Room, 0, 10)).Select(m => m.Text));
        await EndEveryBackendAsync();
        Assert.Equal(["lobby"], await node.Rooms.RoomsOfAsync("/", "alice"));
    }

    // Ends every backend on the test's database but its own: the pools' idle connections are dead, and do not know it.
    private async Task EndEveryBackendAsync()
    {
        await using var dataSource = Storage.OpenDataSource();
        await using var terminate = dataSource.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 1, "no backend to end");
    }

    private static async Task<List<StoredMessage>> ReadAllAsync(PostgresNode node, string conversation)
    {
        var stored = new List<StoredMessage>();
        long after = 0;
        while (await node.Messages.ReadAfterAsync(conversation, after, 500) is { Count: > 0 } page)
        {
            stored.AddRange(page);
            after = page[^1].Sequence;
        }
        return stored;
    }

    private static IEnumerable<long> Range(long first, long last)
    {
        for (var s = first; s <= last; s++)
            yield return s;
    }
}
