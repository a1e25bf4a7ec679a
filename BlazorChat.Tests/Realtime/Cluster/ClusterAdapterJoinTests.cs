using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Cluster;

/// <summary>
/// When a node's adapter has joined the others (what its readiness waits for): once it listens, and a heartbeat
/// interval later, by which every live node has beaten at least once. Before that, a node heard from late would be
/// left out of what a first welcome shows. A bus the test drives by hand, on a clock that moves when the test says.
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

    /// <summary>Listens when the test says so; hands the adapter what the test delivers; keeps nothing it publishes.</summary>
    private sealed class HandBus : IClusterBus
    {
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _initialBeat = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Action<ClusterMessage>? _handler;

        public string NodeId => "node-a";

        public Task InitialBeatPublished => _initialBeat.Task;

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
            return Task.CompletedTask;
        }

        private sealed class Nothing : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
