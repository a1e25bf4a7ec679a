using System.Diagnostics;
using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Tests.Realtime.Cluster;
using BlazorChat.Tests.Realtime.Core.Support;
using Npgsql;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>
/// Nodes that stop beating, or leave: the others stop counting and asking them within a bounded time. Node 3 reaches the
/// database through a <see cref="LoopbackProxy"/>, so a test can cut it off as a partition or a frozen process would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHeartbeatTests(PostgresServer server) : IAsyncLifetime
{
    private readonly List<ClusterNode> _nodes = [];
    private TestDatabase? _database;
    private LoopbackProxy? _proxy;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _proxy = new LoopbackProxy(server.Port);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        if (_proxy is not null)
            await _proxy.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Fact]
    public async Task NodeThatStopsBeating_IsDropped_WithinTheHeartbeatTimeout_AndItsConnectionsAreNoLongerFetched()
    {
        var options = PostgresWorlds.Options(_database!.ConnectionString);
        var (first, second, third) = await ThreeNodesAsync(options);
        var firstHeard = NodesLeftOf(first);
        var secondHeard = NodesLeftOf(second);
        await third.Server.ConnectAsync("/", "C", "user-c", "room1");
        await first.Server.ConnectAsync("/", "A", "user-a", "room1");
        Assert.Equal(["A", "C"], (await first.Server.Main.Operator.FetchConnectionsAsync()).Select(c => c.Id).Order());

        var clock = Stopwatch.StartNew();
        _proxy!.Cut();
        await Task.WhenAll(
            ClusterWorlds.WaitForServerCountAsync(first.Server.Main.Adapter, 2),
            ClusterWorlds.WaitForServerCountAsync(second.Server.Main.Adapter, 2));
        clock.Stop();

        // Noticed at the first heartbeat after the timeout; the rest is the loaded machine's slack.
        var bound = options.HeartbeatTimeout + options.HeartbeatInterval + TimeSpan.FromSeconds(2);
        Assert.True(clock.Elapsed <= bound, $"dropped after {clock.ElapsedMilliseconds} ms, more than {bound.TotalMilliseconds} ms");
        Assert.True(clock.Elapsed >= options.HeartbeatTimeout - TimeSpan.FromMilliseconds(500), $"dropped after only {clock.ElapsedMilliseconds} ms");
        // Not asked any more: the fetch answers at once, without C, instead of waiting out the request timeout for node 3.
        var fetch = Stopwatch.StartNew();
        Assert.Equal(["A"], (await first.Server.Main.Operator.FetchConnectionsAsync()).Select(c => c.Id));
        Assert.True(fetch.Elapsed < options.RequestTimeout, $"the fetch took {fetch.ElapsedMilliseconds} ms");
        // The namespace's handlers on each remaining node hear it once (the app brings presence up to date there).
        Assert.Equal(third.Server.ServerId, await firstHeard.Task.WaitAsync(Wait.Timeout));
        Assert.Equal(third.Server.ServerId, await secondHeard.Task.WaitAsync(Wait.Timeout));
    }

    [Fact]
    public async Task NodeDroppedDuringAnOutage_IsCountedAgainWhenItIsBack_AndTheHandlersBringPresenceUpToDate()
    {
        var options = PostgresWorlds.Options(_database!.ConnectionString);
        var (first, _, third) = await ThreeNodesAsync(options);
        await third.Server.ConnectAsync("/", "C", "user-c", "room1");
        var dropped = NodesLeftOf(first);
        _proxy!.Interrupt(); // node 3 can reach nothing: the others drop it
        Assert.Equal(third.Server.ServerId, await dropped.Task.WaitAsync(Wait.Timeout));
        Assert.Equal([], (await first.Server.Main.Operator.FetchConnectionsAsync()).Select(c => c.Id));

        // Its people went offline on the other nodes when it was dropped: once it is back, the handlers hear of it again
        // (the app tells its tabs who is online now), and its connections are fetched again.
        var back = NodesLeftOf(first);
        _proxy.Resume();
        await ClusterWorlds.WaitForServerCountAsync(first.Server.Main.Adapter, 3);
        Assert.Equal(third.Server.ServerId, await back.Task.WaitAsync(Wait.Timeout));
        var fetched = Array.Empty<string>();
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < Wait.Timeout && fetched.Length == 0;)
            fetched = [.. (await first.Server.Main.Operator.FetchConnectionsAsync()).Select(c => c.Id)];
        Assert.Equal(["C"], fetched);
    }

    // The first node the namespace's OnNodeLeft hook hears of, on this node.
    private static TaskCompletionSource<string> NodesLeftOf(ClusterNode node)
    {
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Server.Main.OnNodeLeft((ns, nodeId) =>
        {
            Assert.Same(node.Server.Main, ns);
            heard.TrySetResult(nodeId);
            return Task.CompletedTask;
        });
        return heard;
    }

    [Fact]
    public async Task NodeThatCloses_SaysGoodbye_AndIsDroppedBeforeItsHeartbeatsAreMissed()
    {
        var options = PostgresWorlds.Options(_database!.ConnectionString);
        options.HeartbeatTimeout = TimeSpan.FromMinutes(1); // only the goodbye can drop it within the test
        var (first, second, third) = await ThreeNodesAsync(options);
        var firstHeard = NodesLeftOf(first);

        await third.DisposeAsync();

        await ClusterWorlds.WaitForServerCountAsync(first.Server.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(second.Server.Main.Adapter, 2);
        Assert.Equal(third.Server.ServerId, await firstHeard.Task.WaitAsync(Wait.Timeout));
    }

    private async Task<(ClusterNode First, ClusterNode Second, ClusterNode Third)> ThreeNodesAsync(PostgresAdapterOptions options)
    {
        var cutOff = PostgresWorlds.Options(new NpgsqlConnectionStringBuilder(options.ConnectionString) { Port = _proxy!.Port }.ToString(), options.ChannelPrefix);
        (cutOff.HeartbeatInterval, cutOff.HeartbeatTimeout) = (options.HeartbeatInterval, options.HeartbeatTimeout);
        ClusterNode[] nodes = [new(options), new(options), new(cutOff)];
        _nodes.AddRange(nodes);
        var mains = nodes.Select(n => n.Server.Main).ToList(); // each node's "/" and its adapter start here
        foreach (var main in mains)
            await ClusterWorlds.WaitForServerCountAsync(main.Adapter, 3);
        return (nodes[0], nodes[1], nodes[2]);
    }
}
