using System.Collections.Immutable;
using BlazorChat.Chat;
using BlazorChat.Monitoring;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Infrastructure;

namespace BlazorChat.Tests.Monitoring;

/// <summary>The dashboard's service layer: the role is asked of the account on every call; paging and search.</summary>
public sealed class OpsDashboardTests
{
    private readonly FakeAccessChecker _access = new FakeAccessChecker().Grant("boss", ChatHandlers.AdminRole);
    private readonly FakeConnectionSource _connections = FakeConnectionSource.WithPeople(2000);
    private readonly ChatEventRing _events = new();

    private OpsDashboard Dashboard => new(_connections, FakeNodeDirectory.Single("node-a", 2000), _access, _events);

    [Fact]
    public async Task EveryMethod_ForANonAdmin_IsRefused_EvenWithARoleClaim()
    {
        // The principal claims the role; the account does not hold it: the account wins.
        var user = TestChat.Principal("mallory", ChatHandlers.AdminRole);

        Assert.False(await Dashboard.IsAdminAsync(user));
        await Assert.ThrowsAsync<OpsRefusedException>(() => Dashboard.ConnectionsAsync(user, null, 0, 25));
        await Assert.ThrowsAsync<OpsRefusedException>(() => Dashboard.NamespacesAsync(user));
        await Assert.ThrowsAsync<OpsRefusedException>(() => Dashboard.NodesAsync(user));
        await Assert.ThrowsAsync<OpsRefusedException>(() => Dashboard.WatchEventsAsync(user, _ => { }));
        Assert.Equal(0, _connections.Fetches);
    }

    [Fact]
    public async Task ARevokedRole_IsRefusedOnTheNextCall()
    {
        var boss = TestChat.Principal("boss");
        Assert.Equal(25, (await Dashboard.ConnectionsAsync(boss, null, 0, 25)).Items.Count);

        _access.Revoke("boss", ChatHandlers.AdminRole);

        await Assert.ThrowsAsync<OpsRefusedException>(() => Dashboard.ConnectionsAsync(boss, null, 0, 25));
    }

    [Fact]
    public async Task Connections_AreServedOnePageAtATime_AndSearched()
    {
        var boss = TestChat.Principal("boss");

        var second = await Dashboard.ConnectionsAsync(boss, null, 25, 25);
        var found = await Dashboard.ConnectionsAsync(boss, "person 1999", 0, 25);

        Assert.Equal(2000, second.TotalMatching);
        Assert.Equal(25, second.Items.Count);
        Assert.Equal("Person 1999", Assert.Single(found.Items).DisplayName);
        Assert.Equal(1, found.TotalMatching);
    }

    [Fact]
    public async Task Namespaces_CountMembersPerRoom_LeavingOutConnectionAndPersonRooms()
    {
        var namespaces = await Dashboard.NamespacesAsync(TestChat.Principal("boss"));

        var main = Assert.Single(namespaces);
        Assert.Equal(2000, main.Connections);
        Assert.Equal([new NamespaceRoom("general", 2000), new NamespaceRoom("odd", 1000)], main.Rooms);
    }
}

/// <summary>Connections behind the dashboard's seam, as many as a test wants, without a server.</summary>
public sealed class FakeConnectionSource(IReadOnlyList<RemoteConnection> connections) : IConnectionSource
{
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    public static FakeConnectionSource WithPeople(int count, string serverId = "node-a") =>
        new([.. Enumerable.Range(0, count).Select(i => new RemoteConnection($"c{i}", "/", $"u{i}", $"Person {i}",
            (i % 2 == 1 ? ImmutableHashSet.Create($"c{i}", $"user:u{i}", "general", "odd") : ImmutableHashSet.Create($"c{i}", $"user:u{i}", "general")), serverId)
        {
            ConnectedAt = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero).AddSeconds(i),
        })]);

    public Task<IReadOnlyList<RemoteConnection>> FetchAllAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _fetches);
        return Task.FromResult(connections);
    }
}

/// <summary>Nodes behind the dashboard's seam, as a test describes them.</summary>
public sealed class FakeNodeDirectory(params NodeSnapshot[] nodes) : INodeDirectory
{
    private int _asks;

    /// <summary>How many times the nodes were asked for.</summary>
    public int Asks => Volatile.Read(ref _asks);

    public static FakeNodeDirectory Single(string id, int connections) =>
        new(new NodeSnapshot(id, true, TimeSpan.FromMinutes(90), connections, 64L << 20, 2.5));

    public Task<IReadOnlyList<NodeSnapshot>> NodesAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _asks);
        return Task.FromResult<IReadOnlyList<NodeSnapshot>>(nodes);
    }

    public Task<IReadOnlyList<RemoteConnection>> ElsewhereAsync(IReadOnlyCollection<string> known, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RemoteConnection>>([]);

    /// <summary>What <see cref="SamplesAsync"/> answers.</summary>
    public List<NodeSamples> Samples { get; } = [];

    public Task<IReadOnlyList<NodeSamples>> SamplesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NodeSamples>>([.. Samples]);

    /// <summary>Other nodes' rings, by node id: what <see cref="EventsAsync"/> answers from.</summary>
    public Dictionary<string, ChatEventRing> Rings { get; } = new(StringComparer.Ordinal);

    /// <summary>What each call to <see cref="EventsAsync"/> was asked with.</summary>
    public List<IReadOnlyDictionary<string, long>> EventAsks { get; } = [];

    public Task<IReadOnlyList<NodeEvents>> EventsAsync(IReadOnlyDictionary<string, long> seen, CancellationToken cancellationToken = default)
    {
        EventAsks.Add(new Dictionary<string, long>(seen));
        return Task.FromResult<IReadOnlyList<NodeEvents>>(
        [
            .. Rings.Select(r =>
            {
                var (events, total) = r.Value.Since(seen.TryGetValue(r.Key, out var after) ? after : -1, NodeDirectory.MaxEventsPerAnswer);
                return new NodeEvents(r.Key, total, [.. events.Select(e => e with { Node = r.Key })]);
            }),
        ]);
    }
}

/// <summary>The sampler behind the dashboard's charts: a rate per interval, and a bounded buffer.</summary>
public sealed class MetricsSamplerTests
{
    [Fact]
    public void Sample_ComputesMessagesPerSecond_AndKeepsOnlyAnHour()
    {
        using var probe = new MetricsProbe();
        var metrics = probe.Metrics;
        var time = new ManualTimeProvider();
        var sampler = new MetricsSampler(metrics, time);

        sampler.Sample();
        metrics.ConnectionOpened();
        for (var i = 0; i < 50; i++)
            metrics.MessageStored(ChatMetrics.RoomMessage);
        time.Advance(TimeSpan.FromSeconds(10));
        var second = sampler.Sample();

        Assert.Equal(5, second.MessagesPerSecond);
        Assert.Equal(1, second.Connections);
        for (var i = 0; i < MetricsSampler.Capacity + 10; i++)
        {
            time.Advance(MetricsSampler.Interval);
            sampler.Sample();
        }
        Assert.Equal(MetricsSampler.Capacity, sampler.Samples.Count);
        Assert.Equal(0, sampler.Latest!.MessagesPerSecond);
    }
}
