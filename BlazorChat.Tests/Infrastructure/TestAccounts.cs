using System.Security.Claims;
using BlazorChat.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// The app's accounts wiring (AddAccounts) on a temporary SQLite file, without a web server: real Identity stores,
/// password hashing, lockout and roles. Dispose to delete the file.
/// </summary>
public sealed class TestAccounts : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestAccounts(WebApplication app, string folder)
    {
        _app = app;
        Folder = folder;
    }

    public string Folder { get; }

    public IServiceProvider Services => _app.Services;

    public RecordingLogger<AdminBootstrap> BootstrapLog { get; } = new();

    public IdentityAccessChecker Checker => Services.GetRequiredService<IdentityAccessChecker>();

    /// <param name="settings">Configuration, e.g. <c>["Accounts:Admin:Email"] = ...</c>.</param>
    public static async Task<TestAccounts> CreateAsync(IDictionary<string, string?>? settings = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "blazorchat-account-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Accounts:DatabasePath"] = Path.Combine(folder, "accounts.db"),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.AddAccounts();
        RecordingLogger<AdminBootstrap>? log = null;
        builder.Services.AddSingleton<ILogger<AdminBootstrap>>(_ => log!);
        var accounts = new TestAccounts(builder.Build(), folder);
        log = accounts.BootstrapLog;
        await AccountsDatabase.EnsureCreatedAsync(accounts.Services);
        return accounts;
    }

    /// <summary>The settings of cluster mode: accounts (and stores) in the PostgreSQL database at <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string?> OnPostgres(string connectionString) => new()
    {
        ["Store:Provider"] = "Postgres",
        ["Store:ConnectionString"] = connectionString,
    };

    public Task<AdminBootstrapOutcome> BootstrapAsync() => AdminBootstrap.RunAsync(Services);

    /// <summary>Registers an account through the app's registration rules; throws when refused.</summary>
    public async Task<ChatAccount> RegisterAsync(string displayName, string userName, string password = "Corr3ct-horse!")
    {
        await using var scope = Services.CreateAsyncScope();
        var (account, errors) = await scope.ServiceProvider.GetRequiredService<AccountRegistration>()
            .RegisterAsync(displayName, userName, password, password);
        return account ?? throw new InvalidOperationException(string.Join(" ", errors));
    }

    public async Task<IReadOnlyList<string>> RegisterErrorsAsync(string displayName, string userName, string password = "Corr3ct-horse!")
    {
        await using var scope = Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AccountRegistration>().RegisterAsync(displayName, userName, password, password)).Errors;
    }

    /// <summary>The principal a sign-in would put in the cookie now (with the current security stamp and roles).</summary>
    public async Task<ClaimsPrincipal> SignInPrincipalAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatAccount>>();
        var account = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("No such account");
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ChatAccount>>().CreateAsync(account);
    }

    /// <summary>Runs <paramref name="action"/> with a UserManager of its own scope.</summary>
    public async Task<T> WithUsersAsync<T>(Func<UserManager<ChatAccount>, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<ChatAccount>>());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools(); // so a test's database can be dropped
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
