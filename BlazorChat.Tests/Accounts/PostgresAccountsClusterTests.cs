using BlazorChat.Accounts;
using BlazorChat.Persistence.Postgres;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Accounts;

/// <summary>
/// Accounts in cluster mode: every node's Identity on the one PostgreSQL database, beside the message store's tables.
/// An account registered through one node signs in through another, and a sign-out through one ends it on every node.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountsClusterTests(PostgresServer server) : IAsyncLifetime
{
    private readonly List<TestAccounts> _nodes = [];
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<TestAccounts[]> StartNodesAsync(int count)
    {
        var nodes = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(_ => Task.Run(() => TestAccounts.CreateAsync(TestAccounts.OnPostgres(_database.ConnectionString)))));
        _nodes.AddRange(nodes);
        return nodes;
    }

    [Fact]
    public async Task NodesStartingAtOnce_AfterTheMessageStore_MakeTheAccountsTablesOnce()
    {
        // The message store's tables first, as a node that starts them first leaves them: the database is not empty.
        await using (var chat = new PostgresDatabase(_database.ConnectionString, NullLoggerFactory.Instance))
            await chat.EnsureSchemaAsync();

        var nodes = await StartNodesAsync(3);

        var ada = await nodes[0].RegisterAsync("Ada", "ada");
        Assert.Equal("Ada", await nodes[2].WithUsersAsync(async users => (await users.FindByIdAsync(ada.Id))?.DisplayName));
    }

    // PostgreSQL restarted (or its backends were ended): the connections the pool kept idle are dead, and the next one
    // handed out fails with 57P01. A person reloading the page just after the database came back must still join.
    [Fact]
    public async Task ConnectionsEndedByTheServer_TheNextLookupStillAnswers()
    {
        var node = (await StartNodesAsync(1))[0];
        var directory = node.Services.GetRequiredService<IAccountDirectory>();
        Assert.False(await directory.IsRegisteredNameAsync("Ada"));
        // Several connections open at once (as many circuits joining would), then idle in the pool.
        var scopes = Enumerable.Range(0, 3).Select(_ => node.Services.CreateAsyncScope()).ToList();
        foreach (var scope in scopes)
            await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Database.OpenConnectionAsync();
        foreach (var scope in scopes)
            await scope.DisposeAsync();

        await server.ExecuteAdminAsync(
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database.Name}' AND pid <> pg_backend_pid();");

        Assert.False(await directory.IsRegisteredNameAsync("Ada"));
    }

    [Fact]
    public async Task RegisteredThroughOneNode_SignedInThroughAnother_SignedOutThroughAThird_EndsEverywhere()
    {
        var nodes = await StartNodesAsync(3);
        var ada = await nodes[0].RegisterAsync("Ada", "ada");

        var principal = await nodes[1].SignInPrincipalAsync(ada.Id);
        Assert.True(await nodes[0].Checker.IsStillSignedInAsync(principal));
        Assert.True(await nodes[2].Checker.IsStillSignedInAsync(principal));
        // One display name per account across the cluster, ignoring case.
        Assert.Equal([BlazorChat.Accounts.AccountRegistration.DisplayNameTaken], await nodes[2].RegisterErrorsAsync("ADA", "someone-else"));

        await nodes[2].WithUsersAsync(async users => await users.UpdateSecurityStampAsync((await users.FindByIdAsync(ada.Id))!));

        Assert.False(await nodes[0].Checker.IsStillSignedInAsync(principal));
        Assert.False(await nodes[1].Checker.IsStillSignedInAsync(principal));
    }
}
