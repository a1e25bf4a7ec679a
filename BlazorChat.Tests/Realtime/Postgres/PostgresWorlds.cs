using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Realtime.Cluster;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>Settings the PostgreSQL adapter tests share.</summary>
public static class PostgresWorlds
{
    /// <summary>
    /// A cluster of its own on <paramref name="connectionString"/> (a fresh channel prefix), beating fast so that tests about
    /// heartbeats end soon, with timeouts generous enough for a loaded two-core machine.
    /// </summary>
    public static PostgresAdapterOptions Options(string connectionString, string? prefix = null) => new()
    {
        ConnectionString = connectionString,
        ChannelPrefix = prefix ?? NewPrefix(),
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        HeartbeatTimeout = TimeSpan.FromSeconds(3),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    public static string NewPrefix() => "test_" + Guid.NewGuid().ToString("N")[..10];
}

/// <summary>The adapter contract against the PostgreSQL adapter, on a database of its own per test, each node with peers.</summary>
public abstract class PostgresAdapterContractSuite(PostgresServer server) : Core.AdapterContractTests
{
    private readonly List<PeeredFactory> _factories = [];
    private TestDatabase? _database;

    public override async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var factory in _factories)
            await factory.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    protected override IChatAdapterFactory CreateAdapterFactory()
    {
        var factory = new PeeredFactory(
            new PostgresAdapterFactory(PostgresWorlds.Options(_database!.ConnectionString), ClusterWorlds.Codec, NullLoggerFactory.Instance), PeerNodes);
        _factories.Add(factory);
        return factory;
    }

    protected override Task NodeStartedAsync(FakeNode node) => ClusterWorlds.WaitForServerCountAsync(node.Adapter, 1 + PeerNodes);
}

/// <summary>The contract with two nodes: the one under test (every connection) and a peer.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAdapterContractTests(PostgresServer server) : PostgresAdapterContractSuite(server)
{
    protected override int PeerNodes => 1;
}

/// <summary>The contract with three nodes: the one under test (every connection) and two peers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAdapterThreeNodeContractTests(PostgresServer server) : PostgresAdapterContractSuite(server)
{
    protected override int PeerNodes => 2;
}
