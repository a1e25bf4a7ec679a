using System.Collections.Concurrent;
using System.Threading.Channels;
using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Realtime.Cluster;

/// <summary>
/// A bus in memory for <see cref="ClusterAdapter"/>s of several nodes in one process, as SignalR's scale-out tests run
/// two servers on a fake backplane: no server needed. Every message is serialised and read back, as a real bus would,
/// and each node takes its messages one at a time, in the order each sender published them.
/// </summary>
public sealed class InProcessBusFactory(ClusterOptions options) : IChatAdapterFactory, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, InProcessBus> _buses = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<ClusterAdapter> _adapters = [];

    public IChatAdapter Create(string @namespace, ILocalConnections connections)
    {
        var bus = _buses.GetOrAdd(connections.ServerId, id => new InProcessBus(this, id));
        var adapter = new ClusterAdapter(@namespace, connections, bus, options, TimeProvider.System, NullLogger<ClusterAdapter>.Instance);
        _adapters.Add(adapter);
        return adapter;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var adapter in _adapters)
            await adapter.DisposeAsync();
        foreach (var bus in _buses.Values)
            await bus.DisposeAsync();
    }

    private readonly ConcurrentDictionary<string, bool> _isolated = new(StringComparer.Ordinal);

    /// <summary>How long each message takes to reach the other nodes (none by default), as a real bus's round trip does.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// The node goes silent as a killed process would: nothing it publishes reaches the others and nothing reaches it,
    /// no goodbye, no more heartbeats.
    /// </summary>
    public void Isolate(string nodeId) => _isolated[nodeId] = true;

    private readonly ConcurrentDictionary<string, bool> _deaf = new(StringComparer.Ordinal);

    /// <summary>
    /// The node hears nothing (its listening connection is down) but still publishes, as a node does whose listening
    /// connection broke while the pool still works. Its bus says it does not listen, so it stops beating.
    /// </summary>
    public void Deafen(string nodeId)
    {
        _isolated.TryRemove(nodeId, out _);
        _deaf[nodeId] = true;
    }

    /// <summary>
    /// The node hears and publishes again, and its bus tells it so, after a break (as a real bus does when its listening
    /// connection is back): what was published meanwhile never reached it.
    /// </summary>
    public void Restore(string nodeId)
    {
        _isolated.TryRemove(nodeId, out _);
        _deaf.TryRemove(nodeId, out _);
        if (_buses.TryGetValue(nodeId, out var bus))
            bus.Resumed();
    }

    private void Publish(string from, byte[] message)
    {
        if (_isolated.ContainsKey(from))
            return;
        foreach (var bus in _buses.Values)
        {
            if (bus.NodeId != from && !_isolated.ContainsKey(bus.NodeId) && !_deaf.ContainsKey(bus.NodeId))
                bus.Enqueue(message, Latency);
        }
    }

    private sealed class InProcessBus : IClusterBus, IAsyncDisposable
    {
        private readonly InProcessBusFactory _owner;
        // A payload from another node, or (never sent) what the bus itself tells its node; when it is due.
        private readonly Channel<(byte[]? Payload, ClusterMessage? Own, long Due)> _inbox =
            Channel.CreateUnbounded<(byte[]?, ClusterMessage?, long)>(new UnboundedChannelOptions { SingleReader = true });
        private readonly ConcurrentDictionary<object, (string Namespace, Action<ClusterMessage> Handler)> _handlers = new();
        private readonly Task _dispatching;

        public InProcessBus(InProcessBusFactory owner, string nodeId)
        {
            _owner = owner;
            NodeId = nodeId;
            _dispatching = Task.Run(DispatchAsync);
        }

        public string NodeId { get; }

        public bool IsListening => !_owner._isolated.ContainsKey(NodeId) && !_owner._deaf.ContainsKey(NodeId);

        public Task<IAsyncDisposable> SubscribeAsync(string @namespace, Action<ClusterMessage> handler, CancellationToken cancellationToken = default)
        {
            var subscription = new Subscription(this);
            _handlers[subscription] = (@namespace, handler);
            return Task.FromResult<IAsyncDisposable>(subscription);
        }

        public Task PublishAsync(ClusterMessage message, CancellationToken cancellationToken = default)
        {
            _owner.Publish(NodeId, ClusterWorlds.Codec.SerializeValue(message));
            return Task.CompletedTask;
        }

        // Every namespace it listens to hears, after what came before, that its node missed what was published meanwhile.
        public void Resumed()
        {
            foreach (var @namespace in _handlers.Values.Select(h => h.Namespace).Distinct(StringComparer.Ordinal))
                _inbox.Writer.TryWrite((null, new ListeningResumedMessage(@namespace, NodeId), 0));
        }

        public void Enqueue(byte[] message, TimeSpan latency) =>
            _inbox.Writer.TryWrite((message, null, System.Diagnostics.Stopwatch.GetTimestamp() + (long)(latency.TotalSeconds * System.Diagnostics.Stopwatch.Frequency)));

        public async ValueTask DisposeAsync()
        {
            _inbox.Writer.TryComplete();
            await _dispatching;
        }

        private async Task DispatchAsync()
        {
            await foreach (var (payload, own, due) in _inbox.Reader.ReadAllAsync())
            {
                if (System.Diagnostics.Stopwatch.GetElapsedTime(due) is { Ticks: < 0 } early)
                    await Task.Delay(-early);
                var message = own ?? ClusterWorlds.Codec.DeserializeValue<ClusterMessage>(payload!)!;
                foreach (var (@namespace, handler) in _handlers.Values)
                {
                    if (@namespace == message.Namespace)
                        handler(message);
                }
            }
        }

        private sealed class Subscription(InProcessBus bus) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                bus._handlers.TryRemove(this, out _);
                return ValueTask.CompletedTask;
            }
        }
    }
}
