using System.Collections.Concurrent;

namespace BlazorChat.Realtime.Adapters.Cluster;

/// <summary>
/// A namespace's adapter on one node of several, after socket.io's cluster adapter: this node's rooms and connections
/// live in an <see cref="InMemoryAdapter"/>, and every verb that reaches beyond them is published on an
/// <see cref="IClusterBus"/> for the other nodes to apply to theirs. Requests (fetch, disconnect, acknowledgements,
/// server-side emits with replies) carry an id and collect one answer per live node within a timeout; the nodes that
/// did not answer are reported, never waited for beyond it. Nodes announce themselves with heartbeats; one that stops
/// beating is dropped, so it is no longer counted or asked.
/// </summary>
/// <remarks>
/// Messages from one node are applied in the order it published them, one at a time, and never wait on the bus
/// themselves (a request's work is started, its answer published when done): a handler that asks the other nodes
/// something must not stall the very loop that brings their answers. Delivery to this node's connections happens first,
/// before the message is published, so it costs them nothing. A broadcast flagged <see cref="BroadcastFlags.Local"/>
/// never goes to the bus; a volatile one that cannot be published is dropped.
/// </remarks>
public sealed partial class ClusterAdapter : IChatAdapter
{
    private readonly InMemoryAdapter _local;
    private readonly ILocalConnections _connections;
    private readonly IClusterBus _bus;
    private readonly ClusterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterAdapter> _logger;
    private readonly ConcurrentDictionary<string, long> _lastBeats = new(StringComparer.Ordinal); // node id -> when its last heartbeat came
    private readonly ConcurrentDictionary<string, long> _goodbyes = new(StringComparer.Ordinal); // node id -> the stamp of its goodbye
    private readonly ConcurrentDictionary<string, byte> _dropped = new(StringComparer.Ordinal); // nodes dropped for silence, not gone for good
    private readonly ConcurrentDictionary<string, PendingRequest> _requests = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task<IAsyncDisposable> _subscription;
    private readonly Task _joined;
    private readonly ITimer _heartbeat;
    private int _disposed;

    public ClusterAdapter(string @namespace, ILocalConnections connections, IClusterBus bus, ClusterOptions options, TimeProvider time,
        ILogger<ClusterAdapter> logger)
    {
        Namespace = @namespace;
        _connections = connections;
        _bus = bus;
        _options = options;
        _time = time;
        _logger = logger;
        _local = new InMemoryAdapter(@namespace, connections);
        _subscription = StartAsync();
        _joined = JoinAsync();
        _heartbeat = time.CreateTimer(_ => Beat(), null, options.HeartbeatInterval, options.HeartbeatInterval);
    }

    public string Namespace { get; }

    /// <summary>Closed: it no longer listens or beats.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private string NodeId => _bus.NodeId;

    // ---- this node's rooms: no other node needs to know ----

    public Task AddToRoomsAsync(string connectionId, IEnumerable<string> rooms, CancellationToken cancellationToken = default) =>
        _local.AddToRoomsAsync(connectionId, rooms, cancellationToken);

    public Task RemoveFromRoomAsync(string connectionId, string room, CancellationToken cancellationToken = default) =>
        _local.RemoveFromRoomAsync(connectionId, room, cancellationToken);

    public Task RemoveFromAllRoomsAsync(string connectionId, CancellationToken cancellationToken = default) =>
        _local.RemoveFromAllRoomsAsync(connectionId, cancellationToken);

    public IReadOnlyDictionary<string, int> LocalRooms() => _local.LocalRooms();

    public IReadOnlySet<string> RoomsOf(string connectionId) => _local.RoomsOf(connectionId);

    public bool IsInRoom(string connectionId, string room) => _local.IsInRoom(connectionId, room);

    // ---- verbs that reach every node ----

