using System.Collections.Immutable;
using System.Diagnostics;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// What every <see cref="IChatAdapter"/> must do, verb by verb, after socket.io-adapter's own tests. An
/// implementation subclasses this suite and supplies its factory; the suite drives the adapter through
/// <see cref="FakeNode"/> (recording endpoints) and, where the adapter must cooperate with live sockets,
/// through a whole <see cref="ChatServer"/> built on the same factory.
/// </summary>
/// <remarks>
/// Delivery may be asynchronous (a multi-node adapter goes through a bus), so the suite waits for what must
/// arrive and checks "did not arrive" only after a later marker reached the same connection: every adapter
/// must keep one connection's deliveries in order, so anything sent before the marker has arrived by then.
/// The connections are all on the node under test. A multi-node implementation may give it peer nodes without
/// connections (<see cref="PeerNodes"/>, ready once <see cref="NodeStartedAsync"/> returns): then every verb also
/// goes to them and waits for their answers, and ServerCount and ServerSideEmit count them.
/// </remarks>
public abstract class AdapterContractTests : IAsyncLifetime
{
    private const string Event = "contract-event";

    private readonly List<FakeNode> _nodes = [];
    private int _markers;

    /// <summary>
    /// A factory for the adapter under test. Each call starts an isolated world (for a multi-node adapter: its
    /// own channel prefix), so nodes made from two calls never see each other.
    /// </summary>
    protected abstract IChatAdapterFactory CreateAdapterFactory();

    /// <summary>How many other nodes, without connections, share each node's world.</summary>
    protected virtual int PeerNodes => 0;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    /// <summary>Returns once a new node is ready: for a multi-node adapter, once it counts its peers.</summary>
    protected virtual Task NodeStartedAsync(FakeNode node) => Task.CompletedTask;

    // ---- rooms: two maps in step ----

    [Fact]
    public async Task AddToRooms_KeepsRoomsAndConnectionsInStep()
    {
        var adapter = (await NewNodeAsync()).Adapter;

        await adapter.AddToRoomsAsync("s1", ["r1", "r2"]);
        await adapter.AddToRoomsAsync("s2", ["r2", "r3"]);

        Assert.Equal("r1:1 r2:2 r3:1", Describe(adapter.LocalRooms()));
        Assert.Equal(["r1", "r2"], adapter.RoomsOf("s1").Order());
        Assert.Equal(["r2", "r3"], adapter.RoomsOf("s2").Order());
        Assert.True(adapter.IsInRoom("s1", "r2"));
        Assert.False(adapter.IsInRoom("s1", "r3"));
        Assert.False(adapter.IsInRoom("nobody", "r1"));
    }

    [Fact]
    public async Task AddToRooms_SameRoomTwice_CountsTheConnectionOnce()
    {
        var adapter = (await NewNodeAsync()).Adapter;

        await adapter.AddToRoomsAsync("s1", ["r1", "r1"]);
        await adapter.AddToRoomsAsync("s1", ["r1"]);

        Assert.Equal("r1:1", Describe(adapter.LocalRooms()));
        Assert.Equal(["r1"], adapter.RoomsOf("s1"));
    }

    [Fact]
    public async Task RemoveFromRoom_LastMemberLeaving_MakesTheRoomDisappear()
    {
        var adapter = (await NewNodeAsync()).Adapter;
        await adapter.AddToRoomsAsync("s1", ["r1", "r2"]);
        await adapter.AddToRoomsAsync("s2", ["r2"]);

        await adapter.RemoveFromRoomAsync("s1", "r1");
        await adapter.RemoveFromRoomAsync("s2", "r2");

        Assert.Equal("r2:1", Describe(adapter.LocalRooms()));
        Assert.Equal(["r2"], adapter.RoomsOf("s1"));
        Assert.Empty(adapter.RoomsOf("s2"));
        Assert.False(adapter.IsInRoom("s1", "r1"));
        Assert.False(adapter.IsInRoom("s2", "r2"));
    }

