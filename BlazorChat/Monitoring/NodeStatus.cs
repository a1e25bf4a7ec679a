namespace BlazorChat.Monitoring;

/// <summary>
/// One server node as the dashboard shows it: its uptime, the connections it holds (all namespaces), its process's working
/// set and the messages stored per second at its latest sample. A node that did not answer has every field null.
/// </summary>
public sealed record NodeSnapshot(string Id, bool IsThisNode, TimeSpan? Uptime, int? Connections, long? MemoryBytes, double? MessagesPerSecond)
{
    /// <summary>Whether the node told its status (this node always does).</summary>
    public bool Answered => Uptime is not null;
}

/// <summary>
/// The monitoring seam for "this node": its id, when it started, its memory and its recent message rate. The other
/// nodes answer for themselves (<see cref="NodeDirectory"/>).
/// </summary>
public interface INodeStatus
{
    string NodeId { get; }

    NodeSnapshot Now(int connections);
}

/// <summary>This node's status from the process, the chat server's id and the <see cref="MetricsSampler"/>'s latest rate.</summary>
public sealed class ProcessNodeStatus(Realtime.Server.ChatServer server, MetricsSampler sampler, TimeProvider time) : INodeStatus
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public string NodeId => server.ServerId;

    public NodeSnapshot Now(int connections) =>
        new(NodeId, true, time.GetUtcNow() - _started, connections, Environment.WorkingSet,
            sampler.Latest?.MessagesPerSecond ?? 0);
}
