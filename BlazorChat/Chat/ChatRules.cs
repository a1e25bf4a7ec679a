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

    /// <summary>
    /// Normalises a display name (NFKC, then trimmed) and says why it cannot be used, or returns null when it can.
    /// Length counts user-perceived characters (grapheme clusters): "é", an emoji or a flag is one. Refused: control,
    /// invisible and direction-control characters, nothing visible, stacked accents, mixed alphabets (see <see cref="UnicodeText"/>),
    /// tabs and unusual or repeated spaces. Uniqueness is <see cref="Session.DisplayNames"/>'s, on <see cref="UnicodeText.Fold"/>.
    /// </summary>
    public static string? ValidateDisplayName(string? name, out string normalized)
    {
        const string What = "A display name";
        normalized = string.Empty;
        var raw = name ?? string.Empty;
        if (!UnicodeText.IsWellFormed(raw))
            return "This display name contains broken characters (half of a character pair). Type it again.";
        var candidate = raw.Normalize(NormalizationForm.FormKC).Trim();
        if (candidate.Length == 0)
            return $"Enter a display name (1 to {MaxDisplayNameLength} characters).";
        if (UnicodeText.FindHidden(candidate, What) is { } hidden)
            return hidden;
        if (UnicodeText.FindMisusedMarks(candidate, What) is { } marks)
            return marks;
        if (candidate.EnumerateRunes().Any(r => Rune.IsWhiteSpace(r) && r.Value != ' '))
            return "A display name can only use ordinary spaces between words.";
        if (candidate.Contains("  ", StringComparison.Ordinal))
            return "A display name cannot contain two spaces in a row.";
        var length = UnicodeText.CountCharacters(candidate);
        if (length > MaxDisplayNameLength)
            return string.Create(CultureInfo.InvariantCulture,
                $"A display name is at most {MaxDisplayNameLength} characters; this one is {length}.");
        if (UnicodeText.FindMixedScripts(candidate, What) is { } mixed)
            return mixed;
        normalized = candidate;
        return null;
    }
}
