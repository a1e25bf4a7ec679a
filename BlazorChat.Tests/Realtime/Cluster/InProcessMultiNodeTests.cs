using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Realtime.Cluster;

/// <summary>The multi-node suite on a bus in memory: the cluster adapter's own logic, no server needed.</summary>
public sealed class InProcessMultiNodeTests : MultiNodeTests
{
    private readonly InProcessBusFactory _bus = new(new ClusterOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(200) });

    public override Task DisposeAsync() => _bus.DisposeAsync().AsTask();

    // One factory for all three nodes: it keeps a bus per node (by server id).
    protected override IChatAdapterFactory NodeFactory() => _bus;
}
