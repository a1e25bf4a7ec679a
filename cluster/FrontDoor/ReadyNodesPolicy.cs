using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace BlazorChat.FrontDoor;

/// <summary>
/// Sends browsers only to nodes whose last health checks passed: a node answers <c>/healthz</c> with 503 until it has
/// caught up with the others (rooms and presence), and one not started yet does not answer at all. YARP's default
/// (healthy and unknown) would also send them to a node it has not checked yet: one started later, or one the front
/// door knows of before it runs. With no node ready, the front door answers 503.
/// </summary>
public sealed class ReadyNodesPolicy : IAvailableDestinationsPolicy
{
    public const string PolicyName = "ReadyNodes";

    public string Name => PolicyName;

    public IReadOnlyList<DestinationState> GetAvailalableDestinations(ClusterConfig config, IReadOnlyList<DestinationState> allDestinations) =>
        [.. allDestinations.Where(d => d.Health.Active == DestinationHealth.Healthy && d.Health.Passive != DestinationHealth.Unhealthy)];
}
