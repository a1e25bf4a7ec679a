namespace BlazorChat.Chat;

/// <summary>
/// Who chats under which display name: one name per person while any of their tabs is in the chat, and no two people
/// under names that look the same (ignoring case, width and look-alike letters: <see cref="UnicodeText.KeyOf"/>). A
/// person's tabs share their name, whichever node serves each; it is free again once their last tab has left. One seam,
/// two engines: <see cref="InMemoryNameClaims"/> for one node, <c>PostgresNameClaims</c> for every node of a cluster.
/// </summary>
public interface INameClaims
{
    /// <summary>Claims <paramref name="name"/> for one more tab of <paramref name="userId"/>; returns why not, or null.</summary>
    Task<string?> ClaimAsync(string userId, string name, CancellationToken cancellationToken = default);

    /// <summary>Releases one of this node's tabs' claims; the name is free once the person's last tab released it.</summary>
    Task ReleaseAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The name a person chats under now (in a tab on any node), or null.</summary>
    Task<string?> NameOfAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>What a refused claim tells the person, the same whichever engine refused it.</summary>
public static class NameClaimRefusals
{
    public static string AlreadyYours(string name) => $"You are already chatting as \"{name}\" in another tab; use that name here too.";

    public static string Taken(string name) => $"Someone online is already called \"{name}\" (or a name that looks the same). Pick another name.";
}
