using BlazorChat.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace BlazorChat.Accounts;

/// <summary>
/// Where the accounts live, and their tables made on first run (see <see cref="AccountsDbContext"/> for upgrades): a
/// SQLite file of their own by default; the cluster's PostgreSQL database when <c>Store:Provider</c> is
/// <c>Postgres</c>, so that an account registered through one node signs in through every other.
/// </summary>
public static class AccountsDatabase
{
    // The advisory lock nodes take while one of them creates the accounts' tables ("BCaccnts").
    private const long CreateLock = 0x4243_6163_636E_7473;

    /// <summary>The full path of the accounts file: relative paths are under <paramref name="contentRoot"/>.</summary>
    public static string FullPath(string contentRoot, AccountOptions options) =>
        Path.GetFullPath(Path.Combine(contentRoot, options.DatabasePath));

    /// <summary>Registers <see cref="AccountsDbContext"/> on the engine configuration names.</summary>
    public static IServiceCollection AddAccountsDatabase(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var store = configuration.GetSection(StoreOptions.Section);
        if (string.Equals(store[nameof(StoreOptions.Provider)], nameof(StoreProvider.Postgres), StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = store[nameof(StoreOptions.ConnectionString)];
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException(Persistence.Postgres.PostgresDatabase.MissingConnectionString);
            // One retry, at once, of a command that failed for a passing reason: after PostgreSQL restarted, the connections
            // the pool kept are dead, and the first one handed out fails (57P01); the failure clears the pool, so the retry
            // gets a new connection. Not more: while the database is away, a lookup fails at once, as sending does.
            return services.AddDbContext<AccountsDbContext>(options => options.UseNpgsql(connectionString,
                npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 1, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null)));
        }
        var accounts = configuration.GetSection(AccountOptions.Section).Get<AccountOptions>() ?? new AccountOptions();
        var path = FullPath(contentRoot, accounts);
        return services.AddDbContext<AccountsDbContext>(options => options.UseSqlite($"Data Source={path}"));
    }

    public static async Task EnsureCreatedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        if (db.Database.IsNpgsql())
        {
            await EnsureCreatedOnPostgresAsync(db, cancellationToken);
            return;
        }
        if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(file) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }

    // The database is shared with the message store, so EnsureCreated (which does nothing once a database has any
    // table) cannot tell; the accounts' own table is looked for instead. Several nodes may start at once: one creates
    // the tables under an advisory lock, the others find them made.
    private static async Task EnsureCreatedOnPostgresAsync(AccountsDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({CreateLock})", connection))
                await take.ExecuteNonQueryAsync(cancellationToken);
            try
            {
                await using var exists = new NpgsqlCommand("SELECT to_regclass('\"AspNetUsers\"') IS NOT NULL", connection);
                if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
                    await db.GetService<IRelationalDatabaseCreator>().CreateTablesAsync(cancellationToken);
            }
            finally
            {
                await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({CreateLock})", connection);
                await release.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
