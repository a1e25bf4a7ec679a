using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Realtime.Cluster;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>
/// The multi-node suite on the PostgreSQL adapter: three nodes, each on its own adapter factory (its own pool and
/// listening connection), on one database; plus what only PostgreSQL has: NOTIFY's size limit and a listening
/// connection that the server ends.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresServer server) : MultiNodeTests
{
    private readonly List<PostgresAdapterFactory> _factories = [];
    private readonly string _prefix = PostgresWorlds.NewPrefix();
    private TestDatabase? _database;

    public override async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var factory in _factories)
            await factory.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    protected override IChatAdapterFactory NodeFactory()
    {
        var factory = new PostgresAdapterFactory(PostgresWorlds.Options(_database!.ConnectionString, _prefix), ClusterWorlds.Codec, NullLoggerFactory.Instance);
        _factories.Add(factory);
        return factory;
    }

    [Fact]
    public async Task BigPayload_OverNotifysLimit_TravelsThroughTheTable()
    {
        var text = string.Concat(Enumerable.Repeat("ünïcödé ", 2_000)); // 16,000 characters, more bytes
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(text) > PostgresBus.NotifyLimit);

        await First.Main.To("B", "C").EmitAsync(Cheat, new TextData(text));

        await AssertReceivedByExactlyAsync("a big payload", ["B", "C"]);
        Assert.Equal(new TextData(text), Clients["B"].Inbox.Packets.Single(p => p.Event == Cheat).Data);
        Assert.Equal(new TextData(text), Clients["C"].Inbox.Packets.Single(p => p.Event == Cheat).Data);
        await using var dataSource = _database!.OpenDataSource();
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {PostgresBus.AttachmentTable}");
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ListeningConnectionTerminated_IsOpenedAgain_AndDeliveryResumes()
    {
        // Each node's namespace hears that it missed deliveries, once it listens again (the app then catches up).
        var missed = Nodes.Select(node =>
        {
            var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node.Main.OnDeliveriesMissed(_ =>
            {
                heard.TrySetResult();
                return Task.CompletedTask;
            });
            return heard.Task;
        }).ToList();
        await using (var dataSource = _database!.OpenDataSource())
        await using (var terminate = dataSource.CreateCommand(
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '{PostgresBus.ListenerName}%'"))
            Assert.Equal(3L, await terminate.ExecuteScalarAsync());

        // Whatever was notified while a node was not listening is lost to it (the store is the log): send until B hears.
        var deadline = DateTime.UtcNow + Wait.Timeout;
        while (!Clients["B"].Inbox.HasReceived(Cheat))
        {
            Assert.True(DateTime.UtcNow < deadline, $"B heard nothing for {Wait.Timeout.TotalSeconds:0} s after its node's listening connection was terminated.");
            await First.Main.To("B").EmitAsync(Cheat);
            await Task.Delay(50);
        }
        await ClusterWorlds.WaitForServerCountAsync(Nodes[1].Main.Adapter, 3);
        await Task.WhenAll(missed).WaitAsync(Wait.Timeout);
    }

    [Fact]
    public async Task AListeningConnectionThatNeverBroke_MissedNothing()
    {
        var heard = 0;
        foreach (var node in Nodes)
            node.Main.OnDeliveriesMissed(_ => Task.FromResult(Interlocked.Increment(ref heard)));

        await First.Main.To("B").EmitAsync(Cheat);
        await AssertReceivedByExactlyAsync("a plain emit", ["B"]);

        Assert.Equal(0, Volatile.Read(ref heard));
    }
}
