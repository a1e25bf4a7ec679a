using System.Security.Cryptography;
using BlazorChat.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// Cluster mode shares ASP.NET Core's data protection key ring through PostgreSQL: what one node protects (cookies,
/// antiforgery tokens, Blazor's circuit and persisted state all go through it), every other node unprotects. Each node
/// here is the app's own registration (Store:Provider = Postgres) in a service provider of its own.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDataProtectionTests(PostgresServer server) : IAsyncLifetime
{
    private const string Purpose = "BlazorChat.Tests.cookie";
    private readonly List<ServiceProvider> _nodes = [];
    private TestDatabase? _storage;

    public async Task InitializeAsync() => _storage = await server.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        if (_storage is not null)
            await _storage.DisposeAsync();
    }

    private IDataProtector Node(string contentRoot)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = "Postgres",
            ["Store:ConnectionString"] = _storage!.ConnectionString,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        // Nodes run from folders of their own: the default application name (the content root) would differ.
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment
        {
            ContentRootPath = contentRoot, ApplicationName = "BlazorChat", EnvironmentName = "Production",
        });
        services.AddChatStores(configuration);
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        return provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
    }

    [Fact]
    public async Task WhatOneNodeProtects_EveryOtherNodeUnprotects_BothWays()
    {
        var first = Node("/srv/node1");
        var sealedByFirst = first.Protect("signed in as alice");
        var second = Node("/srv/node2"); // started after the first made the key: it reads the ring from the database

        Assert.Equal("signed in as alice", second.Unprotect(sealedByFirst));
        Assert.Equal("and back", first.Unprotect(second.Protect("and back")));

        // One key ring for the cluster, in the database.
        await using var dataSource = _storage!.OpenDataSource();
        await using var keys = dataSource.CreateCommand("SELECT count(*) FROM data_protection_keys WHERE xml LIKE '<key %'");
        Assert.Equal(1L, await keys.ExecuteScalarAsync());
    }

    [Fact]
    public void ANodeWithARingOfItsOwn_CannotReadIt()
    {
        var clusterNode = Node("/srv/node1");
        var sealedByCluster = clusterNode.Protect("signed in as alice");

        // What every node did before the ring was shared: keys of its own (here, in memory).
        var loner = new ServiceCollection().AddDataProtection().Services.BuildServiceProvider();
        _nodes.Add(loner);
        var lonerProtector = loner.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);

        Assert.ThrowsAny<CryptographicException>(() => lonerProtector.Unprotect(sealedByCluster));
    }

    [Fact]
    public async Task AKeyInTheDatabase_SurvivesEveryNodesRestart()
    {
        var sealedBefore = Node("/srv/node1").Protect("still me");
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _nodes.Clear();
        NpgsqlConnection.ClearAllPools();

        Assert.Equal("still me", Node("/srv/node3").Unprotect(sealedBefore));
    }
}