    [Fact]
    public async Task RemoveFromRoom_RoomTheConnectionIsNotIn_ChangesNothing()
    {
        var adapter = (await NewNodeAsync()).Adapter;
        await adapter.AddToRoomsAsync("s1", ["r1"]);

        await adapter.RemoveFromRoomAsync("s1", "r9");
        await adapter.RemoveFromRoomAsync("ghost", "r1");

        Assert.Equal("r1:1", Describe(adapter.LocalRooms()));
        Assert.Equal(["r1"], adapter.RoomsOf("s1"));
        Assert.Empty(adapter.RoomsOf("ghost"));
    }

    [Fact]
    public async Task RemoveFromAllRooms_LeavesEveryRoom_AndEmptyRoomsDisappear()
    {
        var adapter = (await NewNodeAsync()).Adapter;
        await adapter.AddToRoomsAsync("s1", ["r1", "r2"]);
        await adapter.AddToRoomsAsync("s2", ["r2", "r3"]);

        await adapter.RemoveFromAllRoomsAsync("s2");
        await adapter.RemoveFromAllRoomsAsync("never-joined");

        Assert.Equal("r1:1 r2:1", Describe(adapter.LocalRooms()));
        Assert.Empty(adapter.RoomsOf("s2"));
        Assert.Equal(["r1", "r2"], adapter.RoomsOf("s1").Order());
    }

    [Fact]
    public async Task RoomsOf_UnknownConnection_IsEmpty()
    {
        var adapter = (await NewNodeAsync()).Adapter;
        await adapter.AddToRoomsAsync("s1", ["r1"]);

        Assert.Empty(adapter.RoomsOf("s2"));
    }

    [Fact]
    public async Task RoomsOf_IsASnapshotThatLaterJoinsDoNotChange()
    {
        var adapter = (await NewNodeAsync()).Adapter;
        await adapter.AddToRoomsAsync("s1", ["r1"]);

        var before = adapter.RoomsOf("s1");
        var roomsBefore = adapter.LocalRooms();
        await adapter.AddToRoomsAsync("s1", ["r2"]);
        await adapter.RemoveFromRoomAsync("s1", "r1");

        Assert.Equal(["r1"], before);
        Assert.Equal("r1:1", Describe(roomsBefore));
    }

    // ---- broadcast ----

    [Fact]
    public async Task Broadcast_ToEveryone_ReachesEveryConnection()
    {
        var (node, all) = await FourConnectionsAsync();

        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.Everyone);

