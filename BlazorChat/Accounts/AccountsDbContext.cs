using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>
/// Identity's tables (users, roles, user roles, claims, logins, tokens) in the accounts' own SQLite file, kept apart
/// from the message store, whose schema is versioned by hand with <c>PRAGMA user_version</c>; in cluster mode, in the
/// shared PostgreSQL database beside the message store's tables (see <see cref="AccountsDatabase"/>).
/// </summary>
/// <remarks>
/// Schema: <see cref="AccountsDatabase.EnsureCreatedAsync"/> creates it from this model on first run
/// (<c>EnsureCreated</c>), and does nothing to an existing file. Upgrading it later means adding EF Core migrations
/// for this context and switching that call to <c>Database.MigrateAsync()</c> (with a baseline migration that
/// matches this first schema); until then, this model must not change.
/// </remarks>
public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : IdentityDbContext<ChatAccount>(options)
{
    /// <summary>The unique index of display names (normalised: compared ignoring case).</summary>
    public const string DisplayNameIndex = "DisplayNameIndex";

    /// <summary>
    /// Whether a failed save broke the display names' unique index, as each engine says it: SQLite names the column,
    /// PostgreSQL the constraint.
    /// </summary>
    public static bool IsDisplayNameTaken(DbUpdateException exception) => exception.InnerException switch
    {
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: DisplayNameIndex } => true,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.Message.Contains(nameof(ChatAccount.NormalizedDisplayName), StringComparison.Ordinal),
        _ => false,
    };

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ChatAccount>(account =>
        {
            account.Property(a => a.DisplayName).HasMaxLength(256).IsRequired();
            account.Property(a => a.NormalizedDisplayName).HasMaxLength(256).IsRequired();
            account.HasIndex(a => a.NormalizedDisplayName).IsUnique().HasDatabaseName(DisplayNameIndex);
        });
    }
}
