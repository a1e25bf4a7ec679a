using BlazorChat.Moderation;
using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Tests.Realtime.Cluster;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Moderation across the nodes of a cluster (the cluster adapter on a bus in memory): an admin on one node ends a
/// person's tabs on the other, each told why, and a removal reaches the other node's tabs.
/// </summary>
public sealed class ModerationClusterTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private static readonly ClusterOptions Beats = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatTimeout = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(3),
    };

    private readonly InProcessBusFactory _bus = new(Beats);
    private TestChat _first = null!;
    private TestChat _second = null!;

    public async Task InitializeAsync()
    {
        _first = new TestChat(adapters: _bus, access: new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole));
        _second = new TestChat(adapters: _bus, access: new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole));
        await ClusterWorlds.WaitForServerCountAsync(_first.Server.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(_second.Server.Main.Adapter, 2);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _bus.DisposeAsync();
    }

    [Fact]
    public async Task AnAdminOnOneNode_DisconnectsAPersonsTabsOnTheOtherNode_EachToldWhy()
    {
        var root = await _first.ConnectAsync(Root, "Root");
        var bobThere = await _second.ConnectAsync("user-bob", "Bob");
        var bobHere = await _first.ConnectAsync("user-bob", "Bob");

        Assert.Equal(new ConnectionsDisconnected(2),
            await root.SendAsync(ModerationEvents.Disconnect, new DisconnectRequest(null, "user-bob", "cool off")));

        await Eventually.HoldsAsync(() => Task.FromResult(!bobThere.Socket.Connected));
        Assert.Equal("A moderator disconnected you: cool off", bobThere.Socket.DisconnectMessage);
        Assert.False(bobHere.Socket.Connected);
        Assert.True(root.Socket.Connected);
    }

    [Fact]
    public async Task ARemovalOnOneNode_ReachesTheOtherNodesTabs()
    {
        var root = await _first.ConnectAsync(Root, "Root");
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        var bob = await _second.ConnectAsync("user-bob", "Bob");
        var sent = await alice.SendMessageAsync(RoomNames.General, "spam spam");
        await bob.Events.WaitForMessageAsync("spam spam");

        await root.SendAsync(ModerationEvents.DeleteMessage, new DeleteMessageRequest(RoomNames.General, sent.Id, "spam"));

        Assert.Equal(sent.Id, (await bob.Events.WaitForAsync<MessageRemoved>()).Id);
    }
}