        await AssertReceivedByExactlyAsync(node, all, all);
    }

    [Fact]
    public async Task Broadcast_ToRoom_ReachesOnlyItsMembers()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, _, _) = (all[0], all[1], all[2], all[3]);

        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.ToRooms("room1"));

        await AssertReceivedByExactlyAsync(node, all, a, b);
    }

    [Fact]
    public async Task Broadcast_ToSeveralRooms_DeliversOncePerConnection()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, c, _) = (all[0], all[1], all[2], all[3]);

        // b is in room1 and room2, c in room2 and room3: each still gets one copy.
        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.ToRooms("room1", "room2", "room3"));

        await AssertReceivedByExactlyAsync(node, all, a, b, c);
    }

    [Fact]
    public async Task Broadcast_ExceptRoom_LeavesOutEveryMemberOfThatRoom()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, _, _) = (all[0], all[1], all[2], all[3]);

        await node.Adapter.BroadcastAsync(new Packet(Event), Options(["room1", "room2"], except: ["room3"]));

        await AssertReceivedByExactlyAsync(node, all, a, b);
    }

    [Fact]
    public async Task Broadcast_ToEveryoneExceptRooms_LeavesOutMembersOfAnyOfThem()
    {
        var (node, all) = await FourConnectionsAsync();
        var (_, _, _, d) = (all[0], all[1], all[2], all[3]);

        await node.Adapter.BroadcastAsync(new Packet(Event), Options([], except: ["room1", "room3"]));

        await AssertReceivedByExactlyAsync(node, all, d);
    }

    [Fact]
    public async Task Broadcast_ExceptConnectionId_LeavesOutOnlyThatConnection()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, c, d) = (all[0], all[1], all[2], all[3]);

        await node.Adapter.BroadcastAsync(new Packet(Event), Options([], except: [b.Id]));

        await AssertReceivedByExactlyAsync(node, all, a, c, d);
    }

    [Fact]
    public async Task Broadcast_ToConnectionId_ReachesOnlyThatConnection()
    {
        var (node, all) = await FourConnectionsAsync();

        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.ToRooms(all[2].Id));

        await AssertReceivedByExactlyAsync(node, all, all[2]);
    }

    [Fact]
    public async Task Broadcast_ToUserRoom_ReachesEveryConnectionOfThatPerson()
    {
        var node = await NewNodeAsync();
        var tab1 = await node.ConnectAsync("tab1", "alice");
        var tab2 = await node.ConnectAsync("tab2", "alice");
        var bob = await node.ConnectAsync("bob", "bob");
        FakeEndpoint[] all = [tab1, tab2, bob];

        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.ToRooms(ChatNamespace.UserRoomOf("alice")));

        await AssertReceivedByExactlyAsync(node, all, tab1, tab2);
    }

    [Fact]
    public async Task Broadcast_ToRoomThatDoesNotExist_ReachesNobody()
    {
        var (node, all) = await FourConnectionsAsync();

        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.ToRooms("nobody-here"));

        await AssertReceivedByExactlyAsync(node, all);
    }

    [Fact]
    public async Task Broadcast_CarriesThePayloadUnchanged()
    {
        var (node, all) = await FourConnectionsAsync();

        await node.Adapter.BroadcastAsync(new Packet(Event, new TextData("hello")), BroadcastOptions.ToRooms(all[0].Id));

        var received = await all[0].Inbox.WaitForEventAsync(Event);
        Assert.Equal(new Packet(Event, new TextData("hello")), received.Single(p => p.Event == Event));
    }

    [Fact]
    public async Task Broadcast_Volatile_HandsTheVolatileFlagToEachEndpoint()
    {
        var (node, all) = await FourConnectionsAsync();

        await node.Adapter.BroadcastAsync(new Packet("plain"), BroadcastOptions.ToRooms("room1"));
        await node.Adapter.BroadcastAsync(new Packet(Event), Options(["room1"], isVolatile: true));

        await AssertReceivedByExactlyAsync(node, all, all[0], all[1]);
        Assert.All(new[] { all[0], all[1] }, e => Assert.True(e.WasDeliveredAsVolatile(Event)));
        Assert.All(new[] { all[0], all[1] }, e => Assert.False(e.WasDeliveredAsVolatile("plain")));
    }

    [Fact]
    public async Task Broadcast_AfterTheConnectionLeftAllRooms_NoLongerReachesIt()
    {
        var (node, all) = await FourConnectionsAsync();
        var d = all[3];

        // Still a local connection, but in no room any more (as during a disconnect).
        await node.Adapter.RemoveFromAllRoomsAsync(d.Id);
        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.Everyone);

        await AssertReceivedByExactlyAsync(node, all[..3], all[..3]);
        Assert.False(d.Inbox.HasReceived(Event));
    }

    // ---- broadcast with acknowledgements ----

    [Fact]
    public async Task BroadcastWithAck_CollectsEveryRecipientsReply()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, c, d) = (all[0], all[1], all[2], all[3]);

        var result = await Wait.ForAsync(
            node.Adapter.BroadcastWithAckAsync(new Packet(Event), Options(["room1", "room2"], timeout: TimeSpan.FromSeconds(30))),
            "every acknowledgement");

        Assert.True(result.Complete);
        Assert.Empty(result.Missing);
        Assert.Equal([a.Id, b.Id, c.Id], result.Responses.Select(r => r.ConnectionId).Order());
        Assert.All(result.Responses, r => Assert.Equal(new ReplyData(r.ConnectionId), r.Data));
        await SettleAsync(node, all);
        Assert.False(d.Inbox.HasReceived(Event));
    }

    [Fact]
    public async Task BroadcastWithAck_RecipientThatNeverAcks_IsReportedMissingAfterTheTimeout()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, _, _) = (all[0], all[1], all[2], all[3]);
        b.AnswersAcks = false;
        var timeout = TimeSpan.FromSeconds(2); // long enough for the answering recipient on a loaded 2-core machine

        var clock = Stopwatch.StartNew();
        var result = await Wait.ForAsync(
            node.Adapter.BroadcastWithAckAsync(new Packet(Event), Options(["room1"], timeout: timeout)),
            "the acknowledgement timeout");
        clock.Stop();

        Assert.False(result.Complete);
        Assert.Equal([b.Id], result.Missing);
        Assert.Equal([a.Id], result.Responses.Select(r => r.ConnectionId));
        Assert.True(b.Inbox.HasReceived(Event), "the silent recipient was sent the event");
        Assert.True(clock.Elapsed >= timeout - TimeSpan.FromMilliseconds(50), $"gave up after {clock.ElapsedMilliseconds} ms, before the timeout");
    }

    [Fact]
    public async Task BroadcastWithAck_ToNobody_CompletesAtOnce()
    {
        var (node, _) = await FourConnectionsAsync();

        // A minute-long timeout: waiting for it would fail the bounded wait.
        var result = await Wait.ForAsync(
            node.Adapter.BroadcastWithAckAsync(new Packet(Event), Options(["nobody-here"], timeout: TimeSpan.FromMinutes(1))),
            "an acknowledgement broadcast with no recipients");

        Assert.True(result.Complete);
        Assert.Empty(result.Responses);
        Assert.Empty(result.Missing);
    }

    [Fact]
    public async Task BroadcastWithAck_CancelledWhileWaiting_StopsWaiting()
    {
        var (node, all) = await FourConnectionsAsync();
        all[0].AnswersAcks = false;
        using var cancellation = new CancellationTokenSource();

        var pending = node.Adapter.BroadcastWithAckAsync(
            new Packet(Event), Options(["room1"], timeout: TimeSpan.FromMinutes(1)), cancellation.Token);
        await all[0].Inbox.WaitForEventAsync(Event);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(pending, "the cancelled broadcast to end"));
    }

    // ---- fetch, socketsJoin, socketsLeave, disconnectSockets ----

    [Fact]
    public async Task FetchConnections_ToEveryone_DescribesEachConnection()
    {
        var (node, all) = await FourConnectionsAsync();
        var b = all[1];

        var fetched = await node.Adapter.FetchConnectionsAsync(BroadcastOptions.Everyone);

        Assert.Equal(all.Select(e => e.Id).Order(), fetched.Select(c => c.Id).Order());
        var remote = fetched.Single(c => c.Id == b.Id);
        Assert.Equal(ChatServer.MainNamespace, remote.Namespace);
        Assert.Equal(b.UserId, remote.UserId);
        Assert.Equal(b.DisplayName, remote.DisplayName);
        Assert.Equal(node.ServerId, remote.ServerId);
        Assert.Equal([b.Id, "room1", "room2", ChatNamespace.UserRoomOf(b.UserId)], remote.Rooms.Order(StringComparer.Ordinal));
        // When it connected travels with it (the operator's dashboard shows it), across nodes too.
        Assert.NotNull(remote.ConnectedAt);
        Assert.InRange(remote.ConnectedAt.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(1));
        // So do its client's address and transport.
        Assert.Equal((b.Origin!.Address, "WebSockets"), (remote.Address, remote.Transport));
    }

    [Fact]
    public async Task FetchConnections_WithRoomsAndExcept_SelectsLikeBroadcast()
    {
        var (node, all) = await FourConnectionsAsync();

        var fetched = await node.Adapter.FetchConnectionsAsync(Options(["room1", "room2"], except: ["room3", all[0].Id]));

        Assert.Equal([all[1].Id], fetched.Select(c => c.Id));
    }

    [Fact]
    public async Task AddConnectionsToRooms_MakesTheSelectedConnectionsJoin()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, c, _) = (all[0], all[1], all[2], all[3]);

        await node.Adapter.AddConnectionsToRoomsAsync(Options(["room1", "room3"], except: [c.Id]), ["vip", "lounge"]);

        Assert.Contains("vip", node.Adapter.RoomsOf(a.Id));
        Assert.Contains("lounge", node.Adapter.RoomsOf(b.Id));
        Assert.DoesNotContain("vip", node.Adapter.RoomsOf(c.Id));
        Assert.Equal(2, node.Adapter.LocalRooms()["vip"]);
        await node.Adapter.BroadcastAsync(new Packet(Event), BroadcastOptions.ToRooms("vip"));
        await AssertReceivedByExactlyAsync(node, all, a, b);
    }

    [Fact]
    public async Task RemoveConnectionsFromRooms_MakesTheSelectedConnectionsLeave_AndEmptyRoomsDisappear()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, c, _) = (all[0], all[1], all[2], all[3]);

        await node.Adapter.RemoveConnectionsFromRoomsAsync(BroadcastOptions.ToRooms("room2"), ["room2", "room3"]);

        var rooms = node.Adapter.LocalRooms();
        Assert.False(rooms.ContainsKey("room2"));
        Assert.False(rooms.ContainsKey("room3"));
        Assert.Equal(2, rooms["room1"]);
        Assert.Contains("room1", node.Adapter.RoomsOf(b.Id));
        Assert.Equal([c.Id, ChatNamespace.UserRoomOf(c.UserId)], node.Adapter.RoomsOf(c.Id).Order(StringComparer.Ordinal));
        Assert.Contains("room1", node.Adapter.RoomsOf(a.Id));
    }

    [Fact]
    public async Task DisconnectConnections_DisconnectsTheSelectedConnectionsWithTheReason()
    {
        var (node, all) = await FourConnectionsAsync();
        var (a, b, c, d) = (all[0], all[1], all[2], all[3]);

        await Wait.ForAsync(node.Adapter.DisconnectConnectionsAsync(BroadcastOptions.ToRooms("room2"), "kicked"), "the disconnects");

        Assert.Equal(["kicked"], b.DisconnectReasons);
        Assert.Equal(["kicked"], c.DisconnectReasons);
        Assert.Empty(a.DisconnectReasons);
        Assert.Empty(d.DisconnectReasons);
        Assert.Empty(node.Adapter.RoomsOf(b.Id));
        Assert.Empty(node.Adapter.RoomsOf(c.Id));
        Assert.Equal(1, node.Adapter.LocalRooms()["room1"]);
        Assert.False(node.Adapter.LocalRooms().ContainsKey("room2"));
    }

    [Fact]
    public async Task DisconnectConnections_OfLiveSockets_RunsTheirHooksAndLeavesThemInNoRoom()
    {
        var server = NewServer();
        var reasons = new List<string>();
        server.Main.OnDisconnect((socket, reason) =>
        {
            lock (reasons)
                reasons.Add($"{socket.Id}:{reason}");
            return Task.CompletedTask;
        });
        var x = await server.ConnectAsync("/", "x", rooms: "team");
        var y = await server.ConnectAsync("/", "y", rooms: "team");
        var z = await server.ConnectAsync("/", "z");

        // The adapter calls back into itself (each socket leaves all rooms while being disconnected).
        await Wait.ForAsync(server.Main.To("team").DisconnectAsync("kicked"), "disconnecting the team");

        Assert.False(x.Socket.Connected);
        Assert.False(y.Socket.Connected);
        Assert.True(z.Socket.Connected);
        Assert.Equal(["x:kicked", "y:kicked"], reasons.Order());
        Assert.Empty(x.Socket.Rooms);
        Assert.False(server.Main.Adapter.LocalRooms().ContainsKey("team"));
        Assert.Equal([z.Id], (await server.Main.Operator.FetchConnectionsAsync()).Select(c => c.Id));
    }

    // ---- the other nodes ----

    [Fact]
    public async Task ServerSideEmit_ReachesNoConnectionAndNoHandlerOfTheEmittingNode()
    {
        var (node, all) = await FourConnectionsAsync();

        await node.Adapter.ServerSideEmitAsync(new Packet(Event, new TextData("to other nodes")));

        await AssertReceivedByExactlyAsync(node, all);
        Assert.Empty(node.ServerSideReceived);
    }

    [Fact]
    public async Task ServerSideEmit_ThroughANamespace_DoesNotRunItsOwnServerSideHandlers()
    {
        var server = NewServer();
        var handled = 0;
        server.Main.OnServerSideEmit(_ =>
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        });
        var client = await server.ConnectAsync("/", "x");

        await server.Main.ServerSideEmitAsync(Event);

        await TestClients.SettleAsync(client);
        Assert.False(client.Inbox.HasReceived(Event));
        Assert.Equal(0, Volatile.Read(ref handled));
    }

    [Fact]
    public async Task ServerSideEmitWithAck_EveryOtherNodeAnswers_AndTheEmittingNodeDoesNot()
    {
        var (node, all) = await FourConnectionsAsync();

        var result = await Wait.ForAsync(
            node.Adapter.ServerSideEmitWithAckAsync(new Packet(Event, new TextData("to other nodes")), TimeSpan.FromSeconds(30)),
            "every other node's answer");

        Assert.True(result.Complete);
        Assert.Equal(PeerNodes, result.Replies.Count);
        Assert.All(result.Replies, r => Assert.Equal(new ReplyData(r.ServerId), r.Data));
        Assert.DoesNotContain(result.Replies, r => r.ServerId == node.ServerId);
        Assert.Empty(node.ServerSideReceived);
        await AssertReceivedByExactlyAsync(node, all);
    }

    [Fact]
    public async Task ServerCount_CountsThisNodeAndItsPeers()
    {
        var node = await NewNodeAsync();

        Assert.Equal(1 + PeerNodes, await node.Adapter.ServerCountAsync());
    }

    [Fact]
    public async Task Adapter_ServesTheNamespaceItWasCreatedFor()
    {
        var server = NewServer();
        var admin = server.Of("/admin");

        await using var node = new FakeNode(CreateAdapterFactory(), "/admin");

        Assert.Equal("/admin", admin.Adapter.Namespace);
        Assert.Equal("/admin", node.Adapter.Namespace);
    }

    // ---- helpers ----

    protected async Task<FakeNode> NewNodeAsync(string @namespace = ChatServer.MainNamespace)
    {
        var node = new FakeNode(CreateAdapterFactory(), @namespace);
        _nodes.Add(node);
        await NodeStartedAsync(node);
        return node;
    }

    protected ChatServer NewServer() => new(CreateAdapterFactory(), NullLoggerFactory.Instance);

    /// <summary>a (room1), b (room1, room2), c (room2, room3), d (no extra room), each its own person.</summary>
    private async Task<(FakeNode Node, FakeEndpoint[] All)> FourConnectionsAsync()
    {
        var node = await NewNodeAsync();
        FakeEndpoint[] all =
        [
            await node.ConnectAsync("a", rooms: "room1"),
            await node.ConnectAsync("b", null, "room1", "room2"),
            await node.ConnectAsync("c", null, "room2", "room3"),
            await node.ConnectAsync("d"),
        ];
        return (node, all);
    }

    private static BroadcastOptions Options(string[] rooms, string[]? except = null, bool isVolatile = false, TimeSpan? timeout = null) =>
        new(
            ImmutableHashSet.Create(StringComparer.Ordinal, rooms),
            ImmutableHashSet.Create(StringComparer.Ordinal, except ?? []),
            BroadcastFlags.None with { Volatile = isVolatile, Timeout = timeout });

    private static string Describe(IReadOnlyDictionary<string, int> rooms) =>
        string.Join(" ", rooms.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}:{r.Value}"));

    /// <summary>Waits until each expected endpoint has <see cref="Event"/>, then checks nobody else got it and nobody got it twice.</summary>
    private async Task AssertReceivedByExactlyAsync(FakeNode node, FakeEndpoint[] everyone, params FakeEndpoint[] expected)
    {
        foreach (var endpoint in expected)
            await endpoint.Inbox.WaitForEventAsync(Event);
        await SettleAsync(node, everyone);
        Assert.Equal(
            expected.Select(e => e.Id).Order(),
            everyone.Where(e => e.Inbox.HasReceived(Event)).Select(e => e.Id).Order());
        Assert.All(expected, e => Assert.Equal(1, e.Inbox.CountOf(Event)));
    }

    /// <summary>Sends each endpoint still in its own-id room a marker of its own and waits for all of them.</summary>
    private async Task SettleAsync(FakeNode node, IEnumerable<FakeEndpoint> endpoints)
    {
        var marker = "settle-" + Interlocked.Increment(ref _markers);
        var live = endpoints.Where(e => node.Adapter.RoomsOf(e.Id).Contains(e.Id)).ToList();
        foreach (var endpoint in live)
            await node.Adapter.BroadcastAsync(new Packet(marker), BroadcastOptions.ToRooms(endpoint.Id));
        foreach (var endpoint in live)
            await endpoint.Inbox.WaitForEventAsync(marker);
    }
}

/// <summary>The adapter contract against the in-process adapter.</summary>
public sealed class InMemoryAdapterContractTests : AdapterContractTests
{
    protected override IChatAdapterFactory CreateAdapterFactory() => new InMemoryAdapterFactory();
}
