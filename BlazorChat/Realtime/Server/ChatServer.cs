using System.Text.RegularExpressions;
using BlazorChat.Monitoring;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Realtime.Server;

/// <summary>
/// The realtime server, like socket.io's <c>Server</c>: it owns the namespaces. Static namespaces are made
/// with <see cref="Of(string)"/>; dynamic families with <see cref="Of(Regex, string)"/> or a predicate, and
/// their namespaces appear on first use and go away when empty.
/// </summary>
public sealed class ChatServer : IBacklogSource
{
    private readonly IChatAdapterFactory _adapters;

    /// <param name="metrics">Where connections, deliveries and the outboxes' backlog are counted; nothing is counted when null.</param>
    /// <param name="events">Where connects and disconnects are recorded for an operator's event log; nowhere when null.</param>
    public ChatServer(IChatAdapterFactory adapters, ILoggerFactory loggers, ChatMetrics? metrics = null, ChatEventRing? events = null)
    {
        _adapters = adapters;
        _logger = loggers.CreateLogger<ChatNamespace>();
        Metrics = metrics;
        Events = events;
        metrics?.AddBacklogSource(this);
        // A multi-node adapter queues what it publishes to the other nodes: that queue is a backlog an operator watches too.
        if (adapters is IBacklogSource published)
            metrics?.AddClusterBacklogSource(published);
    }

    /// <summary>This node's instruments (null: not measured).</summary>
    internal ChatMetrics? Metrics { get; }

    /// <summary>This node's event feed (null: not recorded).</summary>
    internal ChatEventRing? Events { get; }

    /// <summary>Events waiting in the outboxes of this node's connections, every namespace together.</summary>
    public long Backlog
    {
        get
        {
            long total = 0;
            foreach (var ns in Namespaces)
                total += ns.Backlog;
            return total;
        }
    }

    /// <summary>The main namespace.</summary>
    public const string MainNamespace = "/";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ChatNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly List<NamespaceFamily> _families = [];
    private readonly Dictionary<string, int> _connecting = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    /// <summary>This node's id, reported with every connection it holds.</summary>
    public string ServerId { get; } = Guid.NewGuid().ToString("N")[..12];

    public IReadOnlyList<ChatNamespace> Namespaces
    {
        get
        {
            lock (_gate)
                return [.. _namespaces.Values];
        }
    }

    public IReadOnlyList<NamespaceFamily> Families
    {
        get
        {
            lock (_gate)
                return [.. _families];
        }
    }

    /// <summary>The main namespace "/" (socket.io's <c>io</c> itself emits there).</summary>
    public ChatNamespace Main => Of(MainNamespace);

    /// <summary>
    /// The namespace with this name, created when missing (socket.io's <c>io.of(name)</c>). A name a family
    /// matches becomes one of its namespaces, so the family's middleware applies even before anyone connects.
    /// </summary>
    public ChatNamespace Of(string name)
    {
        NamespaceNames.ThrowIfInvalid(name);
        lock (_gate)
            return GetOrCreateLocked(name, static _ => true)!;
    }

    /// <summary>A dynamic family of namespaces whose names match <paramref name="pattern"/>.</summary>
    public NamespaceFamily Of(Regex pattern, string description) => Of(pattern.IsMatch, description);

    /// <summary>A dynamic family of namespaces whose names <paramref name="matches"/> accepts.</summary>
    public NamespaceFamily Of(Func<string, bool> matches, string description)
    {
        var family = new NamespaceFamily(this, description, matches);
        lock (_gate)
            _families.Add(family);
        return family;
    }

    /// <summary>
    /// Connects to a namespace by name through its middleware (socket.io's client <c>io("/name")</c>).
    /// </summary>
    /// <exception cref="ConnectRefusedException">No such namespace, or its middleware refused.</exception>
    public async Task<ChatSocket> ConnectAsync(string @namespace, ConnectRequest request, ClientHandler client, CancellationToken cancellationToken = default)
    {
        ChatNamespace? target;
        lock (_gate)
        {
            target = NamespaceNames.IsValid(@namespace)
                ? GetOrCreateLocked(@namespace, MayCreateOnConnectLocked)
                : null;
            if (target is not null)
                _connecting[target.Name] = _connecting.GetValueOrDefault(target.Name) + 1;
        }
        if (target is null)
            throw new ConnectRefusedException(@namespace, $"There is no namespace \"{@namespace}\".");
        try
        {
            await JoinedOrGivenUpAsync(target, cancellationToken);
            return await target.ConnectAsync(request, client, cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                if (--_connecting[target.Name] == 0)
                    _connecting.Remove(target.Name);
            }
            await OnConnectionLeftAsync(target);
        }
    }

    /// <summary>How long a connect waits for its namespace's adapter to join the other nodes before it goes ahead anyway.</summary>
    public static readonly TimeSpan JoinPatience = TimeSpan.FromSeconds(5);

    // A namespace made now (a team space first used on this node) has an adapter that has not heard the other nodes yet:
    // the first person in would see nobody of the team online there, and nothing would correct it until someone came or
    // went. So a connect waits for the adapter to join (about one heartbeat interval), at most JoinPatience: with the
    // database away it would never join, and the chat on this node must go on. A namespace that joined long ago (every
    // one at start-up, see NodeReadiness) does not wait.
    private static async Task JoinedOrGivenUpAsync(ChatNamespace target, CancellationToken cancellationToken)
    {
        try
        {
            await target.Adapter.WaitUntilJoinedAsync(cancellationToken).WaitAsync(JoinPatience, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Served with what this node knows now (or the adapter is closing, and the connect says so itself).
        }
    }

    // A dynamic namespace with nobody in it and nobody on the way in is removed (socket.io's cleanupEmptyChildNamespaces).
    internal async Task OnConnectionLeftAsync(ChatNamespace @namespace)
    {
        if (@namespace.Family is null)
            return;
        lock (_gate)
        {
            if (@namespace.ConnectionCount > 0 || _connecting.ContainsKey(@namespace.Name)
                || !_namespaces.TryGetValue(@namespace.Name, out var current) || current != @namespace)
                return;
            _namespaces.Remove(@namespace.Name);
        }
        await @namespace.Adapter.DisposeAsync();
    }

    // Like socket.io's io.sockets, the main namespace always exists, even before any code configured it.
    private bool MayCreateOnConnectLocked(string name) => name == MainNamespace || _families.Any(f => f.Matches(name));

    private ChatNamespace? GetOrCreateLocked(string name, Func<string, bool> mayCreate)
    {
        if (_namespaces.TryGetValue(name, out var existing))
            return existing;
        if (!mayCreate(name))
            return null;
        var family = _families.FirstOrDefault(f => f.Matches(name));
        var created = new ChatNamespace(this, name, family, _adapters, _logger);
        _namespaces.Add(name, created);
        return created;
    }
}

/// <summary>Namespace names: "/" then letters, digits, '-', '_' or '/', at most 64 characters.</summary>
public static partial class NamespaceNames
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static void ThrowIfInvalid(string name)
    {
        if (!IsValid(name))
            throw new ArgumentException($"\"{name}\" is not a namespace name: use \"/\" followed by letters, digits, '-' or '_'.", nameof(name));
    }

    [GeneratedRegex(@"^/[A-Za-z0-9_\-/]{0,63}$")]
    private static partial Regex Pattern();
}
