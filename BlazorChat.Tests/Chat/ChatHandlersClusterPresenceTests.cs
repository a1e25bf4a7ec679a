using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Tests.Realtime.Cluster;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// Presence across the nodes of a cluster (the app's handlers on each node, the cluster adapter on a bus in memory): a
/// node that dies takes its tabs with it and nobody hears them disconnect, yet their people go offline for everyone
/// else within the heartbeat timeout; a person still online through another node stays.
/// </summary>
public sealed class ChatHandlersClusterPresenceTests : IAsyncLifetime
{
    private static readonly ClusterOptions Beats = new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(100),
        HeartbeatTimeout = TimeSpan.FromSeconds(2), // generous: a loaded machine must not drop a beating node
        RequestTimeout = TimeSpan.FromSeconds(3),
    };

    private readonly InProcessBusFactory _bus = new(Beats);
    private TestChat _first = null!;
    private TestChat _second = null!;

    public async Task InitializeAsync()
    {
        _first = new TestChat(adapters: _bus);
        _second = new TestChat(adapters: _bus);
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
    public async Task ANodeThatDies_TakesItsPeopleOffline_ForTheOtherNodesTabs()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        var bob = await _second.ConnectAsync("user-bob", "Bob");
        var carolHere = await _first.ConnectAsync("user-carol", "Carol");
        var carolThere = await _second.ConnectAsync("user-carol", "Carol");
        await alice.Events.WaitForAsync<PersonJoined>(j => j.Person.UserId == "user-bob");

        _bus.Isolate(_second.Server.ServerId); // killed: no goodbye, no disconnects, no more beats

        var online = await alice.Events.WaitForAsync<PeopleOnline>();
        Assert.Equal(["Alice", "Carol"], online.People.Select(p => p.DisplayName));
        // Carol's other tab is still here: she stays online. Bob went with his node.
        var rooms = await carolHere.Events.WaitForAsync<RoomsChanged>(r => r.Rooms.Single(s => s.Name == RoomNames.General).Members == 2);
        Assert.NotNull(rooms);
        Assert.Equal(["Alice", "Carol"], (await carolHere.Events.WaitForAsync<PeopleOnline>()).People.Select(p => p.DisplayName));
        GC.KeepAlive(bob);
        GC.KeepAlive(carolThere);
    }

    [Fact]
    public async Task ANodeThatMissedDeliveries_TellsItsOwnTabsToCatchUp_AndNoOneElse()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        var bob = await _second.ConnectAsync("user-bob", "Bob");

        // What the adapter says when its bus listens again after a break.
        await ((BlazorChat.Realtime.Adapters.ILocalConnections)_first.Server.Main).OnDeliveriesMissedAsync();

        Assert.Equal(new DeliveriesMissed(ChatServer.MainNamespace), await alice.Events.WaitForAsync<DeliveriesMissed>());
        await bob.BarrierAsync();
        Assert.Empty(bob.Events.OfType<DeliveriesMissed>());
    }

    [Fact]
    public async Task WhileEveryNodeBeats_NobodyIsToldAnythingOfTheSort()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        await _second.ConnectAsync("user-bob", "Bob");
        await alice.Events.WaitForAsync<PersonJoined>(j => j.Person.UserId == "user-bob");

        await Task.Delay(Beats.HeartbeatTimeout + TimeSpan.FromSeconds(1));

        await alice.BarrierAsync();
        Assert.Empty(alice.Events.OfType<PeopleOnline>());
    }
}
