using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Realtime.Core.Support;
using BlazorChat.Tests.Realtime.Core;

namespace BlazorChat.Tests.Realtime.Cluster;

/// <summary>
/// The adapter contract against <see cref="ClusterAdapter"/> on a bus in memory (no server): the node under test holds
/// every connection, two peers hold none, so every verb also crosses the bus and waits for their answers.
/// </summary>
public sealed class InProcessClusterContractTests : AdapterContractTests
{
    private readonly List<PeeredFactory> _factories = [];

    protected override int PeerNodes => 2;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var factory in _factories)
            await factory.DisposeAsync();
    }

    protected override IChatAdapterFactory CreateAdapterFactory()
    {
        var factory = new PeeredFactory(new InProcessBusFactory(new ClusterOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200) }), PeerNodes);
        _factories.Add(factory);
        return factory;
    }

    protected override Task NodeStartedAsync(FakeNode node) => ClusterWorlds.WaitForServerCountAsync(node.Adapter, 1 + PeerNodes);
}
