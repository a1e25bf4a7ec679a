using BlazorChat.Monitoring;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Tests.Realtime.Cluster;

namespace BlazorChat.Tests.Monitoring;

/// <summary>
/// The dashboard's view of the nodes (the cluster adapter on a bus in memory): each node answers for itself, and the
/// connections of a namespace only another node has opened are listed too.
/// </summary>
public sealed class NodeDirectoryTests : IAsyncLifetime
{
    private static readonly ClusterOptions Beats = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(3),
    };

    private readonly InProcessBusFactory _bus = new(Beats);
    private ChatServer _first = null!;
    private ChatServer _second = null!;
    private NodeDirectory _firstNodes = null!;
    private NodeDirectory _secondNodes = null!;
    private readonly ChatEventRing _secondEvents = new();

    public async Task InitializeAsync()
    {
        _first = new ChatServer(_bus, NullLoggerFactory.Instance);
        _second = new ChatServer(_bus, NullLoggerFactory.Instance);
        _firstNodes = new NodeDirectory(_first, new FixedStatus(_first.ServerId, TimeSpan.FromMinutes(1)), new ChatEventRing());
        _secondNodes = new NodeDirectory(_second, new FixedStatus(_second.ServerId, TimeSpan.FromMinutes(2)), _secondEvents);
        _firstNodes.Start();
        _secondNodes.Start();
        await ClusterWorlds.WaitForServerCountAsync(_first.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(_second.Main.Adapter, 2);
    }

    public async Task DisposeAsync()
    {
        foreach (var ns in _first.Namespaces.Concat(_second.Namespaces))
            await ns.Adapter.DisposeAsync();
        await _bus.DisposeAsync();
    }

    [Fact]
    public async Task EveryNode_AnswersWithItsOwnStatus_ThisNodeFirst()
    {
        await ConnectAsync(_second, "/", "c.bob", "Bob");
        await ConnectAsync(_second, "/", "c.bob2", "Bob");
        await ConnectAsync(_first, "/", "c.ada", "Ada");

        var nodes = await _firstNodes.NodesAsync();

        Assert.Collection(nodes,
            here => Assert.Equal((_first.ServerId, true, TimeSpan.FromMinutes(1), (int?)1), (here.Id, here.IsThisNode, here.Uptime, here.Connections)),
            there => Assert.Equal((_second.ServerId, false, TimeSpan.FromMinutes(2), (int?)2), (there.Id, there.IsThisNode, there.Uptime, there.Connections)));
    }

    [Fact]
    public async Task ANamespaceOnlyTheOtherNodeOpened_StillShowsItsConnections()
    {
        await ConnectAsync(_first, "/", "c.ada", "Ada");
        _second.Of("/tenant-blue"); // a tenant's namespace, opened on the second node only
        await ConnectAsync(_second, "/tenant-blue", "c.bob", "Bob");
        Assert.DoesNotContain(_first.Namespaces, ns => ns.Name == "/tenant-blue");

        var all = await new AdapterConnectionSource(_first, _firstNodes).FetchAllAsync();

        Assert.Equal([("/", "c.ada"), ("/tenant-blue", "c.bob")], all.Select(c => (c.Namespace, c.Id)).Order());
        var bob = all.Single(c => c.Id == "c.bob");
        Assert.Equal((_second.ServerId, "Bob"), (bob.ServerId, bob.DisplayName));
    }

    [Fact]
    public async Task TheOtherNodesEvents_ComeTaggedWithTheirNode_AndOnlyWhatWasNotSeenYet()
    {
        _secondEvents.Record(ChatEventRing.Connected, "/", "c.bob", "user-bob", "Bob");

        var first = Assert.Single(await _firstNodes.EventsAsync(new Dictionary<string, long>()));
        Assert.Equal(_second.ServerId, first.NodeId);
        var bob = Assert.Single(first.Events);
        Assert.Equal(("c.bob", _second.ServerId), (bob.ConnectionId, bob.Node));

        _secondEvents.Record(ChatEventRing.Disconnected, "/", "c.bob", "user-bob", "tab closed");
        var next = Assert.Single(await _firstNodes.EventsAsync(new Dictionary<string, long> { [first.NodeId] = first.Total }));

        Assert.Equal([ChatEventRing.Disconnected], next.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task TheOtherNodesSamples_ComeWithTheirNode()
    {
        using var probe = new MetricsProbe();
        var sampler = new MetricsSampler(probe.Metrics, TimeProvider.System);
        sampler.Sample();
        var third = new ChatServer(_bus, NullLoggerFactory.Instance);
        new NodeDirectory(third, new FixedStatus(third.ServerId, TimeSpan.Zero), sampler: sampler).Start();
        await ClusterWorlds.WaitForServerCountAsync(_first.Main.Adapter, 3);

        var samples = await _firstNodes.SamplesAsync();

        // The second node has no sampler (it does not answer this question); the third sends its one sample.
        var only = Assert.Single(samples);
        Assert.Equal((third.ServerId, 1), (only.NodeId, only.Samples.Count));
        await third.Main.Adapter.DisposeAsync();
    }

    [Fact]
    public async Task OneNodeAlone_ListsItselfOnly()
    {
        var alone = new ChatServer(new InMemoryAdapterFactory(), NullLoggerFactory.Instance);
        var directory = new NodeDirectory(alone, new FixedStatus(alone.ServerId, TimeSpan.FromSeconds(5)));
        directory.Start();
        await ConnectAsync(alone, "/", "c.ada", "Ada");

        var node = Assert.Single(await directory.NodesAsync());

        Assert.Equal((alone.ServerId, true, (int?)1), (node.Id, node.IsThisNode, node.Connections));
        Assert.Single(await new AdapterConnectionSource(alone, directory).FetchAllAsync());
    }

    private static Task<ChatSocket> ConnectAsync(ChatServer server, string @namespace, string id, string name) =>
        server.ConnectAsync(@namespace, new ConnectRequest(id, TestChat.Principal("user-" + name), "user-" + name, name), (_, _) => Task.CompletedTask);

    private sealed class FixedStatus(string id, TimeSpan uptime) : INodeStatus
    {
        public string NodeId => id;

        public NodeSnapshot Now(int connections) => new(id, true, uptime, connections, 1L << 20, 0);
    }
}
