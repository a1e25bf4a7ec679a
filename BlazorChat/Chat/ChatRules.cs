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

    /// <summary>Why a message with nothing to see is not sent: empty, whitespace only, or only invisible characters.</summary>
    public const string EmptyMessageReason = "Type a message first: an empty message is not sent.";

    /// <summary>
    /// Normalises a message and says why it cannot be sent, or returns null when it can. The normal form is what is
    /// stored and shown: without direction overrides, embeddings and isolates (<see cref="UnicodeText.RemoveDirectionControls"/>),
    /// so nobody sees the text reordered, then trimmed. Text that shows nothing (only whitespace, controls, zero-width and
    /// other invisible characters, see <see cref="UnicodeText.IsBlank"/>) is refused as empty; visible text keeps its other
    /// invisible characters, which emoji sequences (👩‍💻 is three code points joined by U+200D) and several scripts need.
    /// Every path a message takes (a room, a private message, a retry, an announcement, and the tab's own copy) goes through here.
    /// </summary>
    public static string? ValidateMessage(string? text, out string normalized)
    {
        normalized = UnicodeText.RemoveDirectionControls(UnicodeText.RemoveControlCharacters(text ?? string.Empty)).Trim();
        if (UnicodeText.IsBlank(normalized))
        {
            // Nothing comes out of a refusal: the caller stores and shows nothing.
            normalized = string.Empty;
            return EmptyMessageReason;
        }
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
    /// tabs and unusual or repeated spaces. Uniqueness is <see cref="Session.DisplayNames"/>'s, on <see cref="UnicodeText.KeyOf"/>.
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
