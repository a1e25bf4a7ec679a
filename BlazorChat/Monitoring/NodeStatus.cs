namespace BlazorChat.Monitoring;

/// <summary>One server node as the dashboard shows it. Fields a node could not tell (another node's memory) are null.</summary>
public sealed record NodeSnapshot(string Id, bool IsThisNode, TimeSpan? Uptime, int Connections, long? MemoryBytes, double? MessagesPerSecond);

/// <summary>
/// The monitoring seam for "this node": its id, when it started, its memory and its recent message rate. Other nodes
/// are seen through the adapter (their connection counts); a server-side query for their own status can be added
/// behind the same record.
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
        new(NodeId, true, time.GetUtcNow() - _started, connections, GC.GetTotalMemory(forceFullCollection: false),
            sampler.Latest?.MessagesPerSecond ?? 0);
}
