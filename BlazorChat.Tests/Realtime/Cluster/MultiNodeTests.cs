using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Realtime.Core.Support;
using BlazorChat.Tests.Realtime.Core;

namespace BlazorChat.Tests.Realtime.Cluster;

/// <summary>
/// Three server nodes in one test process, each a <see cref="ChatServer"/> on its own multi-node adapter, the bus
/// supplied by a subclass: socket.io's emit cheatsheet and the other verbs, emitted on node 1 and delivered on every
/// node. The world is <see cref="EmitCheatsheetTests"/>' own, spread over the nodes: node 1 holds A and D, node 2 holds
/// B and E ("/news"), node 3 holds C, F (A's second tab) and G ("/news").
/// </summary>
public abstract class MultiNodeTests : IAsyncLifetime
{
    protected const string Cheat = "cheat";

    private readonly List<ChatServer> _nodes = [];
    private readonly Dictionary<string, int> _nodeOf = new(StringComparer.Ordinal);
    private int _barriers;

    protected IReadOnlyList<ChatServer> Nodes => _nodes;

    protected Dictionary<string, TestClient> Clients { get; } = new(StringComparer.Ordinal);

    protected ChatServer First => _nodes[0];

    /// <summary>The adapter factory of one more node of the same cluster.</summary>
    protected abstract IChatAdapterFactory NodeFactory();

