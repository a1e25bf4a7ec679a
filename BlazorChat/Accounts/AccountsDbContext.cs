using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// Identity's tables (users, roles, user roles, claims, logins, tokens) in the accounts' own SQLite file, kept apart
/// from the message store, whose schema is versioned by hand with <c>PRAGMA user_version</c>.
/// </summary>
/// <remarks>
/// Schema: <see cref="AccountsDatabase.EnsureCreatedAsync"/> creates it from this model on first run
/// (<c>EnsureCreated</c>), and does nothing to an existing file. Upgrading it later means adding EF Core migrations
/// for this context and switching that call to <c>Database.MigrateAsync()</c> (with a baseline migration that
/// matches this first schema); until then, this model must not change.
/// </remarks>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityDbContext<ChatAccount>(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ChatAccount>(account =>
        {
            account.Property(a => a.DisplayName).HasMaxLength(256).IsRequired();
            account.Property(a => a.NormalizedDisplayName).HasMaxLength(256).IsRequired();
            account.HasIndex(a => a.NormalizedDisplayName).IsUnique().HasDatabaseName("DisplayNameIndex");
        });
    }
}
