using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Tests.Realtime.Cluster;
using BlazorChat.Tests.Realtime.Core.Support;
using Npgsql;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>
/// What the PostgreSQL bus promises beyond the adapter's contract: a node's messages arrive in the order it published
/// them however many it publishes at once, a room's acknowledgements cross in a few messages rather than one each, and
/// a database that asks for a password lets every connection of a node in, the listening one too.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBusTests(PostgresServer server) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private TestDatabase? _database;

    public async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
            await _owned[i].DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Fact]
    public async Task ManyMessagesPublishedAtOnce_ArriveInTheOrderTheyWerePublished_IdenticalOnesToo()
    {
        var options = PostgresWorlds.Options(_database!.ConnectionString);
        var sender = Bus(options, "node-a");
        var receiver = Bus(options, "node-b");
        var received = new List<long>();
        var allIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Pairs of identical messages: PostgreSQL delivers only one of two identical notifications of one transaction.
        long[] stamps = [.. Enumerable.Range(0, 400).Select(i => (long)(i / 2))];
        _owned.Add(await receiver.SubscribeAsync("/", message =>
        {
            lock (received)
            {
                received.Add(((HeartbeatMessage)message).Stamp);
                if (received.Count == stamps.Length)
                    allIn.TrySetResult();
            }
        }));

        // Published without waiting for each other, as a node's broadcasts, answers and beats are.
        await Task.WhenAll([.. stamps.Select(stamp => sender.PublishAsync(new HeartbeatMessage("/", "node-a", false, stamp)))]);

        await allIn.Task.WaitAsync(Wait.Timeout);
        await Task.Delay(200); // nothing more comes
        lock (received)
            Assert.Equal(stamps, received);
    }

    [Fact]
    public async Task APublishingConnectionEndedByTheServer_AsWhenItRestarts_CostsNoMessage()
    {
        var options = PostgresWorlds.Options(_database!.ConnectionString);
        var sender = Bus(options, "node-a");
        var receiver = Bus(options, "node-b");
        var received = new System.Collections.Concurrent.ConcurrentQueue<long>();
        _owned.Add(await receiver.SubscribeAsync("/", message => received.Enqueue(((HeartbeatMessage)message).Stamp)));
        await sender.PublishAsync(new HeartbeatMessage("/", "node-a", false, 1));
        await Wait.UntilAsync(() => received.Count == 1, "the first message");

        // The publishing connection is ended, as a restart of PostgreSQL ends it (the listening ones are left alone).
        await using (var dataSource = _database.OpenDataSource())
        await using (var terminate = dataSource.CreateCommand($"""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name NOT LIKE '{PostgresBus.ListenerName}%'
            """))
            Assert.True((long)(await terminate.ExecuteScalarAsync())! >= 1, "no publishing connection to end");

        await sender.PublishAsync(new HeartbeatMessage("/", "node-a", false, 2)).WaitAsync(Wait.Timeout);
        await Wait.UntilAsync(() => received.Count == 2, "the message after the connection was ended");
        Assert.Equal([1L, 2L], received);
    }

    [Fact]
    public async Task IsListening_FromTheFirstListenUntilTheListeningConnectionIsEnded_AndAgainOnceItListensAgain()
    {
        var options = PostgresWorlds.Options(_database!.ConnectionString);
        var bus = Bus(options, "node-a");
        _owned.Add(await bus.SubscribeAsync("/", _ => { }));
        Assert.True(bus.IsListening);

        // Ended as a restart of PostgreSQL ends it: from then until a new connection listens again, the bus hears nothing.
        await using (var dataSource = _database.OpenDataSource())
        await using (var terminate = dataSource.CreateCommand(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{PostgresBus.ListenerName}node-a'"))
            Assert.Equal(1L, (long)(await terminate.ExecuteScalarAsync())!);

        // The break is short (a new connection follows within about 100 ms): watched closely.
        var deadline = DateTime.UtcNow + Wait.Timeout;
        while (bus.IsListening)
        {
            Assert.True(DateTime.UtcNow < deadline, "still listening after its connection was ended");
            Thread.Sleep(1);
        }
        await Wait.UntilAsync(() => bus.IsListening, "listening again");
    }

    [Fact]
    public async Task BroadcastWithAck_ToARoomOnAnotherNode_CarriesTheAnswersBackInAFewMessages()
    {
        var options = PostgresWorlds.Options(_database!.ConnectionString);
        var first = Node(options);
        var second = Node(options);
        await ClusterWorlds.WaitForServerCountAsync(first.Server.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(second.Server.Main.Adapter, 2);
        for (var i = 0; i < 100; i++)
            await second.Server.ConnectAsync("/", $"member-{i}", null, "crowd");
        // A bus that listens in (no adapter, so no node counts it): every message the nodes publish reaches it too.
        var spy = Bus(options, "spy");
        var answers = new List<int>();
        _owned.Add(await spy.SubscribeAsync("/", message =>
        {
            if (message is AckReceivedResponse received)
            {
                lock (answers)
                    answers.Add(received.Acks.Count);
            }
        }));

        var result = await first.Server.Main.To("crowd").Timeout(Wait.Timeout).EmitWithAckAsync("cheat");

        Assert.True(result.Complete, $"missing: {string.Join(", ", result.Missing)}");
        Assert.Equal(100, result.Responses.Count);
        await Wait.UntilAsync(() => { lock (answers) return answers.Sum() == 100; }, "the spy hears every answer");
        lock (answers)
            Assert.True(answers.Count <= 10, $"100 answers took {answers.Count} messages ({string.Join(", ", answers)} answers each)");
    }

    [Fact]
    public async Task ADatabaseThatAsksForAPassword_LetsTheListeningConnectionInToo()
    {
        var options = PostgresWorlds.Options(await server.ConnectionStringWithPasswordAsync(_database!));
        var first = Node(options);
        var second = Node(options);

        // Each counts the other only once it listens: its listening connection signed in.
        await ClusterWorlds.WaitForServerCountAsync(first.Server.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(second.Server.Main.Adapter, 2);
        await first.Server.ConnectAsync("/", "A", null, "room1");
        var b = await second.Server.ConnectAsync("/", "B", null, "room1");
        await first.Server.Main.To("room1").EmitAsync("cheat");
        await b.Inbox.WaitForEventAsync("cheat");
    }

    private PostgresBus Bus(PostgresAdapterOptions options, string nodeId)
    {
        var dataSource = NpgsqlDataSource.Create(options.ConnectionString!);
        var bus = new PostgresBus(dataSource, options.ConnectionString!, nodeId, ClusterWorlds.Codec, options, TimeProvider.System,
            NullLogger<PostgresBus>.Instance);
        _owned.Add(dataSource);
        _owned.Add(bus);
        return bus;
    }

    private ClusterNode Node(PostgresAdapterOptions options)
    {
        var node = new ClusterNode(options);
        _owned.Add(node);
        _ = node.Server.Main; // "/" and its adapter start here
        return node;
    }
}
