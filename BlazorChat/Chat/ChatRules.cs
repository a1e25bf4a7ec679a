using System.Text;
using System.Globalization;

namespace BlazorChat.Chat;

/// <summary>The input rules every entry point applies: the UI shows the reason, the registry enforces it.</summary>
public static class ChatRules
{
    public const int MaxMessageLength = 4000;
    public const int MaxDisplayNameLength = 32;

    /// <summary>Length as a person counts it: one per Unicode scalar, so an emoji is one, not two UTF-16 units.</summary>
    public static int CountCharacters(string text) => text.EnumerateRunes().Count();

    /// <summary>Trims the text and says why it cannot be sent, or returns null when it can.</summary>
    public static string? ValidateMessage(string? text, out string normalized)
    {
        normalized = (text ?? string.Empty).Trim();
        if (normalized.Length == 0)
            return "Type a message first: an empty message is not sent.";
        var length = CountCharacters(normalized);
        if (length > MaxMessageLength)
            return string.Create(CultureInfo.InvariantCulture,
                $"This message is {length:N0} characters; the limit is {MaxMessageLength:N0}. Nothing was sent.");
        return null;
    }

    /// <summary>Trims the name and says why it cannot be used, or returns null when it can.</summary>
    public static string? ValidateDisplayName(string? name, out string normalized)
    {
        normalized = (name ?? string.Empty).Trim();
        if (normalized.Length == 0)
            return "Enter a display name (1 to 32 characters).";
        var length = CountCharacters(normalized);
        if (length > MaxDisplayNameLength)
            return string.Create(CultureInfo.InvariantCulture,
                $"A display name is at most {MaxDisplayNameLength} characters; this one is {length}.");
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsControl(rune))
                return "A display name cannot contain control characters or line breaks.";
        }
        return null;
    }
}
