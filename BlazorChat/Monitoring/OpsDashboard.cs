using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Monitoring;

/// <summary>
/// Where the dashboard's connections come from: every connection of every namespace, on every node. The app's source
/// asks each namespace's operator (<see cref="BroadcastOperator.FetchConnectionsAsync"/>), so on a cluster it is the
/// adapter that reaches the other nodes; tests put thousands of fake rows behind it.
/// </summary>
public interface IConnectionSource
{
    Task<IReadOnlyList<RemoteConnection>> FetchAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// Every connection, through the adapter: each namespace this node has opened asks its operator (all nodes on a
/// cluster), and the other nodes list their connections of the namespaces only they have opened (a tenant's, say).
/// </summary>
public sealed class AdapterConnectionSource(ChatServer server, INodeDirectory nodes) : IConnectionSource
{
    public async Task<IReadOnlyList<RemoteConnection>> FetchAllAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<RemoteConnection>();
        var opened = server.Namespaces;
        foreach (var ns in opened)
            all.AddRange(await ns.Operator.FetchConnectionsAsync(cancellationToken));
        all.AddRange(await nodes.ElsewhereAsync([.. opened.Select(ns => ns.Name)], cancellationToken));
        return all;
    }
}

/// <summary>One page of connections and how many matched the search.</summary>
public sealed record ConnectionPage(IReadOnlyList<RemoteConnection> Items, int TotalMatching);

/// <summary>A namespace, its rooms (connection and person rooms left out) and how many connections are in each.</summary>
public sealed record NamespaceSummary(string Name, int Connections, IReadOnlyList<NamespaceRoom> Rooms);

public sealed record NamespaceRoom(string Name, int Members);

/// <summary>
/// The operator's dashboard's service layer. Every method takes the caller and asks the access checker, now, whether
/// they hold the admin role (never the claims the circuit was opened with): a non-admin gets
/// <see cref="OpsRefusedException"/> and no data.
/// </summary>
public sealed class OpsDashboard(IConnectionSource connections, INodeDirectory nodes, IAccessChecker checker, ChatEventRing events)
{
    public const string NotAnAdmin = "Only administrators may see the operator's dashboard. Your account does not hold the admin role (now).";

    /// <summary>Whether <paramref name="caller"/> holds the admin role now.</summary>
    public async ValueTask<bool> IsAdminAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default) =>
        caller.Identity?.IsAuthenticated == true && await checker.IsInRoleAsync(caller, ChatHandlers.AdminRole, cancellationToken);

    /// <summary>Connections whose person, namespace, id, node, address or rooms contain <paramref name="search"/>, one page of them.</summary>
    public async Task<ConnectionPage> ConnectionsAsync(ClaimsPrincipal caller, string? search, int skip, int take,
        CancellationToken cancellationToken = default)
    {
        await ThrowUnlessAdminAsync(caller, cancellationToken);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfLessThan(take, 1);
        var all = await connections.FetchAllAsync(cancellationToken);
        var matching = string.IsNullOrWhiteSpace(search) ? all : [.. all.Where(c => Matches(c, search.Trim()))];
        var page = matching.OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.DisplayName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.Id, StringComparer.Ordinal).Skip(skip).Take(take).ToList();
        return new ConnectionPage(page, matching.Count);
    }

    /// <summary>Every namespace that has connections, with its rooms and member counts (from all nodes).</summary>
    public async Task<IReadOnlyList<NamespaceSummary>> NamespacesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await ThrowUnlessAdminAsync(caller, cancellationToken);
        var all = await connections.FetchAllAsync(cancellationToken);
        return
        [
            .. all.GroupBy(c => c.Namespace, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new NamespaceSummary(
                g.Key, g.Count(),
                [
                    .. g.SelectMany(c => c.Rooms.Where(r => r != c.Id && !r.StartsWith("user:", StringComparison.Ordinal)))
                        .GroupBy(r => r, StringComparer.Ordinal).OrderBy(r => r.Key, StringComparer.Ordinal)
                        .Select(r => new NamespaceRoom(r.Key, r.Count())),
                ])),
        ];
    }

    /// <summary>Every node: this one first, then the others that answered, then those that did not (<see cref="INodeDirectory"/>).</summary>
    public async Task<IReadOnlyList<NodeSnapshot>> NodesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await ThrowUnlessAdminAsync(caller, cancellationToken);
        return await nodes.NodesAsync(cancellationToken);
    }

    /// <summary>The other nodes' events after those already <paramref name="seen"/> (<see cref="INodeDirectory.EventsAsync"/>).</summary>
    public async Task<IReadOnlyList<NodeEvents>> OtherNodesEventsAsync(ClaimsPrincipal caller, IReadOnlyDictionary<string, long> seen,
        CancellationToken cancellationToken = default)
    {
        await ThrowUnlessAdminAsync(caller, cancellationToken);
        return await nodes.EventsAsync(seen, cancellationToken);
    }

    /// <summary>The other nodes' samples of the last hour (<see cref="INodeDirectory.SamplesAsync"/>).</summary>
    public async Task<IReadOnlyList<NodeSamples>> OtherNodesSamplesAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        await ThrowUnlessAdminAsync(caller, cancellationToken);
        return await nodes.SamplesAsync(cancellationToken);
    }

    /// <summary>The events this node's ring holds (oldest first), and a subscription to new ones until it is disposed.</summary>
    public async Task<(IReadOnlyList<MonitoredEvent> Held, IDisposable Subscription)> WatchEventsAsync(ClaimsPrincipal caller,
        Action<MonitoredEvent> handler, CancellationToken cancellationToken = default)
    {
        await ThrowUnlessAdminAsync(caller, cancellationToken);
        var subscription = events.Subscribe(handler);
        return (events.Snapshot(), subscription);
    }

    /// <summary>Throws <see cref="OpsRefusedException"/> unless <paramref name="caller"/> holds the admin role now.</summary>
    public async Task ThrowUnlessAdminAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!await IsAdminAsync(caller, cancellationToken))
            throw new OpsRefusedException(NotAnAdmin);
    }

    private static bool Matches(RemoteConnection c, string search) =>
        c.DisplayName.Contains(search, StringComparison.OrdinalIgnoreCase) || c.UserId.Contains(search, StringComparison.OrdinalIgnoreCase)
        || c.Namespace.Contains(search, StringComparison.OrdinalIgnoreCase) || c.Id.Contains(search, StringComparison.OrdinalIgnoreCase)
        || c.ServerId.Contains(search, StringComparison.OrdinalIgnoreCase)
        || c.Address?.Contains(search, StringComparison.OrdinalIgnoreCase) == true
        || c.Rooms.Any(r => r.Contains(search, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The caller may not use the operator's dashboard.</summary>
public sealed class OpsRefusedException(string message) : Exception(message);
