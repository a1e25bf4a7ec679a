using BlazorChat.Moderation;
using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Tests.Realtime.Cluster;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Moderation across the nodes of a cluster (the cluster adapter on a bus in memory): an admin on one node ends a
/// person's tabs on the other, each told why, a removal reaches the other node's tabs, and a ban or unban made on one node
/// holds on the other at once, though that node had the person's (empty) restrictions in memory.
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
        // One database, as a cluster's nodes share (PostgreSQL in the app): what one node stores, the other reads.
        _second = new TestChat(adapters: _bus, access: new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole),
            stores: (_first.Store, _first.Rooms), auditLog: _first.AuditLog, mutes: _first.Mutes);
        await ClusterWorlds.WaitForServerCountAsync(_first.Server.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(_second.Server.Main.Adapter, 2);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
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

    [Fact]
    public async Task ABanOnOneNode_EndsTheTabsOnTheOther_WhoseCacheForgetsIt_SoTheComebackThereIsRefused_UntilUnbanned()
    {
        var admin = TestChat.Principal(Root);
        // Bob's tab on the second node has made that node read (and keep) his restrictions: none.
        var bobThere = await _second.ConnectAsync("user-bob", "Bob");
        Assert.Null(await _second.Moderation!.FindBanAsync("user-bob"));

        await _first.Moderation!.BanAsync(admin, "user-bob", null, "spam");

        await Eventually.HoldsAsync(() => Task.FromResult(!bobThere.Socket.Connected));
        Assert.Equal("You are banned: spam", bobThere.Socket.DisconnectMessage);
        await Eventually.HoldsAsync(async () => await _second.Moderation.FindBanAsync("user-bob") is not null);
        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => _second.ConnectAsync("user-bob", "Bob"));
        Assert.Equal("You are banned: spam", refused.Message);

        await _first.Moderation.UnbanAsync(admin, "user-bob");

        await Eventually.HoldsAsync(async () => await _second.Moderation.FindBanAsync("user-bob") is null);
        Assert.True((await _second.ConnectAsync("user-bob", "Bob")).Socket.Connected);
    }

    [Fact]
    public async Task AnAdminOnOneNode_MakesAPersonsTabsOnBothNodesJoinAndLeaveARoom_EachToldAndCounted()
    {
        var bobThere = await _second.ConnectAsync("user-bob", "Bob");
        var bobHere = await _first.ConnectAsync("user-bob", "Bob");
        var alice = await _second.ConnectAsync("user-alice", "Alice");

        var moved = await _first.Moderation!.AddToRoomAsync(TestChat.Principal(Root), ChatServer.MainNamespace, "design", null, "user-bob", null);

        Assert.Equal(2, moved);
        Assert.True((await bobThere.Events.WaitForAsync<RoomMovedByModerator>()).Joined);
        Assert.True(bobThere.Socket.IsIn("design"));
        Assert.True(bobHere.Socket.IsIn("design"));
        await alice.Events.WaitForAsync<RoomsChanged>(r => r.Rooms.Any(x => x.Name == "design" && x.Members == 1));

        Assert.Equal(2, await _first.Moderation!.RemoveFromRoomAsync(TestChat.Principal(Root), ChatServer.MainNamespace, "design", null, "user-bob", null));

        await bobThere.Events.WaitForAsync<RoomMovedByModerator>(m => !m.Joined);
        Assert.False(bobThere.Socket.IsIn("design"));
        Assert.False(bobHere.Socket.IsIn("design"));
    }

    [Fact]
    public async Task ANoticePostedOnOneNode_ReachesTheOtherNodesTabs()
    {
        var bob = await _second.ConnectAsync("user-bob", "Bob");

        var posted = await _first.Moderation!.PostNoticeAsync(TestChat.Principal(Root), ChatServer.MainNamespace, null, "Restart at noon");

        var seen = (await bob.Events.WaitForAsync<MessagePosted>(m => m.Message.Id == posted.Id)).Message;
        Assert.Equal((SystemSender.UserId, "Restart at noon"), (seen.Sender.UserId, seen.Text));
    }

    [Fact]
    public async Task ANoticeIntoATeamSpaceNobodyOnThisNodeIsIn_ReachesTheOtherNodesTabs_AndTheNamespaceIsLetGo()
    {
        var bob = await _second.ConnectAsync("user-bob", "Bob", "/tenant-acme");
        Assert.DoesNotContain(_first.Server.Namespaces, n => n.Name == "/tenant-acme");

        var posted = await _first.Moderation!.PostNoticeAsync(TestChat.Principal(Root), "/tenant-acme", null, "Acme: maintenance at six");

        var seen = (await bob.Events.WaitForAsync<MessagePosted>(m => m.Message.Id == posted.Id)).Message;
        Assert.Equal((SystemSender.UserId, "Acme: maintenance at six", RoomNames.General), (seen.Sender.UserId, seen.Text, seen.Room));
        await Eventually.HoldsAsync(() => Task.FromResult(_first.Server.Namespaces.All(n => n.Name != "/tenant-acme")));
    }
}
