using BlazorChat.Chat;
using BlazorChat.Persistence.Postgres;
using BlazorChat.Tests.Persistence;

namespace BlazorChat.Tests.Session;

/// <summary>
/// Display names on PostgreSQL: the same contract as one node's memory, where "another node" is a second node's claims
/// on the same database; and what only a cluster has: a node that dies takes its claims with it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresNameClaimsTests(PostgresServer server) : NameClaimsContractTests
{
    private static readonly ClusterTiming Quick = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
    private readonly List<IAsyncDisposable> _nodes = [];
    private TestDatabase? _storage;

    protected override async Task<INameClaims> CreateAsync()
    {
        _storage = await server.CreateDatabaseAsync();
        return Node("node-a", Quick);
    }

    protected override Task<INameClaims> CreateOtherNodeAsync() => Task.FromResult<INameClaims>(Node("node-b", Quick));

    private PostgresNameClaims Node(string id, ClusterTiming timing, LoopbackProxy? through = null)
    {
        var connection = through is null ? _storage!.ConnectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(_storage!.ConnectionString) { Port = through.Port, Timeout = 2 }.ToString();
        var node = new PostgresNameClaims(new PostgresDatabase(connection, NullLoggerFactory.Instance), id, timing,
            TimeProvider.System, NullLogger<PostgresNameClaims>.Instance, ownsDatabase: true);
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
    public async Task ANodeThatStopsBeating_LosesItsClaims_SoItsPeoplesNamesAreFreeWithinTheTimeout()
    {
        // This node beats once, at its first claim, and never again: as good as dead after that.
        var dying = Node("node-dying", new ClusterTiming(TimeSpan.FromHours(1), Quick.Timeout));
        var survivor = await CreateOtherNodeAsync();
        Assert.Null(await dying.ClaimAsync("user-ada", "Ada"));
        Assert.Equal(NameClaimRefusals.Taken("Ada"), await survivor.ClaimAsync("user-bob", "Ada"));
        // Ada herself rejoins on the survivor at once, under her name: her own claim, another tab.
        Assert.Null(await survivor.ClaimAsync("user-ada", "Ada"));
        await survivor.ReleaseAsync("user-ada");

        var waited = System.Diagnostics.Stopwatch.StartNew();
        string? reason;
        do
        {
            await Task.Delay(100);
            reason = await survivor.ClaimAsync("user-bob", "Ada");
        }
        while (reason is not null && waited.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Null(reason);
        Assert.True(waited.Elapsed < Quick.Timeout + Quick.Interval + TimeSpan.FromSeconds(2), $"free after {waited.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task ANodeThatLeaves_FreesItsPeoplesNamesAtOnce()
    {
        var leaving = Node("node-leaving", Quick);
        var staying = await CreateOtherNodeAsync();
        Assert.Null(await leaving.ClaimAsync("user-ada", "Ada"));

        await leaving.DisposeAsync();
        _nodes.Remove(leaving);

        Assert.Null(await staying.ClaimAsync("user-bob", "ada"));
    }

    [Fact]
    public async Task ANodeCutOffLongerThanTheTimeout_PutsItsPeoplesNamesBack_AndCatchesUpOnWhatLeftMeanwhile()
    {
        await using var proxy = new LoopbackProxy(new Npgsql.NpgsqlConnectionStringBuilder(_storage!.ConnectionString).Port);
        var cutOff = Node("node-cut-off", Quick, through: proxy);
        var other = await CreateOtherNodeAsync();
        Assert.Null(await cutOff.ClaimAsync("user-ada", "Ada"));
        Assert.Null(await cutOff.ClaimAsync("user-cy", "Cy"));

        proxy.Interrupt();
        // Meanwhile: the other node takes it for dead and frees its names; Cy leaves on it; a join there cannot be checked.
        var freed = System.Diagnostics.Stopwatch.StartNew();
        while (await other.NameOfAsync("user-ada") is not null && freed.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100);
        Assert.Null(await other.NameOfAsync("user-ada"));
        await cutOff.ReleaseAsync("user-cy");
        Assert.Equal(PostgresNameClaims.Unreachable, await cutOff.ClaimAsync("user-dee", "Dee"));
        proxy.Resume();

        // Back: Ada is still chatting on it, so her name is hers again; Cy's is free.
        var back = System.Diagnostics.Stopwatch.StartNew();
        while (await other.NameOfAsync("user-ada") is null && back.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100);
        Assert.Equal("Ada", await other.NameOfAsync("user-ada"));
        Assert.Equal(NameClaimRefusals.Taken("ada"), await other.ClaimAsync("user-bob", "ada"));
        Assert.Null(await other.NameOfAsync("user-cy"));
        Assert.Null(await other.ClaimAsync("user-bob", "Cy"));
    }
}
