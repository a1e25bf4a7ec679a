using BlazorChat.Chat;
using System.Security.Claims;

namespace BlazorChat.Accounts;

/// <summary>What the chat needs to know about registered accounts, read from the store at the moment it asks.</summary>
public interface IAccountDirectory
{
    /// <summary>
    /// The account behind <paramref name="user"/> as it is now (its display name, and a principal carrying its current
    /// roles), or null for a guest.
    /// </summary>
    ValueTask<AccountIdentity?> FindAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default);

    /// <summary>Whether a registered account uses <paramref name="displayName"/> (ignoring case).</summary>
    ValueTask<bool> IsRegisteredNameAsync(string displayName, CancellationToken cancellationToken = default);

    /// <summary>The registered person with this user id, by their display name now; null when no account has it.</summary>
    ValueTask<Person?> FindPersonAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Registered people whose display name contains <paramref name="text"/> (ignoring case), at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<Person>> SearchAsync(string text, int limit, CancellationToken cancellationToken = default);
}

/// <summary>A registered person as the store has them now.</summary>
public sealed record AccountIdentity(string UserId, string DisplayName, ClaimsPrincipal Principal);
