namespace BlazorChat.Realtime.Adapters.Cluster;

/// <summary>
/// The publish/subscribe transport under <see cref="ClusterAdapter"/>: all a multi-node transport has to do. One per
/// server node.
/// </summary>
public interface IClusterBus
{
    /// <summary>This node's id; messages it published never come back to it.</summary>
    string NodeId { get; }

    /// <summary>
    /// Hands <paramref name="handler"/> every message other nodes publish for <paramref name="namespace"/>, in the order
    /// each node published them, one at a time (so the handler must not block: it starts slow work and returns).
    /// Completes once the node is listening; dispose the result to stop.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string @namespace, Action<ClusterMessage> handler, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether this node hears the other nodes now (for a bus over a database: its listening connection is up). Its
    /// heartbeats are published only meanwhile: a node the others count is asked things, and one that beat while deaf
    /// would leave each question to it unanswered until the request's timeout.
    /// </summary>
    bool IsListening { get; }

    /// <summary>Sends a message to every other node that subscribed to its namespace.</summary>
    Task PublishAsync(ClusterMessage message, CancellationToken cancellationToken = default);
}

/// <summary>How often nodes beat, when a silent one is dropped, and how long requests wait for other nodes.</summary>
public class ClusterOptions
{
    /// <summary>How often each node says it is alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A node not heard from for this long is dropped: no longer counted or asked, so its connections are no longer
    /// fetched. It is noticed at the next heartbeat: at most this plus <see cref="HeartbeatInterval"/> after its last beat.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a request to the other nodes (fetch, disconnect) waits for their answers.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
