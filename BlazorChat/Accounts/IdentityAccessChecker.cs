using System.Security.Claims;
using BlazorChat.Session;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>
/// Answers from the accounts store as it is now: a sign-in holds while the account exists, is not locked out and its
/// security stamp still equals the one in the principal (sign-out changes the stamp, ending every session of that
/// person); roles are read from the store on each question. Guests hold only while guests are allowed.
/// </summary>
public sealed partial class IdentityAccessChecker(
    IServiceScopeFactory scopes,
    IOptionsMonitor<AccountOptions> options,
    IOptions<IdentityOptions> identity,
    ILogger<IdentityAccessChecker> logger) : IAccessChecker
{
    private readonly Lock _gate = new();
    private Action<string>[] _handlers = [];

    public async ValueTask<bool> IsStillSignedInAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        if (IsGuest(user))
            return options.CurrentValue.AllowGuests;
        return await FindCurrentAccountAsync(user, static (_, _) => Task.FromResult(true));
    }

    public async ValueTask<bool> IsInRoleAsync(ClaimsPrincipal user, string role, CancellationToken cancellationToken = default)
    {
        if (IsGuest(user))
            return role == GuestIdentity.GuestRole && options.CurrentValue.AllowGuests;
        return await FindCurrentAccountAsync(user, (manager, account) => manager.IsInRoleAsync(account, role));
    }

    public event Action<string>? AccessChanged
    {
        add
        {
            if (value is null)
                return;
            lock (_gate)
                _handlers = [.. _handlers, value];
        }
        remove
        {
            lock (_gate)
                _handlers = [.. _handlers.Where(h => h != value)];
        }
    }

    /// <summary>Tells every open circuit of <paramref name="userId"/> to ask again: they signed out, or their roles changed.</summary>
    public void RaiseAccessChanged(string userId)
    {
        // Each handler on its own: one broken circuit must not keep the news from the others.
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            try
            {
                handler(userId);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(ex, userId);
            }
        }
    }

    internal static bool IsGuest(ClaimsPrincipal user) => user.IsInRole(GuestIdentity.GuestRole);

    private async Task<bool> FindCurrentAccountAsync(ClaimsPrincipal user, Func<UserManager<ChatAccount>, ChatAccount, Task<bool>> then)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(stamp))
            return false;
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<UserManager<ChatAccount>>();
        var account = await manager.FindByIdAsync(userId);
        if (account is null || await manager.IsLockedOutAsync(account))
            return false;
        if (!string.Equals(await manager.GetSecurityStampAsync(account), stamp, StringComparison.Ordinal))
            return false;
        return await then(manager, account);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "An access-changed handler failed for {UserId}")]
    private partial void LogHandlerFailed(Exception exception, string userId);
}
