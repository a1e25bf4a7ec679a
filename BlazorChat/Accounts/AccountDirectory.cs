using BlazorChat.Chat;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>The accounts store behind <see cref="IAccountDirectory"/>; a scope per question, so no circuit keeps a stale context.</summary>
public sealed class AccountDirectory(IServiceScopeFactory scopes) : IAccountDirectory
{
    public async ValueTask<AccountIdentity?> FindAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (IdentityAccessChecker.IsGuest(user) || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { Length: > 0 } userId)
            return null;
        await using var scope = scopes.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<ChatAccount>>().FindByIdAsync(userId);
        if (account is null)
            return null;
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ChatAccount>>().CreateAsync(account);
        return new AccountIdentity(account.Id, account.DisplayName, principal);
    }

    public async ValueTask<bool> IsRegisteredNameAsync(string displayName, CancellationToken cancellationToken = default)
    {
        var key = ChatAccount.NormalizeDisplayName(displayName);
        await using var scope = scopes.CreateAsyncScope();
        return await _nameIsTakenAsync(scope.ServiceProvider.GetRequiredService<AccountsDbContext>(), key, cancellationToken);
    }

    // Compiled once per directory: every guest's join asks this, and finding an inline query in EF's cache (walking and
    // hashing its expression tree on each call) cost more than the lookup it led to (most of this method's time in a
    // profile of 1,000 joins). Per directory, not static: a compiled query serves the one model it was compiled against,
    // and a directory serves one app's accounts store (SQLite or PostgreSQL); the tests run both in one process.
    private readonly Func<AccountsDbContext, string, CancellationToken, Task<bool>> _nameIsTakenAsync =
        EF.CompileAsyncQuery((AccountsDbContext db, string key, CancellationToken cancellationToken) =>
            db.Users.Any(a => a.NormalizedDisplayName == key));

    public async ValueTask<Person?> FindPersonAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users
            .Where(a => a.Id == userId)
            .Select(a => new { a.Id, a.DisplayName })
            .SingleOrDefaultAsync(cancellationToken);
        return found is { DisplayName: { } name } ? new Person(found.Id, name) : null;
    }

    public async ValueTask<IReadOnlyList<Person>> SearchAsync(string text, int limit, CancellationToken cancellationToken = default)
    {
        var key = ChatAccount.NormalizeDisplayName(text);
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users
            .Where(a => a.NormalizedDisplayName != null && a.NormalizedDisplayName.Contains(key))
            .OrderBy(a => a.NormalizedDisplayName)
            .Take(limit)
            .Select(a => new { a.Id, a.DisplayName })
            .ToListAsync(cancellationToken);
        return [.. found.Select(a => new Person(a.Id, a.DisplayName))];
    }
}
