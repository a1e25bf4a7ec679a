using Microsoft.AspNetCore.Identity;

namespace BlazorChat.Accounts;

/// <summary>A registered person: Identity's user with the display name they chat under.</summary>
public sealed class ChatAccount : IdentityUser
{
    /// <summary>The name others see, as <see cref="Chat.ChatRules.ValidateDisplayName"/> normalised it.</summary>
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>
    /// <see cref="DisplayName"/> upper-cased (invariant): a unique index on it keeps display names unique ignoring case,
    /// decided by the database at insert time, not by a check-then-insert.
    /// </summary>
    public string NormalizedDisplayName { get; set; } = string.Empty;

    public static string NormalizeDisplayName(string displayName) => displayName.ToUpperInvariant();
}
