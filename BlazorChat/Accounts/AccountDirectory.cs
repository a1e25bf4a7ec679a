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
        return await scope.ServiceProvider.GetRequiredService<AccountsDbContext>().Users
            .AnyAsync(a => a.NormalizedDisplayName == key, cancellationToken);
    }

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
