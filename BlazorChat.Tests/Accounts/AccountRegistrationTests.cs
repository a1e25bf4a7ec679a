using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Accounts;

/// <summary>
/// Registration: the chat's display-name rule, Identity's password rules, one display name per account ignoring case.
/// Both engines the accounts live on pass it: SQLite (one node) and PostgreSQL (a cluster).
/// </summary>
public abstract class AccountRegistrationContract : IAsyncLifetime
{
    private TestAccounts _accounts = default!;

    /// <summary>The app's accounts wiring on the engine under test, its tables made.</summary>
    protected abstract Task<TestAccounts> CreateAccountsAsync();

    public async Task InitializeAsync() => _accounts = await CreateAccountsAsync();

    public virtual async Task DisposeAsync() => await _accounts.DisposeAsync();

    private Task<int> CountAsync() => _accounts.WithUsersAsync(users => Task.FromResult(users.Users.Count()));

    [Fact]
    public async Task Register_StoresAHashedPassword_AndTheNormalisedName()
    {
        var ada = await _accounts.RegisterAsync("  Ada  ", "ada");

        Assert.Equal("Ada", ada.DisplayName);
        Assert.Equal("ADA", ada.NormalizedDisplayName);
        Assert.DoesNotContain("Corr3ct-horse!", ada.PasswordHash);
    }

    [Theory]
    [InlineData("ADA")]
    [InlineData("ada")]
    [InlineData(" aDa ")]
    public async Task Register_ADisplayNameTakenIgnoringCase_IsRefused_AndNothingIsStored(string name)
    {
        await _accounts.RegisterAsync("Ada", "ada");

        var errors = await _accounts.RegisterErrorsAsync(name, "someone-else");

        Assert.Equal([BlazorChat.Accounts.AccountRegistration.DisplayNameTaken], errors);
        Assert.Equal(1, await CountAsync());
    }

    // What a guest's join asks before taking a name (ChatSession, with the name trimmed): an account's name is the account's, in any case.
    [Theory]
    [InlineData("Ada", true)]
    [InlineData("ADA", true)]
    [InlineData("aDa", true)]
    [InlineData("Adam", false)]
    [InlineData("Bob", false)]
    public async Task IsRegisteredName_AnswersForTheNameIgnoringCase(string name, bool registered)
    {
        await _accounts.RegisterAsync("Ada", "ada");
        var directory = _accounts.Services.GetRequiredService<BlazorChat.Accounts.IAccountDirectory>();

        Assert.Equal(registered, await directory.IsRegisteredNameAsync(name));
    }

    [Theory]
    [InlineData("", "ada", "Corr3ct-horse!")]
    [InlineData("line\nbreak", "ada", "Corr3ct-horse!")]
    [InlineData("Ada", "", "Corr3ct-horse!")]
    [InlineData("Ada", "not an@email", "Corr3ct-horse!")]
    [InlineData("Ada", "ada", "Sh0rt!")]
    [InlineData("Ada", "ada", "alllowercase-1")]
    [InlineData("Ada", "ada", "NoDigitsHere!")]
    public async Task Register_BadInput_IsRefusedWithAReason_AndNothingIsStored(string displayName, string userName, string password)
    {
        var errors = await _accounts.RegisterErrorsAsync(displayName, userName, password);

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e)));
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Register_ATakenUserName_IsRefused()
    {
        await _accounts.RegisterAsync("Ada", "ada");

        Assert.NotEmpty(await _accounts.RegisterErrorsAsync("Ada Two", "ADA"));
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task Register_MismatchedConfirmation_IsRefused()
    {
        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(_accounts.Services);
        var registration = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<BlazorChat.Accounts.AccountRegistration>(scope.ServiceProvider);

        var (account, errors) = await registration.RegisterAsync("Ada", "ada", "Corr3ct-horse!", "Corr3ct-horse?");

        Assert.Null(account);
        Assert.Contains(errors, e => e.Contains("do not match", StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync());
    }
}

/// <summary>The contract on the accounts' own SQLite file.</summary>
public sealed class AccountRegistrationTests : AccountRegistrationContract
{
    protected override Task<TestAccounts> CreateAccountsAsync() => TestAccounts.CreateAsync();
}

/// <summary>The contract on PostgreSQL, in a database of the test's own (cluster mode: Store:Provider=Postgres).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountRegistrationTests(PostgresServer server) : AccountRegistrationContract
{
    private TestDatabase? _database;

    protected override async Task<TestAccounts> CreateAccountsAsync()
    {
        _database = await server.CreateDatabaseAsync();
        return await TestAccounts.CreateAsync(TestAccounts.OnPostgres(_database.ConnectionString));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
