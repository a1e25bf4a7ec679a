using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>Creates the accounts database on first run (see <see cref="AccountsDbContext"/> for upgrades).</summary>
public static class AccountsDatabase
{
    /// <summary>The full path of the accounts file: relative paths are under <paramref name="contentRoot"/>.</summary>
    public static string FullPath(string contentRoot, AccountOptions options) =>
        Path.GetFullPath(Path.Combine(contentRoot, options.DatabasePath));

    public static async Task EnsureCreatedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        if (db.Database.GetDbConnection().DataSource is { Length: > 0 } file && Path.GetDirectoryName(file) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        await db.Database.EnsureCreatedAsync(cancellationToken);
    }
}
