using System.ComponentModel.DataAnnotations;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BlazorChat.Accounts;

/// <summary>Creates accounts: the chat's display-name rule, Identity's user name and password rules, one name per account.</summary>
public sealed partial class AccountRegistration(UserManager<ChatAccount> users, ILogger<AccountRegistration> logger)
{
    public const string DisplayNameTaken = "That display name belongs to another account (names are compared ignoring case). Pick another.";

    /// <summary>Registers an account; returns it, or the reasons it was refused (nothing is stored then).</summary>
    public async Task<(ChatAccount? Account, IReadOnlyList<string> Errors)> RegisterAsync(
        string? displayName, string? userNameOrEmail, string? password, string? confirmPassword, string? role = null)
    {
        var errors = new List<string>();
        if (ChatRules.ValidateDisplayName(displayName, out var name) is { } reason)
            errors.Add(reason);
        var userName = (userNameOrEmail ?? string.Empty).Trim();
        if (userName.Length == 0)
            errors.Add("Enter a user name or an email address.");
        else if (userName.Contains('@') && !new EmailAddressAttribute().IsValid(userName))
            errors.Add("That email address is not valid.");
        if (string.IsNullOrEmpty(password))
            errors.Add("Enter a password.");
        else if (!string.Equals(password, confirmPassword, StringComparison.Ordinal))
            errors.Add("The password and its confirmation do not match.");
        if (errors.Count > 0)
            return (null, errors);

        var account = new ChatAccount
        {
            UserName = userName,
            Email = userName.Contains('@') ? userName : null,
            DisplayName = name,
            NormalizedDisplayName = ChatAccount.NormalizeDisplayName(name),
        };
        IdentityResult result;
        try
        {
            result = await users.CreateAsync(account, password!);
        }
        catch (DbUpdateException ex) when (AccountsDbContext.IsDisplayNameTaken(ex))
        {
            // The unique index decided, at insert time: someone has this name already (or took it a moment ago).
            return (null, [DisplayNameTaken]);
        }
        if (!result.Succeeded)
            return (null, [.. result.Errors.Select(e => e.Description)]);
        if (role is not null)
            await users.AddToRoleAsync(account, role);
        LogRegistered(account.Id, account.DisplayName);
        return (account, []);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Account {UserId} registered as \"{DisplayName}\"")]
    private partial void LogRegistered(string userId, string displayName);
}
