using BlazorChat.Realtime;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Monitoring;

/// <summary>
/// The monitoring seam for the nodes of a cluster: each node's own status, the connections of namespaces that only
/// other nodes have opened, each node's latest events and its samples of the last hour. One node asks the others through the adapter's server-side emit with acknowledgements
/// (socket.io's <c>serverSideEmitWithAck</c>), never by reaching into the adapter; on one node the answer is this node.
/// </summary>
public interface INodeDirectory
{
    /// <summary>This node first, then every other node that answered (by id), then the nodes that did not answer in time (their fields null).</summary>
    Task<IReadOnlyList<NodeSnapshot>> NodesAsync(CancellationToken cancellationToken = default);

    /// <summary>The connections other nodes hold in namespaces that are not among <paramref name="known"/> (namespaces this node has not opened).</summary>
    Task<IReadOnlyList<RemoteConnection>> ElsewhereAsync(IReadOnlyCollection<string> known, CancellationToken cancellationToken = default);

    /// <summary>
    /// The other nodes' events (their <see cref="ChatEventRing"/>s) after those already <paramref name="seen"/> (a node's
    /// id → the total its last answer gave; a node not named answers with the newest it holds), each tagged with its node.
    /// </summary>
    Task<IReadOnlyList<NodeEvents>> EventsAsync(IReadOnlyDictionary<string, long> seen, CancellationToken cancellationToken = default);

    /// <summary>The other nodes' samples of the last hour (their <see cref="MetricsSampler"/>s), oldest first.</summary>
    Task<IReadOnlyList<NodeSamples>> SamplesAsync(CancellationToken cancellationToken = default);
}

/// <summary>Asks the other nodes for their samples of the last hour.</summary>
public sealed record NodeSamplesQuery : EventData;

/// <summary>A node's samples of the last hour, oldest first.</summary>
public sealed record NodeSamples(string NodeId, IReadOnlyList<MetricsSample> Samples) : EventData;

/// <summary>Asks the other nodes for their events after those the asker has seen (node id → total).</summary>
public sealed record NodeEventsQuery(IReadOnlyDictionary<string, long> Seen) : EventData;

/// <summary>A node's events after those the asker had seen, oldest first, and its total to ask with next time.</summary>
public sealed record NodeEvents(string NodeId, long Total, IReadOnlyList<MonitoredEvent> Events) : EventData;

/// <summary>Asks a node for its status, naming the namespaces the asker has opened (the rest it should list connections of).</summary>
public sealed record NodeStatusQuery(IReadOnlyList<string> KnownNamespaces) : EventData;

/// <summary>A node's answer: its status, and its connections in namespaces the asker did not name.</summary>
public sealed record NodeStatusReply(NodeSnapshot Node, IReadOnlyList<RemoteConnection> Elsewhere) : EventData;

