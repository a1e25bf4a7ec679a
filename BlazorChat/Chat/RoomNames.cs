using System.Text.RegularExpressions;

namespace BlazorChat.Chat;

/// <summary>
/// Room names people create: 1 to 32 of a-z, 0-9, '-' and '_', starting with a letter or digit. Lower-cased,
/// so "Design" and "design" are one room. Connection ids contain '.', and user rooms ':', so no room a
/// person creates can be someone's private id or user room.
/// </summary>
public static partial class RoomNames
{
    public const string General = "general";

    public static string? Validate(string? raw, out string name)
    {
        name = string.Empty;
        var text = raw ?? string.Empty;
        // The same rules as display names, so the refusal says what is wrong with a hostile name, not just "letters only".
        if (!UnicodeText.IsWellFormed(text))
            return "This room name contains broken characters (half of a character pair).";
        if (UnicodeText.FindHidden(text, "A room name") is { } hidden)
            return hidden;
        name = text.Trim().TrimStart('#').ToLowerInvariant();
        if (name.Length == 0)
            return "Enter a room name.";
        if (!Pattern().IsMatch(name))
            return "A room name is 1 to 32 letters, digits, '-' or '_', starting with a letter or digit.";
        return null;
    }

    /// <summary>Whether a room in the adapter is one people see in the room list (not an own-id or user room).</summary>
    public static bool IsListed(string room) => Pattern().IsMatch(room);

    /// <summary>
    /// A new private room id: "p." and 128 random bits. It contains '.', so it is never a public room's name, and it
    /// says nothing about the room's title.
    /// </summary>
    public static string NewPrivateId() =>
        "p." + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Whether a string has the shape of a private room id (whether such a room exists is the store's to say).</summary>
    public static bool IsPrivateId(string? room) => room is not null && PrivatePattern().IsMatch(room);

    /// <summary>A room people can be members of: a public room or a private one (not an own-id, user or direct room).</summary>
    public static bool IsRoom(string room) => IsListed(room) || IsPrivateId(room);

    /// <summary>The conversation key of two people's direct messages, the same from either side.</summary>
    public static string DirectConversation(string userA, string userB) =>
        string.CompareOrdinal(userA, userB) < 0 ? $"dm:{userA}:{userB}" : $"dm:{userB}:{userA}";

    /// <summary>Whether a conversation key is two people's private conversation.</summary>
    public static bool IsDirect(string conversation) => conversation.StartsWith("dm:", StringComparison.Ordinal);

    /// <summary>
    /// The other person of a private conversation that <paramref name="userId"/> takes part in; null when the
    /// conversation is not private or not theirs.
    /// </summary>
    public static string? OtherParticipant(string conversation, string userId)
    {
        if (!conversation.StartsWith("dm:", StringComparison.Ordinal))
            return null;
        var rest = conversation["dm:".Length..];
        string? other = rest.StartsWith(userId + ":", StringComparison.Ordinal) ? rest[(userId.Length + 1)..]
            : rest.EndsWith(":" + userId, StringComparison.Ordinal) ? rest[..^(userId.Length + 1)]
            : null;
        // Rebuilding the key proves it is exactly these two people's conversation.
        return other is { Length: > 0 } && DirectConversation(userId, other) == conversation ? other : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial Regex Pattern();

    [GeneratedRegex("^p\\.[A-Za-z0-9_-]{22}$")]
    private static partial Regex PrivatePattern();
}
