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
        name = (raw ?? string.Empty).Trim().TrimStart('#').ToLowerInvariant();
        if (name.Length == 0)
            return "Enter a room name.";
        if (!Pattern().IsMatch(name))
            return "A room name is 1 to 32 letters, digits, '-' or '_', starting with a letter or digit.";
        return null;
    }

    /// <summary>Whether a room in the adapter is one people see in the room list (not an own-id or user room).</summary>
    public static bool IsListed(string room) => Pattern().IsMatch(room);

    /// <summary>The conversation key of two people's direct messages, the same from either side.</summary>
    public static string DirectConversation(string userA, string userB) =>
        string.CompareOrdinal(userA, userB) < 0 ? $"dm:{userA}:{userB}" : $"dm:{userB}:{userA}";

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial Regex Pattern();
}
