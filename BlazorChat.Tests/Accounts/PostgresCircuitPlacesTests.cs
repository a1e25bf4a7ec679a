using BlazorChat.Accounts;
using BlazorChat.Persistence.Postgres;
using Npgsql;

namespace BlazorChat.Tests.Accounts;

/// <summary>
/// The cap on a person's tabs on PostgreSQL: the same contract as one node's memory, where "another node" is a second
/// node's places on the same database; and what only a cluster has: nodes racing for the last place, a node that dies
/// or leaves, and a node cut off from the database.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCircuitPlacesTests(PostgresServer server) : CircuitPlacesContractTests
{
    private static readonly ClusterTiming Quick = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
    // Beats as often, but counts a silent node for a minute: what a test of a cut-off node needs, so the other node
    // goes on counting the cut-off node's places.
    private static readonly ClusterTiming Patient = new(Quick.Interval, TimeSpan.FromMinutes(1));
    private readonly List<PostgresCircuitPlaces> _nodes = [];
    private TestDatabase? _storage;

    protected override async Task<ICircuitPlaces> CreateAsync(int max)
    {
        _storage ??= await server.CreateDatabaseAsync();
        return Node("node-a", max, Quick);
    }

    protected override Task<ICircuitPlaces> CreateOtherNodeAsync(int max) => Task.FromResult<ICircuitPlaces>(Node("node-b", max, Quick));

    private PostgresCircuitPlaces Node(string id, int max, ClusterTiming timing, LoopbackProxy? through = null)
    {
        var connection = through is null ? _storage!.ConnectionString
            : new NpgsqlConnectionStringBuilder(_storage!.ConnectionString) { Port = through.Port, Timeout = 2 }.ToString();
        var node = new PostgresCircuitPlaces(new PostgresDatabase(connection, NullLoggerFactory.Instance), id, timing,
            new FixedOptionsMonitor<AccountOptions>(new AccountOptions { MaxCircuitsPerPerson = max }), TimeProvider.System,
            NullLogger<PostgresCircuitPlaces>.Instance, ownsDatabase: true);
        _nodes.Add(node);
        return node;
    }

    protected override async Task CleanUpAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        if (_storage is not null)
            await _storage.DisposeAsync();
    }

    [Fact]
    public async Task TwoNodesRacingForThePlacesOfOnePerson_LetInExactlyTheCap()
    {
        _storage = await server.CreateDatabaseAsync();
        var one = Node("node-one", 3, Quick);
        var two = Node("node-two", 3, Quick);
        // Each node has beaten and has connections open: the race is the take itself.
        await Task.WhenAll(Warm(one), Warm(two));

        for (var round = 0; round < 5; round++)
        {
            var person = $"user-{round}";
            var takes = Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? one : two).TryTakeAsync(person)));

            var taken = await Task.WhenAll(takes);

            Assert.Equal(3, taken.Count(t => t));
        }

        static async Task Warm(PostgresCircuitPlaces node)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => node.TryTakeAsync($"warm-{i}")));
        }
    }

    [Fact]
    public async Task ANodeThatStopsBeating_FreesItsPlacesForTheOthers_WithinTheTimeout()
    {
        _storage = await server.CreateDatabaseAsync();
        // This node beats once, at its first tab, and never again: as good as dead after that.
        var dying = Node("node-dying", 2, new ClusterTiming(TimeSpan.FromHours(1), Quick.Timeout));
        var survivor = Node("node-survivor", 2, Quick);
        Assert.True(await dying.TryTakeAsync("user-ada"));
        Assert.True(await dying.TryTakeAsync("user-ada"));
        Assert.False(await survivor.TryTakeAsync("user-ada"));

        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool taken;
        do
        {
            await Task.Delay(100);
            taken = await survivor.TryTakeAsync("user-ada");
        }
        while (!taken && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.True(taken);
        Assert.True(waited.Elapsed < Quick.Timeout + TimeSpan.FromSeconds(2), $"free after {waited.Elapsed.TotalSeconds:F1} s");
        Assert.True(await survivor.TryTakeAsync("user-ada"));
        Assert.False(await survivor.TryTakeAsync("user-ada"));
    }

    [Fact]
    public async Task ANodeWhoseBeatIsLate_StillCountsItsOwnTabs()
    {
        _storage = await server.CreateDatabaseAsync();
        // Its last beat is older than the timeout when it lets in the third tab: the other nodes no longer count its
        // tabs, but it is alive, and knows them.
        var late = Node("node-late", 2, new ClusterTiming(TimeSpan.FromHours(1), Quick.Timeout));
        Assert.True(await late.TryTakeAsync("user-ada"));
        Assert.True(await late.TryTakeAsync("user-ada"));

        await Task.Delay(Quick.Timeout + TimeSpan.FromMilliseconds(500));

        Assert.False(await late.TryTakeAsync("user-ada"));
    }

    [Fact]
    public async Task ANodeThatLeaves_FreesItsPlacesAtOnce()
    {
        _storage = await server.CreateDatabaseAsync();
        var leaving = Node("node-leaving", 2, Quick);
        var staying = Node("node-staying", 2, Quick);
        Assert.True(await leaving.TryTakeAsync("user-ada"));
        Assert.True(await leaving.TryTakeAsync("user-ada"));

        await leaving.DisposeAsync();
        _nodes.Remove(leaving);

        Assert.True(await staying.TryTakeAsync("user-ada"));
        Assert.True(await staying.TryTakeAsync("user-ada"));
    }

    [Fact]
    public async Task AReleaseWhileTheDatabaseIsAway_IsAppliedOnceItIsBack()
    {
        _storage = await server.CreateDatabaseAsync();
        await using var proxy = new LoopbackProxy(new NpgsqlConnectionStringBuilder(_storage.ConnectionString).Port);
        var cutOff = Node("node-cut-off", 2, Patient, through: proxy);
        var other = Node("node-other", 2, Patient);
        Assert.True(await cutOff.TryTakeAsync("user-ada"));
        Assert.True(await cutOff.TryTakeAsync("user-ada"));

        proxy.Interrupt();
        await cutOff.ReleaseAsync("user-ada"); // one tab closes while its node cannot reach the database
        Assert.False(await other.TryTakeAsync("user-ada")); // the database still has both
        proxy.Resume();

        var back = System.Diagnostics.Stopwatch.StartNew();
        bool taken;
        do
        {
            await Task.Delay(100);
            taken = await other.TryTakeAsync("user-ada");
        }
        while (!taken && back.Elapsed < TimeSpan.FromSeconds(10));

        Assert.True(taken);
        Assert.False(await other.TryTakeAsync("user-ada")); // the cut-off node's other tab still counts
    }

    [Fact]
    public async Task WhileTheDatabaseIsAway_TabsAreCountedOnTheirNodeOnly_AndWrittenOnceItIsBack()
    {
        _storage = await server.CreateDatabaseAsync();
        await using var proxy = new LoopbackProxy(new NpgsqlConnectionStringBuilder(_storage.ConnectionString).Port);
        var cutOff = Node("node-cut-off", 2, Patient, through: proxy);
        var other = Node("node-other", 2, Patient);
        Assert.True(await other.TryTakeAsync("user-bob")); // the database is up and migrated, for the cut-off node never reached it
        proxy.Interrupt();

        // The cap is no reason to keep people out while the database is away, but this node still holds it.
        Assert.True(await cutOff.TryTakeAsync("user-ada"));
        Assert.True(await cutOff.TryTakeAsync("user-ada"));
        Assert.False(await cutOff.TryTakeAsync("user-ada"));
        proxy.Resume();

        var back = System.Diagnostics.Stopwatch.StartNew();
        while (await StoredTabsAsync("user-ada") < 2 && back.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100);

        Assert.Equal(2, await StoredTabsAsync("user-ada"));
        Assert.False(await other.TryTakeAsync("user-ada"));
    }

    [Fact]
    public async Task ATabLetInWhileTheDatabaseWasAway_CountsAtTheNextTake_BeforeAnyBeatHasWrittenIt()
    {
        _storage = await server.CreateDatabaseAsync();
        await using var proxy = new LoopbackProxy(new NpgsqlConnectionStringBuilder(_storage.ConnectionString).Port);
        // Beats once, at its first tab: nothing writes the tab it lets in while cut off before the next take does.
        var node = Node("node-cut-off", 2, new ClusterTiming(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1)), through: proxy);
        Assert.True(await node.TryTakeAsync("user-ada"));
        proxy.Interrupt();
        Assert.True(await node.TryTakeAsync("user-ada")); // counted on this node only
        proxy.Resume();

        Assert.False(await node.TryTakeAsync("user-ada")); // the database has one, this node knows two: the cap is 2
        await node.ReleaseAsync("user-ada");
        Assert.True(await node.TryTakeAsync("user-ada")); // one place given back: the take writes the two this node knows
        Assert.Equal(2, await StoredTabsAsync("user-ada"));
    }

    private async Task<long> StoredTabsAsync(string userId)
    {
        await using var dataSource = _storage!.OpenDataSource();
        await using var command = dataSource.CreateCommand("SELECT coalesce(sum(tabs), 0) FROM circuit_places WHERE user_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