/// <summary>
/// The app's <see cref="INodeDirectory"/>: answers the other nodes' questions from the local <see cref="INodeStatus"/>
/// and the namespaces' local connections, and asks them in turn. It must listen from start-up (a hosted service), so a
/// node nobody looks at still answers.
/// </summary>
public sealed class NodeDirectory(ChatServer server, INodeStatus node, ChatEventRing? events = null, MetricsSampler? sampler = null)
    : INodeDirectory, IHostedService
{
    /// <summary>The server-side event of the question.</summary>
    public const string StatusEvent = "ops:node-status";

    /// <summary>The server-side event that asks for a node's events.</summary>
    public const string EventsEvent = "ops:node-events";

    /// <summary>The server-side event that asks for a node's samples.</summary>
    public const string SamplesEvent = "ops:node-samples";

    /// <summary>The most events one node sends in one answer.</summary>
    public const int MaxEventsPerAnswer = 200;

    /// <summary>How long the asker waits for the other nodes' answers.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    private int _started;

    /// <summary>Starts answering the other nodes (once).</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            server.Main.OnServerSideEmitWithAck(packet => packet switch
            {
                { Event: StatusEvent, Data: NodeStatusQuery query } => AnswerAsync(query),
                { Event: EventsEvent, Data: NodeEventsQuery query } => Task.FromResult<EventData?>(AnswerEvents(query)),
                { Event: SamplesEvent, Data: NodeSamplesQuery } => Task.FromResult<EventData?>(
                    sampler is null ? null : new NodeSamples(server.ServerId, sampler.Samples)),
                _ => Task.FromResult<EventData?>(null),
            });
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<NodeSnapshot>> NodesAsync(CancellationToken cancellationToken = default)
    {
        var here = node.Now(LocalConnections());
        var (replies, silent) = await AskAsync([], cancellationToken);
        return
        [
            here,
            .. replies.Select(r => r.Node with { IsThisNode = false }).Where(n => n.Id != here.Id).OrderBy(n => n.Id, StringComparer.Ordinal),
            .. silent.Order(StringComparer.Ordinal).Select(id => new NodeSnapshot(id, false, null, null, null, null)),
        ];
    }

    public async Task<IReadOnlyList<RemoteConnection>> ElsewhereAsync(IReadOnlyCollection<string> known, CancellationToken cancellationToken = default)
    {
        var (replies, _) = await AskAsync(known, cancellationToken);
        return [.. replies.SelectMany(r => r.Elsewhere)];
    }

    public async Task<IReadOnlyList<NodeEvents>> EventsAsync(IReadOnlyDictionary<string, long> seen, CancellationToken cancellationToken = default)
    {
        var result = await server.Main.ServerSideEmitWithAckAsync(EventsEvent,
            new NodeEventsQuery(new Dictionary<string, long>(seen, StringComparer.Ordinal)), Patience, cancellationToken);
        return [.. result.Replies.Select(r => r.Data).OfType<NodeEvents>().Where(e => e.NodeId != server.ServerId)];
    }

    public async Task<IReadOnlyList<NodeSamples>> SamplesAsync(CancellationToken cancellationToken = default)
    {
        var result = await server.Main.ServerSideEmitWithAckAsync(SamplesEvent, new NodeSamplesQuery(), Patience, cancellationToken);
        return [.. result.Replies.Select(r => r.Data).OfType<NodeSamples>().Where(s => s.NodeId != server.ServerId).OrderBy(s => s.NodeId, StringComparer.Ordinal)];
    }

    private NodeEvents? AnswerEvents(NodeEventsQuery query)
    {
        if (events is null)
            return null;
        var (held, total) = events.Since(query.Seen.TryGetValue(server.ServerId, out var after) ? after : -1, MaxEventsPerAnswer);
        return new NodeEvents(server.ServerId, total, [.. held.Select(e => e with { Node = server.ServerId })]);
    }

    private async Task<(IReadOnlyList<NodeStatusReply> Replies, IReadOnlyList<string> Silent)> AskAsync(IReadOnlyCollection<string> known,
        CancellationToken cancellationToken)
    {
        var result = await server.Main.ServerSideEmitWithAckAsync(StatusEvent, new NodeStatusQuery([.. known]), Patience, cancellationToken);
        return ([.. result.Replies.Select(r => r.Data).OfType<NodeStatusReply>()], result.MissingServers);
    }

    private async Task<EventData?> AnswerAsync(NodeStatusQuery query)
    {
        var known = query.KnownNamespaces.ToHashSet(StringComparer.Ordinal);
        var elsewhere = new List<RemoteConnection>();
        foreach (var ns in server.Namespaces.Where(ns => !known.Contains(ns.Name) && ns.ConnectionCount > 0))
            elsewhere.AddRange(await ns.Local.FetchConnectionsAsync());
        return new NodeStatusReply(node.Now(LocalConnections()), elsewhere);
    }

    private int LocalConnections() => server.Namespaces.Sum(ns => ns.ConnectionCount);
}