    public async Task BroadcastAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        await _local.BroadcastAsync(packet, options, cancellationToken);
        if (StaysOnThisNode(options))
            return;
        try
        {
            await _bus.PublishAsync(new BroadcastMessage(Namespace, NodeId, packet, options), cancellationToken);
        }
        catch (Exception ex) when (options.Flags.Volatile && ex is not OperationCanceledException)
        {
            // Volatile may drop: a typing signal is not worth an error.
            LogVolatileDropped(ex, Namespace, packet.Event);
        }
    }

    public async Task<BroadcastAckResult> BroadcastWithAckAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var timeout = options.Flags.Timeout ?? InMemoryAdapter.DefaultAckTimeout;
        var staysHere = StaysOnThisNode(options);
        IReadOnlyList<string> others = staysHere ? [] : await LiveNodesAsync(cancellationToken);
        // Answers are awaited from the nodes counted now; the event goes to every node listening, counted or not. A node
        // not counted yet (back from a break whose first beat has not come, or just started) has people too: had the
        // event not been published, a chat message stored after that node caught up from the store would never reach them.
        var collector = new AckCollector([NodeId, .. others]);
        var requestId = NewRequestId();
        if (!staysHere)
            _requests[requestId] = new AckRequest(collector);
        try
        {
            collector.Expect(NodeId, _local.DeliverWithAck(packet, options, collector.Add));
            if (!staysHere)
                await PublishAckRequestAsync(new BroadcastWithAckMessage(Namespace, NodeId, requestId, packet, options), others.Count, cancellationToken);
            return await collector.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    // With no other node counted, a publish that fails is logged, not thrown: every connection this node counts has
    // the event, and the delivery report says so.
    private async Task PublishAckRequestAsync(BroadcastWithAckMessage request, int counted, CancellationToken cancellationToken)
    {
        try
        {
            await _bus.PublishAsync(request, cancellationToken);
        }
        catch (Exception ex) when (counted == 0 && ex is not OperationCanceledException)
        {
            LogUncountedNotPublished(ex, Namespace, request.Packet.Event);
        }
    }

    public async Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        var local = await _local.FetchConnectionsAsync(options, cancellationToken);
        if (StaysOnThisNode(options))
            return local;
        var (answers, _) = await RequestAsync("fetch", id => new FetchMessage(Namespace, NodeId, id, options), _options.RequestTimeout,
            cancellationToken);
        return [.. local, .. answers.Values.OfType<FetchResponse>().SelectMany(a => a.Connections)];
    }

    public async Task AddConnectionsToRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        await _local.AddConnectionsToRoomsAsync(options, rooms, cancellationToken);
        if (!StaysOnThisNode(options))
            await _bus.PublishAsync(new JoinRoomsMessage(Namespace, NodeId, options, [.. rooms]), cancellationToken);
    }

    public async Task RemoveConnectionsFromRoomsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        await _local.RemoveConnectionsFromRoomsAsync(options, rooms, cancellationToken);
        if (!StaysOnThisNode(options))
            await _bus.PublishAsync(new LeaveRoomsMessage(Namespace, NodeId, options, [.. rooms]), cancellationToken);
    }

    /// <summary>Returns once this node's connections and every live node's (or the request timeout) are done.</summary>
    public async Task DisconnectConnectionsAsync(BroadcastOptions options, string reason, CancellationToken cancellationToken = default)
    {
        var remote = StaysOnThisNode(options)
            ? Task.CompletedTask
            : RequestAsync("disconnect", id => new DisconnectMessage(Namespace, NodeId, id, options, reason), _options.RequestTimeout, cancellationToken);
        await _local.DisconnectConnectionsAsync(options, reason, cancellationToken);
        await remote;
    }

    public Task ServerSideEmitAsync(Packet packet, CancellationToken cancellationToken = default) =>
        _bus.PublishAsync(new ServerSideEmitMessage(Namespace, NodeId, null, packet), cancellationToken);

    public async Task<ServerSideAckResult> ServerSideEmitWithAckAsync(Packet packet, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var (answers, missing) = await RequestAsync("server-side emit", id => new ServerSideEmitMessage(Namespace, NodeId, id, packet), timeout,
            cancellationToken);
        return new ServerSideAckResult(
            [.. answers.Values.OfType<ServerSideReplyResponse>().Select(a => new ServerReply(a.From, a.Data))], missing);
    }

    /// <summary>
    /// Completes once this node listens and one <see cref="ClusterOptions.HeartbeatInterval"/> has passed since it asked
    /// the others to answer at once: every live node beats at least that often, so by then each has been heard (most
    /// answer within a round trip). Until then a fetch would leave out the nodes not heard yet, and a person served now
    /// would see nobody of theirs online. Never completes while the bus cannot listen (the database is away).
    /// </summary>
    public Task WaitUntilJoinedAsync(CancellationToken cancellationToken = default) => _joined.WaitAsync(cancellationToken);

    /// <summary>This node and every node heard beating within <see cref="ClusterOptions.HeartbeatTimeout"/>.</summary>
    public async Task<int> ServerCountAsync(CancellationToken cancellationToken = default) => 1 + (await LiveNodesAsync(cancellationToken)).Count;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _heartbeat.DisposeAsync();
        try
        {
            using var goodbye = new CancellationTokenSource(_options.RequestTimeout);
            var subscription = await _subscription.WaitAsync(goodbye.Token);
            // So the others stop counting and asking this node now, not after its heartbeats are missed.
            await _bus.PublishAsync(new GoodbyeMessage(Namespace, NodeId, _time.GetTimestamp()), goodbye.Token);
            await subscription.DisposeAsync();
        }
        catch (Exception ex)
        {
            LogCloseFailed(ex, Namespace);
        }
        finally
        {
            // Not disposed: answers still being worked out look at its token, and give up.
            await _closing.CancelAsync();
        }
        await _local.DisposeAsync();
    }

    // ---- what other nodes say ----

    private void OnMessage(ClusterMessage message)
    {
        switch (message)
        {
            case HeartbeatMessage beat:
                // A beat sent before its goodbye, and published after it, does not bring a node back.
                if (_goodbyes.TryGetValue(beat.From, out var left) && beat.Stamp <= left)
                    break;
                var known = _lastBeats.ContainsKey(beat.From);
                _lastBeats[beat.From] = _time.GetTimestamp();
                // A node dropped for silence is beating again (the database was away, and no beat crossed): its people
                // went offline here when it was dropped, so this node tells its tabs who is online now, as on a drop.
                if (_dropped.TryRemove(beat.From, out _))
                {
                    LogNodeBack(Namespace, beat.From);
                    NodesChanged($"node {beat.From} back", beat.From);
                }
                // A node this one counts says it has just started listening again: until then it heard nothing, so
                // whatever this node asked it meanwhile (who is online, when it came back) went unanswered, and its people
                // may be missing here. Asked again, now that it hears.
                else if (beat.Initial && known)
                {
                    LogNodeListensAgain(Namespace, beat.From);
                    NodesChanged($"node {beat.From} listening again", beat.From);
                }
                if (beat.Initial)
                    Publish(Heartbeat(initial: false)); // so the newcomer counts this node at once
                break;
            case GoodbyeMessage goodbye:
                _goodbyes[goodbye.From] = goodbye.Stamp;
                if (_lastBeats.TryRemove(goodbye.From, out _))
                {
                    LogNodeLeft(Namespace, goodbye.From);
                    NodeLeft(goodbye.From);
                }
                break;
            case ListeningResumedMessage:
                LogDeliveriesMissed(Namespace);
                // Beats were missed too: every node answers an initial beat at once, so the nodes count each other again
                // (and presence is brought up to date) within a round trip, not after the next heartbeat.
                Publish(Heartbeat(initial: true));
                Hook("deliveries missed", () => _connections.OnDeliveriesMissedAsync());
                break;
            case ClusterResponse response:
                if (_requests.TryGetValue(response.RequestId, out var pending))
                    pending.OnResponse(response);
                break;
            // Applied before the next message: later messages from the same node see their effect.
            case BroadcastMessage broadcast:
                _ = _local.BroadcastAsync(broadcast.Packet, broadcast.Options);
                break;
            case JoinRoomsMessage join:
                _ = _local.AddConnectionsToRoomsAsync(join.Options, join.Rooms);
                break;
            case LeaveRoomsMessage leave:
                _ = _local.RemoveConnectionsFromRoomsAsync(leave.Options, leave.Rooms);
                break;
            case BroadcastWithAckMessage request:
                var relay = new AckRelay(this, request.RequestId);
                var recipients = _local.DeliverWithAck(request.Packet, request.Options, relay.Add);
                Publish(new AckRecipientsResponse(Namespace, NodeId, request.RequestId, recipients));
                break;
            // Started here (the selection is taken now, in order), answered when done.
            case FetchMessage fetch:
                _ = AnswerAsync(async () => new FetchResponse(Namespace, NodeId, fetch.RequestId, await _local.FetchConnectionsAsync(fetch.Options)));
                break;
            case DisconnectMessage disconnect:
                _ = AnswerAsync(async () =>
                {
                    await _local.DisconnectConnectionsAsync(disconnect.Options, disconnect.Reason);
                    return new DoneResponse(Namespace, NodeId, disconnect.RequestId);
                });
                break;
            case ServerSideEmitMessage { RequestId: null } emit:
                _ = AnswerAsync(async () =>
                {
                    await _connections.OnServerSideEmitAsync(emit.Packet);
                    return null;
                });
                break;
            case ServerSideEmitMessage { RequestId: { } requestId } emit:
                _ = AnswerAsync(async () => new ServerSideReplyResponse(Namespace, NodeId, requestId, await _connections.OnServerSideEmitWithAckAsync(emit.Packet)));
                break;
        }
    }

    // ---- helpers ----

    private async Task<IAsyncDisposable> StartAsync()
    {
        var subscription = await _bus.SubscribeAsync(Namespace, OnMessage, _closing.Token);
        // Asks the others to answer at once, so this node counts them before their next beat.
        Publish(Heartbeat(initial: true));
        return subscription;
    }

    private async Task JoinAsync()
    {
        await _subscription;
        await Task.Delay(_options.HeartbeatInterval, _time, _closing.Token);
        LogJoined(Namespace, _lastBeats.Count);
    }

    private void Beat()
    {
        if (Volatile.Read(ref _disposed) != 0)
            return;
        // Only while this node hears the others (IClusterBus.IsListening). Back after a break, it beats once it listens
        // again, and the others count it from then on: from a node still deaf they would hear "alive" and ask it who is
        // online, then wait the whole request timeout for the answer, with presence held up meanwhile.
        if (_subscription.IsCompletedSuccessfully && _bus.IsListening)
            Publish(Heartbeat(initial: false));
        foreach (var (node, lastBeat) in _lastBeats)
        {
            if (_time.GetElapsedTime(lastBeat) > _options.HeartbeatTimeout && _lastBeats.TryRemove(new KeyValuePair<string, long>(node, lastBeat)))
            {
                LogNodeDropped(Namespace, node, _options.HeartbeatTimeout.TotalSeconds);
                _dropped[node] = 0;
                // Requests under way stop waiting for it: a join on another node, after this one died, answers as soon as
                // the dead node is dropped rather than after the whole request timeout.
                foreach (var pending in _requests.Values)
                    (pending as NodeAnswers)?.Forget(node);
                NodeLeft(node);
            }
        }
    }

    // The namespace hears of it (its people went with the node: presence is brought up to date), off the bus's loop.
    private void NodeLeft(string node) => NodesChanged($"node {node} left", node);

    // The namespace's node hook brings presence up to date: who is online now, asked of every node counted now.
    private void NodesChanged(string what, string node) => Hook(what, () => _connections.OnNodeLeftAsync(node));

    // Runs one of the namespace's hooks off the bus's loop (it may ask the other nodes, whose answers come through it).
    private void Hook(string what, Func<Task> hook) => _ = Task.Run(async () =>
    {
        try
        {
            await hook();
        }
        catch (Exception ex)
        {
            LogHookFailed(ex, Namespace, what);
        }
    });

    /// <summary>The other nodes heard beating recently, once this node listens (so their answers can reach it).</summary>
    private async Task<IReadOnlyList<string>> LiveNodesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _subscription.WaitAsync(_options.RequestTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not listening yet (the database is away): count only what this node already knew.
        }
        return [.. _lastBeats.Where(n => _time.GetElapsedTime(n.Value) <= _options.HeartbeatTimeout).Select(n => n.Key)];
    }

    // A broadcast that names only this node's own connections' id rooms (socket.emit) reaches no other node: an
    // id room holds its own connection only, and ids are unique across nodes.
    private bool StaysOnThisNode(BroadcastOptions options) =>
        options.Flags.Local || (options.Rooms.Count > 0 && options.Rooms.All(room => _connections.TryGet(room, out _)));

    /// <summary>Asks every live node and waits for their answers, at most <paramref name="timeout"/>; names the silent ones.</summary>
    private async Task<(IReadOnlyDictionary<string, ClusterResponse> Answers, IReadOnlyList<string> Missing)> RequestAsync(
        string what, Func<string, ClusterMessage> request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var nodes = await LiveNodesAsync(cancellationToken);
        if (nodes.Count == 0)
            return (new Dictionary<string, ClusterResponse>(), []);
        var requestId = NewRequestId();
        var answers = new NodeAnswers(nodes);
        _requests[requestId] = answers;
        try
        {
            await _bus.PublishAsync(request(requestId), cancellationToken);
            var result = await answers.WaitAsync(timeout, cancellationToken);
            if (result.Missing.Count > 0)
                LogNodesDidNotAnswer(Namespace, what, string.Join(", ", result.Missing), timeout.TotalSeconds);
            return result;
        }
        finally
        {
            _requests.TryRemove(requestId, out _);
        }
    }

    private static string NewRequestId() => Guid.NewGuid().ToString("N");

    // Stamped with this process's monotonic clock: a later adapter of the same node (a namespace made again) beats
    // with later stamps than an earlier one's goodbye.
    private HeartbeatMessage Heartbeat(bool initial) => new(Namespace, NodeId, initial, _time.GetTimestamp());

    /// <summary>Publishes without waiting; a failure is logged (the asker reports this node as silent).</summary>
    private void Publish(ClusterMessage message) => _ = AnswerAsync(() => Task.FromResult<ClusterMessage?>(message));

    private async Task AnswerAsync(Func<Task<ClusterMessage?>> work)
    {
        try
        {
            if (await work() is { } answer && Volatile.Read(ref _disposed) == 0)
                await _bus.PublishAsync(answer, _closing.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_closing.IsCancellationRequested)
        {
            LogAnswerFailed(ex, Namespace);
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }

    /// <summary>
    /// Passes one request's acknowledgements back to the node that asked: one message on its way at a time, and the
    /// answers that come meanwhile go together in the next (at most <see cref="MaxAcksPerMessage"/>). A room's members
    /// answer within milliseconds of each other, and one message per answer would cost a database commit each: a
    /// hundred per chat message in a room of a hundred. The first answer goes at once, so a lone one waits for nothing.
    /// </summary>
    private sealed class AckRelay(ClusterAdapter adapter, string requestId)
    {
        /// <summary>Keeps a message of answers well under NOTIFY's 8,000 bytes (bigger ones would go through a table).</summary>
        public const int MaxAcksPerMessage = 40;

        private readonly Lock _gate = new();
        private List<AckResponse> _waiting = [];
        private bool _sending;

        public void Add(AckResponse ack)
        {
            lock (_gate)
            {
                _waiting.Add(ack);
                if (_sending)
                    return;
                _sending = true;
            }
            _ = SendAsync();
        }

        // Each message of answers is published before the next is taken, so they go out one at a time.
        private async Task SendAsync()
        {
            while (TakeSome() is { } batch)
            {
                try
                {
                    await adapter._bus.PublishAsync(new AckReceivedResponse(adapter.Namespace, adapter.NodeId, requestId, batch), adapter._closing.Token);
                }
                catch (Exception ex) when (!adapter._closing.IsCancellationRequested)
                {
                    // The asker reports these as not acknowledged; the answers after them still get their chance.
                    adapter.LogAnswerFailed(ex, adapter.Namespace);
                }
                catch (OperationCanceledException)
                {
                    return; // Closing.
                }
            }
        }

        private List<AckResponse>? TakeSome()
        {
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _sending = false;
                    return null;
                }
                if (_waiting.Count <= MaxAcksPerMessage)
                {
                    var all = _waiting;
                    _waiting = [];
                    return all;
                }
                var some = _waiting[..MaxAcksPerMessage];
                _waiting.RemoveRange(0, MaxAcksPerMessage);
                return some;
            }
        }
    }

    private abstract class PendingRequest
    {
        public abstract void OnResponse(ClusterResponse response);
    }

    private sealed class AckRequest(AckCollector collector) : PendingRequest
    {
        public override void OnResponse(ClusterResponse response)
        {
            switch (response)
            {
                case AckRecipientsResponse recipients:
                    collector.Expect(recipients.From, recipients.ConnectionIds);
                    break;
                case AckReceivedResponse received:
                    foreach (var ack in received.Acks)
                        collector.Add(ack);
                    break;
            }
        }
    }

    /// <summary>One answer per asked node; the first counts.</summary>
    private sealed class NodeAnswers(IEnumerable<string> nodes) : PendingRequest
    {
        private readonly Lock _gate = new();
        private readonly HashSet<string> _waiting = new(nodes, StringComparer.Ordinal);
        private readonly Dictionary<string, ClusterResponse> _answers = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _allIn = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void OnResponse(ClusterResponse response)
        {
            lock (_gate)
            {
                if (!_waiting.Remove(response.From))
                    return;
                _answers[response.From] = response;
                if (_waiting.Count == 0)
                    _allIn.TrySetResult();
            }
        }

        /// <summary>The node was dropped: no answer will come from it, and none is waited for.</summary>
        public void Forget(string node)
        {
            lock (_gate)
            {
                if (_waiting.Remove(node) && _waiting.Count == 0)
                    _allIn.TrySetResult();
            }
        }

        public async Task<(IReadOnlyDictionary<string, ClusterResponse> Answers, IReadOnlyList<string> Missing)> WaitAsync(
            TimeSpan timeout, CancellationToken cancellationToken)
        {
            try
            {
                await _allIn.Task.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Report what came in time.
            }
            lock (_gate)
                return (new Dictionary<string, ClusterResponse>(_answers, StringComparer.Ordinal), [.. _waiting]);
        }
    }

    [LoggerMessage(EventId = 69, Level = LogLevel.Information, Message = "{Namespace}: joined the cluster; {Nodes} other nodes heard")]
    private partial void LogJoined(string @namespace, int nodes);

    [LoggerMessage(EventId = 68, Level = LogLevel.Information, Message = "{Namespace}: node {Node} is beating again after it was dropped")]
    private partial void LogNodeBack(string @namespace, string node);

    [LoggerMessage(EventId = 59, Level = LogLevel.Information, Message = "{Namespace}: node {Node} listens again; asking who is online")]
    private partial void LogNodeListensAgain(string @namespace, string node);

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "{Namespace}: node {Node} stopped beating for {Seconds} s: dropped")]
    private partial void LogNodeDropped(string @namespace, string node, double seconds);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "{Namespace}: node {Node} left")]
    private partial void LogNodeLeft(string @namespace, string node);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "{Namespace}: nodes {Nodes} did not answer a {What} within {Seconds} s")]
    private partial void LogNodesDidNotAnswer(string @namespace, string what, string nodes, double seconds);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "{Namespace}: a message to the other nodes failed")]
    private partial void LogAnswerFailed(Exception exception, string @namespace);

    [LoggerMessage(EventId = 64, Level = LogLevel.Debug, Message = "{Namespace}: volatile {Event} not published, dropped")]
    private partial void LogVolatileDropped(Exception exception, string @namespace, string @event);

    [LoggerMessage(EventId = 58, Level = LogLevel.Debug, Message = "{Namespace}: {Event} not published; no other node is counted")]
    private partial void LogUncountedNotPublished(Exception exception, string @namespace, string @event);

    [LoggerMessage(EventId = 66, Level = LogLevel.Warning, Message = "{Namespace}: a handler of {What} failed")]
    private partial void LogHookFailed(Exception exception, string @namespace, string what);

    [LoggerMessage(EventId = 67, Level = LogLevel.Warning, Message = "{Namespace}: this node listens again after a break; its connections are told to catch up from the store")]
    private partial void LogDeliveriesMissed(string @namespace);

    [LoggerMessage(EventId = 65, Level = LogLevel.Warning, Message = "{Namespace}: closing the adapter did not tell the other nodes")]
    private partial void LogCloseFailed(Exception exception, string @namespace);
}
