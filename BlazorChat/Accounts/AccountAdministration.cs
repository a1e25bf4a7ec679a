using System.Security.Claims;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>One account as the people page lists it.</summary>
public sealed record AccountSummary(string UserId, string DisplayName, string UserName, bool IsAdmin);

/// <summary>
/// What /admin/people does: list accounts, grant and revoke the admin role. Every call first asks the access checker
/// whether the caller is an administrator now (never the claims their circuit started with), and every change tells
/// that person's open circuits at once.
/// </summary>
public sealed partial class AccountAdministration(
    IServiceScopeFactory scopes,
    IAccessChecker access,
    IdentityAccessChecker changes,
    ILogger<AccountAdministration> logger)
{
    public const string NotAnAdmin = "Only administrators may manage people. Your account does not hold the admin role (now).";

    /// <summary>Every account, by display name; or the reason the caller may not see them.</summary>
    public async Task<(IReadOnlyList<AccountSummary> Accounts, string? Error)> ListAsync(ClaimsPrincipal caller)
    {
        if (await RefuseAsync(caller) is { } refused)
            return ([], refused);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AccountsDbContext>();
        var adminIds = await (from ur in db.UserRoles
                              join r in db.Roles on ur.RoleId equals r.Id
                              where r.Name == ChatHandlers.AdminRole
                              select ur.UserId).ToListAsync();
        var accounts = await db.Users.AsNoTracking().OrderBy(a => a.NormalizedDisplayName).ToListAsync();
        return ([.. accounts.Select(a => new AccountSummary(a.Id, a.DisplayName, a.UserName ?? string.Empty, adminIds.Contains(a.Id)))], null);
    }

    /// <summary>Grants or revokes the admin role; returns the reason it was not done, or null.</summary>
    public async Task<string?> SetAdminAsync(ClaimsPrincipal caller, string userId, bool admin)
    {
        if (await RefuseAsync(caller) is { } refused)
            return refused;
        if (!admin && caller.FindFirstValue(ClaimTypes.NameIdentifier) == userId)
            return "You cannot revoke your own admin role; ask another administrator.";
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ChatAccount>>();
        if (await users.FindByIdAsync(userId) is not { } account)
            return "That account no longer exists.";
        var result = admin
            ? await users.AddToRoleAsync(account, ChatHandlers.AdminRole)
            : await users.RemoveFromRoleAsync(account, ChatHandlers.AdminRole);
        if (!result.Succeeded)
            return string.Join(" ", result.Errors.Select(e => e.Description));
        LogRoleChanged(caller.FindFirstValue(ClaimTypes.NameIdentifier) ?? "?", admin ? "granted" : "revoked", userId);
        changes.RaiseAccessChanged(userId);
        return null;
    }

    private async Task<string?> RefuseAsync(ClaimsPrincipal caller)
    {
        if (!await access.IsStillSignedInAsync(caller))
            return "Your sign-in has ended. Sign in again.";
        return await access.IsInRoleAsync(caller, ChatHandlers.AdminRole) ? null : NotAnAdmin;
    }

    [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Administrator {CallerId} {Change} the admin role of {UserId}")]
    private partial void LogRoleChanged(string callerId, string change, string userId);
}
