using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Configuration;

namespace BlazorChat.FrontDoor;

/// <summary>
/// The front door's proxy configuration: every path to one cluster of chat nodes, with cookie-based session affinity
/// (a Blazor circuit lives on one node: its page, its negotiation and its WebSocket must all reach that node), active
/// health checks on each node's <c>/healthz</c> (a node is used only once its check passed: <see cref="ReadyNodesPolicy"/>)
/// and passive ones on failed requests. A browser whose node is taken out
/// is sent to another (affinity failure policy Redistribute), where its tab starts or resumes a circuit.
/// </summary>
public static class FrontDoorConfig
{
    /// <summary>The chat nodes' addresses: <c>FrontDoor:Nodes:0</c>, <c>FrontDoor:Nodes:1</c>, ...</summary>
    public const string NodesSetting = "FrontDoor:Nodes";

    /// <summary>The affinity cookie: which node this browser's tabs belong to (a hash of the node's id, nothing else).</summary>
    public const string AffinityCookie = "blazorchat.node";

    public const string ClusterId = "chat";

    /// <summary>The response header naming the node that answered ("node1", "node2", ... in the order of the nodes).</summary>
    public const string NodeHeader = "X-BlazorChat-Node";

    /// <summary>
    /// Every response says which node answered it (<see cref="NodeHeader"/>): the affinity cookie is an opaque hash, and
    /// whoever runs the cluster (or a fault test that must kill the node a browser is on) needs to know which node that is.
    /// </summary>
    public static void NameTheNode(Yarp.ReverseProxy.Transforms.Builder.TransformBuilderContext context) =>
        context.AddResponseTransform(transform =>
        {
            if (transform.HttpContext.Features.Get<Yarp.ReverseProxy.Model.IReverseProxyFeature>()?.ProxiedDestination is { } node)
                transform.HttpContext.Response.Headers[NodeHeader] = node.DestinationId;
            return ValueTask.CompletedTask;
        });

    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        new RouteConfig
        {
            RouteId = "everything",
            ClusterId = ClusterId,
            Match = new RouteMatch { Path = "{**catch-all}" },
            // The node sees the address the browser used: its same-origin check on the circuit's handshake compares
            // Origin with Host, and the pages' links are the front door's.
            Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
        },
    ];

    public static ClusterConfig Cluster(IReadOnlyList<string> nodes)
    {
        if (nodes.Count == 0)
            throw new InvalidOperationException(
                $"{NodesSetting} names no chat node: set FrontDoor__Nodes__0=http://127.0.0.1:PORT (and __1, __2, ...).");
        return new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = "RoundRobin",
            SessionAffinity = new SessionAffinityConfig
            {
                Enabled = true,
                Policy = "HashCookie",
                FailurePolicy = "Redistribute",
                AffinityKeyName = AffinityCookie,
                Cookie = new SessionAffinityCookieConfig
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    IsEssential = true,
                    Path = "/",
                },
            },
            HealthCheck = new HealthCheckConfig
            {
                // Only nodes whose check passed: a node still catching up says 503, and one not checked yet is not used.
                AvailableDestinationsPolicy = ReadyNodesPolicy.PolicyName,
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    // Every second, two failures in a row: a node that died is out within about 2 s, so its tabs'
                    // reconnection attempts (every second) reach a live node and reload there well within 10 s.
                    Interval = TimeSpan.FromSeconds(1),
                    Timeout = TimeSpan.FromSeconds(2),
                    Policy = "ConsecutiveFailures",
                    Path = "/healthz",
                },
                Passive = new PassiveHealthCheckConfig
                {
                    Enabled = true,
                    Policy = "TransportFailureRate",
                    ReactivationPeriod = TimeSpan.FromSeconds(10),
                },
            },
            Destinations = nodes
                .Select((address, i) => (Id: $"node{i + 1}", Config: new DestinationConfig { Address = address }))
                .ToDictionary(d => d.Id, d => d.Config),
        };
    }
}