    public virtual async Task InitializeAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            var node = new ChatServer(NodeFactory(), NullLoggerFactory.Instance);
            _nodes.Add(node);
            node.Of("/news"); // declared on every node, as the app declares its namespaces
        }
        await AddAsync(0, "/", "A", "user-a", "room1");
        await AddAsync(1, "/", "B", "user-b", "room1", "room2");
        await AddAsync(2, "/", "C", "user-c", "room2", "room3");
        await AddAsync(0, "/", "D", "user-d");
        await AddAsync(2, "/", "F", "user-a");
        await AddAsync(1, "/news", "E", "user-e", "room1");
        await AddAsync(2, "/news", "G", "user-g");
        foreach (var node in _nodes)
        {
            await ClusterWorlds.WaitForServerCountAsync(node.Main.Adapter, 3);
            await ClusterWorlds.WaitForServerCountAsync(node.Of("/news").Adapter, 3);
        }
    }

    public abstract Task DisposeAsync();

    [Theory]
    [MemberData(nameof(EmitCheatsheetTests.Rows), MemberType = typeof(EmitCheatsheetTests))]
    public async Task CheatsheetLine_EmittedOnOneNode_ReachesExactlyItsReceiversOnEveryNode(
        string line, Func<ChatServer, ChatSocket, Task> emit, string[] expected)
    {
        // io.local stays on the node that emits: of its receivers, only node 1's.
        if (line.StartsWith("io.local.", StringComparison.Ordinal))
            expected = [.. expected.Where(id => _nodeOf[id] == 0)];

        await Wait.ForAsync(emit(First, Clients["A"].Socket), line);

        await AssertReceivedByExactlyAsync(line, expected);
    }

    [Fact]
    public void TheWorld_HasReceiversOnEveryNode_AndLocalOnesElsewhere()
    {
        // Guards the cheatsheet test above: a local emit that went to the bus would reach B, C or F.
        Assert.Equal([0, 1, 2], _nodeOf.Values.Distinct().Order());
        Assert.Equal(["A", "D"], _nodeOf.Where(c => c.Value == 0).Select(c => c.Key).Order());
    }

    [Fact]
    public async Task BroadcastWithAck_RecipientOnAnotherNodeThatNeverAnswers_IsReportedMissing()
    {
        Clients["B"].Inbox.AnswersAcks = false;

        var result = await Wait.ForAsync(First.Main.In("room1", "room2").Timeout(TimeSpan.FromSeconds(2)).EmitWithAckAsync(Cheat), "the acknowledgements");

        Assert.False(result.Complete);
        Assert.Equal(["B"], result.Missing);
        Assert.Empty(result.MissingServers);
        Assert.Equal(["A", "C"], result.Responses.Select(r => r.ConnectionId).Order());
        Assert.All(result.Responses, r => Assert.Equal(new ReplyData(r.ConnectionId), r.Data));
    }

    [Fact]
    public async Task FetchConnections_DescribesEveryConnectionOnEveryNode_WithItsNode()
    {
        var fetched = await First.Main.Operator.FetchConnectionsAsync();

        Assert.Equal(["A", "B", "C", "D", "F"], fetched.Select(c => c.Id).Order());
        foreach (var connection in fetched)
            Assert.Equal(_nodes[_nodeOf[connection.Id]].ServerId, connection.ServerId);
        var b = fetched.Single(c => c.Id == "B");
        Assert.Equal(("user-b", "Name B"), (b.UserId, b.DisplayName));
        Assert.Equal(["B", "room1", "room2", "user:user-b"], b.Rooms.Order(StringComparer.Ordinal));
        Assert.Equal(["E"], (await First.Of("/news").In("room1").FetchConnectionsAsync()).Select(c => c.Id));
    }

    [Fact]
    public async Task SocketsJoin_OnOneNode_MakesConnectionsOnTheOthersJoin()
    {
        await First.Main.In("room2").JoinAsync("vip");

        // Node 1's messages are applied in order: the fetch below is answered after the join.
        Assert.Equal(["B", "C"], (await First.Main.In("vip").FetchConnectionsAsync()).Select(c => c.Id).Order());
        Assert.True(Clients["B"].Socket.IsIn("vip"));
        Assert.True(Clients["C"].Socket.IsIn("vip"));
        await First.Main.To("vip").EmitAsync(Cheat);
        await AssertReceivedByExactlyAsync("io.to(vip)", ["B", "C"]);
    }

    [Fact]
    public async Task SocketsLeave_OnOneNode_MakesConnectionsOnTheOthersLeave()
    {
        await First.Main.In("room1").LeaveAsync("room1", "room2");

        Assert.Empty(await First.Main.In("room1").FetchConnectionsAsync());
        Assert.Equal(["C"], (await First.Main.In("room2").FetchConnectionsAsync()).Select(c => c.Id));
        Assert.False(Clients["B"].Socket.IsIn("room2"));
    }

    [Fact]
    public async Task DisconnectSockets_OnOneNode_DisconnectsConnectionsOnTheOthers()
    {
        await Wait.ForAsync(First.Main.In("room2").DisconnectAsync("kicked"), "the disconnects");

        Assert.False(Clients["B"].Socket.Connected);
        Assert.False(Clients["C"].Socket.Connected);
        Assert.True(Clients["A"].Socket.Connected);
        Assert.True(Clients["F"].Socket.Connected);
        Assert.Equal(["A", "D", "F"], (await First.Main.Operator.FetchConnectionsAsync()).Select(c => c.Id).Order());
    }

    [Fact]
    public async Task ServerSideEmit_ReachesTheOtherNodesHandlers_NotItsOwn()
    {
        var heard = new[] { new TaskCompletionSource<Packet>(), new TaskCompletionSource<Packet>(), new TaskCompletionSource<Packet>() };
        for (var i = 0; i < 3; i++)
        {
            var index = i;
            _nodes[i].Main.OnServerSideEmit(packet =>
            {
                heard[index].TrySetResult(packet);
                return Task.CompletedTask;
            });
        }

        await First.Main.ServerSideEmitAsync("hello", new TextData("from node 1"));

        Assert.Equal(new Packet("hello", new TextData("from node 1")), await Wait.ForAsync(heard[1].Task, "node 2's handler"));
        Assert.Equal(new Packet("hello", new TextData("from node 1")), await Wait.ForAsync(heard[2].Task, "node 3's handler"));
        // Node 1's own handler: a round trip later (node 2's answer to a fetch), it still has heard nothing.
        await First.Main.Operator.FetchConnectionsAsync();
        Assert.False(heard[0].Task.IsCompleted);
    }

    [Fact]
    public async Task ServerSideEmitWithAck_CollectsEveryOtherNodesReply()
    {
        foreach (var node in _nodes)
            node.Main.OnServerSideEmitWithAck(packet => Task.FromResult<EventData?>(new ReplyData(node.ServerId)));

        var result = await Wait.ForAsync(First.Main.ServerSideEmitWithAckAsync("ping", null, TimeSpan.FromSeconds(5)), "the replies");

        Assert.True(result.Complete);
        Assert.Equal(
            new[] { _nodes[1].ServerId, _nodes[2].ServerId }.Order(),
            result.Replies.Select(r => r.ServerId).Order());
        Assert.All(result.Replies, r => Assert.Equal(new ReplyData(r.ServerId), r.Data));
    }

    [Fact]
    public async Task ServerCount_IsThreeOnEveryNode_InEveryNamespace()
    {
        foreach (var node in _nodes)
        {
            Assert.Equal(3, await node.Main.Adapter.ServerCountAsync());
            Assert.Equal(3, await node.Of("/news").Adapter.ServerCountAsync());
        }
    }

    // ---- helpers ----

    private async Task AddAsync(int node, string @namespace, string id, string userId, params string[] rooms)
    {
        Clients.Add(id, await _nodes[node].ConnectAsync(@namespace, id, userId, rooms));
        _nodeOf.Add(id, node);
    }

    /// <summary>
    /// Waits for each expected receiver, then sends every connected client a barrier from node 1, the node every emit of
    /// these tests starts from: its messages arrive in the order it sent them, so what has not arrived with the barrier
    /// was never sent.
    /// </summary>
    protected async Task AssertReceivedByExactlyAsync(string what, string[] expected)
    {
        foreach (var id in expected)
            await Clients[id].Inbox.WaitForEventAsync(Cheat);
        var barrier = "barrier-" + Interlocked.Increment(ref _barriers);
        var connected = Clients.Values.Where(c => c.Socket.Connected).ToList();
        foreach (var client in connected)
            await First.Of(client.Socket.Namespace.Name).To(client.Id).EmitAsync(barrier);
        foreach (var client in connected)
            await client.Inbox.WaitForEventAsync(barrier);

        var receivers = Clients.Values.Where(c => c.Inbox.HasReceived(Cheat)).Select(c => c.Id).Order().ToList();
        Assert.True(receivers.SequenceEqual(expected.Order()),
            $"{what}: expected [{string.Join(", ", expected.Order())}], reached [{string.Join(", ", receivers)}]");
        var duplicates = Clients.Values.Where(c => c.Inbox.CountOf(Cheat) > 1).Select(c => c.Id).ToList();
        Assert.True(duplicates.Count == 0, $"{what}: delivered more than once to [{string.Join(", ", duplicates)}]");
    }
}
