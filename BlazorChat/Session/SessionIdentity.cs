namespace BlazorChat.Session;

/// <summary>Who a tab is: a guest or an account (with its display name), and whether they may chat now.</summary>
public sealed record SessionIdentity(string? UserId, string? AccountName, bool IsGuest, bool MayChat)
{
    /// <summary>The name this person already chats under (in another tab, or before a reload): the tab joins under it by itself.</summary>
    public string? RememberedName { get; init; }
}
