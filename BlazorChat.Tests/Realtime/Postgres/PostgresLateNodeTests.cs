using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Tests.Persistence;
using BlazorChat.Tests.Realtime.Cluster;
using Npgsql;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>
/// A node started after people are present on another one (two app nodes on one PostgreSQL database: handlers, adapter,
/// stores): it is not ready (<see cref="NodeReadiness"/>, what its health check answers) until it has joined the other
/// node and asked it who is online and where; once ready, the first person it serves sees them at once. The late node's
/// way to the database for the adapter goes through a <see cref="LoopbackProxy"/>, so a test can keep it from hearing the
/// others for a while.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLateNodeTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string Room = "latecomers";
    private readonly List<IAsyncDisposable> _owned = [];
    private TestDatabase _database = null!;
    private LoopbackProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _proxy = new LoopbackProxy(server.Port);
    }

    public async Task DisposeAsync()
    {
        _owned.Reverse();
        foreach (var owned in _owned)
            await owned.DisposeAsync();
        await _proxy.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ANodeStartedLater_IsNotReady_UntilItHasHeardTheOthers_ThenItsFirstTabSeesWhoIsOnlineAndTheRooms()
    {
        var options = PostgresWorlds.Options(_database.ConnectionString);
        var (first, _) = await StartedNodeAsync(options);
        var alice = await first.ConnectAsync("user-alice", "Alice");
        await alice.JoinRoomAsync(Room);

        _proxy.Interrupt(); // the late node cannot listen to the others yet
        var (late, readiness) = Node(ViaProxy(options));
        readiness.Start();
        await Task.Delay(options.HeartbeatInterval * 5);
        Assert.False(readiness.IsReady, "the late node said it was ready before it had heard the other node");

        _proxy.Resume();
        await readiness.WaitUntilReadyAsync().WaitAsync(Patience);
        await AssertSeesAliceAsync(await late.ConnectAsync("user-bob", "Bob"));
    }

    [Fact]
    public async Task ANodeStartedLater_OnceReady_ShowsItsFirstTabThePeopleOnTheOtherNode_AtOnce()
    {
        var options = PostgresWorlds.Options(_database.ConnectionString);
        var (first, _) = await StartedNodeAsync(options);
        var alice = await first.ConnectAsync("user-alice", "Alice");
        await alice.JoinRoomAsync(Room);

        // Served the moment it says it is ready: nothing later may correct what this first welcome shows.
        var (late, _) = await StartedNodeAsync(options);
        await AssertSeesAliceAsync(await late.ConnectAsync("user-bob", "Bob"));
    }

    private static async Task AssertSeesAliceAsync(TestTab bob)
    {
        var welcome = await bob.Events.WaitForAsync<NamespaceWelcome>();
        Assert.Equal(["Alice", "Bob"], welcome.Online.Select(p => p.DisplayName));
        Assert.Contains(new RoomSummary(Room, 1), welcome.Rooms);
        Assert.Contains(new RoomSummary(RoomNames.General, 2), welcome.Rooms);
    }

    private PostgresAdapterOptions ViaProxy(PostgresAdapterOptions options)
    {
        var viaProxy = PostgresWorlds.Options(
            new NpgsqlConnectionStringBuilder(options.ConnectionString) { Port = _proxy.Port }.ToString(), options.ChannelPrefix);
        viaProxy.HeartbeatInterval = options.HeartbeatInterval;
        viaProxy.HeartbeatTimeout = options.HeartbeatTimeout;
        return viaProxy;
    }

    private async Task<(TestChat Chat, NodeReadiness Readiness)> StartedNodeAsync(PostgresAdapterOptions options)
    {
        var (chat, readiness) = Node(options);
        readiness.Start();
        await readiness.WaitUntilReadyAsync().WaitAsync(Patience);
        return (chat, readiness);
    }

    private (TestChat Chat, NodeReadiness Readiness) Node(PostgresAdapterOptions options)
    {
        var factory = new PostgresAdapterFactory(options, ClusterWorlds.Codec, NullLoggerFactory.Instance);
        var stores = new PostgresNode(_database);
        var chat = new TestChat(adapters: factory, stores: (stores.Messages, stores.Rooms));
        // Disposed in reverse: the chat, then its adapters, then its stores.
        _owned.Add(stores);
        _owned.Add(factory);
        _owned.Add(chat);
        return (chat, new NodeReadiness(chat.Server, NullLogger<NodeReadiness>.Instance));
    }
}
