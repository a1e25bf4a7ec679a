using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Cluster;

/// <summary>
/// When a node's adapter has joined the others (what its readiness waits for): once it listens, and a heartbeat
/// interval later, by which every live node has beaten at least once. Before that, a node heard from late would be
/// left out of what a first welcome shows. And a node that counts no other node: it still publishes what reaches
/// beyond it, and a publish that fails then fails nobody. A bus the test drives by hand, on a clock that moves when the
/// test says.
/// </summary>
public sealed class ClusterAdapterJoinTests : IAsyncLifetime
{
    private static readonly ClusterOptions Beats = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(1),
        HeartbeatTimeout = TimeSpan.FromMinutes(1),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    private readonly ManualTimeProvider _time = new();
    private readonly HandBus _bus = new();
    private FakeNode _node = null!;

    public Task InitializeAsync()
    {
        _node = new FakeNode(new Factory(_bus, _time));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task NotJoined_WhileItCannotListen()
    {
        var joined = _node.Adapter.WaitUntilJoinedAsync();

        _time.Advance(Beats.HeartbeatInterval * 3);

        await Task.Delay(50);
        Assert.False(joined.IsCompleted, "joined without listening to the other nodes");
    }

    [Fact]
    public async Task Joined_OneHeartbeatIntervalAfterItListens_CountingEveryNodeThatBeatMeanwhile()
    {
        var joined = _node.Adapter.WaitUntilJoinedAsync();
        _bus.Listen();
        await _bus.InitialBeatPublished.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitForTimersAsync(2); // the heartbeat's, and the join's wait, started once it listens

        _time.Advance(Beats.HeartbeatInterval / 2);
        _bus.Deliver(new HeartbeatMessage(ChatServer.MainNamespace, "node-b", Initial: false, Stamp: 1));
        await Task.Delay(50);
        Assert.False(joined.IsCompleted, "joined before a heartbeat interval: a node that beats later would be left out");

        _bus.Deliver(new HeartbeatMessage(ChatServer.MainNamespace, "node-c", Initial: false, Stamp: 1));
        _time.Advance(Beats.HeartbeatInterval / 2);
        await joined.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, await _node.Adapter.ServerCountAsync());
    }

    [Fact]
    public async Task WhileItsBusHearsNothing_ItPublishesNoHeartbeat_AndBeatsAgainOnceItListens()
    {
        _bus.Listen();
        await _bus.InitialBeatPublished.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitForTimersAsync(2);
        await BeatsAfterAsync(Beats.HeartbeatInterval, more: true);

        _bus.Deaf = true; // the listening connection broke; the others would ask this node questions it cannot hear
        await BeatsAfterAsync(Beats.HeartbeatInterval * 3, more: false);

        _bus.Deaf = false;
        await BeatsAfterAsync(Beats.HeartbeatInterval, more: true);
    }

    [Fact]
    public async Task ACountedNodeThatSaysItListensAgain_MakesThisNodeAskWhoIsOnlineThere()
    {
        _bus.Listen();
        await _bus.InitialBeatPublished.WaitAsync(TimeSpan.FromSeconds(10));
        _bus.Deliver(new HeartbeatMessage(ChatServer.MainNamespace, "node-b", Initial: false, Stamp: 1));
        await Task.Delay(50);
        Assert.Empty(_node.NodesLeft);

        // It was never dropped, yet its listening connection broke for a while: what it was asked meanwhile went unheard.
        _bus.Deliver(new HeartbeatMessage(ChatServer.MainNamespace, "node-b", Initial: true, Stamp: 2));

        await Eventually.HoldsAsync(() => Task.FromResult(_node.NodesLeft.Contains("node-b")));
    }

    // Moves the clock on and says whether heartbeats were published meanwhile.
    private async Task BeatsAfterAsync(TimeSpan advance, bool more)
    {
        var before = _bus.HeartbeatsPublished;
        _time.Advance(advance);
        if (more)
            await Eventually.HoldsAsync(() => Task.FromResult(_bus.HeartbeatsPublished > before));
        else
        {
            await Task.Delay(100);
            Assert.Equal(before, _bus.HeartbeatsPublished);
        }
    }

    [Fact]
    public async Task CountingNoOtherNode_ABroadcastWithAckIsStillPublished_ForANodeNotCountedYet()
    {
        _bus.Listen();
        var a = await _node.ConnectAsync("a", rooms: "room1");

        var result = await _node.Adapter.BroadcastWithAckAsync(new Packet("news"),
            BroadcastOptions.ToRooms("room1") with { Flags = new BroadcastFlags { Timeout = TimeSpan.FromSeconds(10) } });

        Assert.Equal([a.Id], result.Responses.Select(r => r.ConnectionId));
        Assert.Contains(_bus.Published, m => m is BroadcastWithAckMessage { Packet.Event: "news" });
    }

    [Fact]
    public async Task CountingNoOtherNode_ABroadcastWithAckThatCannotBePublished_StillReportsItsOwnConnectionsAnswers()
    {
        _bus.Listen();
        var a = await _node.ConnectAsync("a", rooms: "room1");
        _bus.FailPublishes = true; // the database went away

        var result = await _node.Adapter.BroadcastWithAckAsync(new Packet("news"),
            BroadcastOptions.ToRooms("room1") with { Flags = new BroadcastFlags { Timeout = TimeSpan.FromSeconds(10) } });

        Assert.True(result.Complete);
        Assert.Equal([a.Id], result.Responses.Select(r => r.ConnectionId));
    }

    private async Task WaitForTimersAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_time.ActiveTimers < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{_time.ActiveTimers} timers, not {count}");
            await Task.Delay(10);
        }
    }

    private sealed class Factory(HandBus bus, TimeProvider time) : IChatAdapterFactory
    {
        public IChatAdapter Create(string @namespace, ILocalConnections connections) =>
            new ClusterAdapter(@namespace, connections, bus, Beats, time, NullLogger<ClusterAdapter>.Instance);
    }

    /// <summary>Listens when the test says so; hands the adapter what the test delivers; keeps what it publishes, or fails it.</summary>
    private sealed class HandBus : IClusterBus
    {
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _initialBeat = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Action<ClusterMessage>? _handler;

        public string NodeId => "node-a";

        public Task InitialBeatPublished => _initialBeat.Task;

        public bool IsListening => _listening.Task.IsCompleted && !Deaf;

        /// <summary>Its listening connection is down (the pool still publishes).</summary>
        public bool Deaf { get; set; }

        public int HeartbeatsPublished => Published.Count(m => m is HeartbeatMessage);

        public void Listen() => _listening.TrySetResult();

        public void Deliver(ClusterMessage message) => _handler!(message);

        public async Task<IAsyncDisposable> SubscribeAsync(string @namespace, Action<ClusterMessage> handler, CancellationToken cancellationToken = default)
        {
            _handler = handler;
            await _listening.Task.WaitAsync(cancellationToken);
            return new Nothing();
        }

        public Task PublishAsync(ClusterMessage message, CancellationToken cancellationToken = default)
        {
            if (message is HeartbeatMessage { Initial: true })
                _initialBeat.TrySetResult();
            if (FailPublishes)
                return Task.FromException(new InvalidOperationException("the database is away"));
            Published.Enqueue(message);
            return Task.CompletedTask;
        }

        /// <summary>What was published (heartbeats too), in order.</summary>
        public System.Collections.Concurrent.ConcurrentQueue<ClusterMessage> Published { get; } = new();

        public bool FailPublishes { get; set; }

        private sealed class Nothing : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
