using System.Globalization;
using System.Text;

namespace BlazorChat.Chat;

/// <summary>
/// The Unicode checks behind names people choose (display names, room names): what would be invisible, reorder the
/// text around it, stack into a smear, or imitate another name by mixing alphabets. Each check returns the reason it
/// refuses, for the person to read, or null. The text is expected in NFKC already.
/// </summary>
public static class UnicodeText
{
    /// <summary>The most combining marks on one base character (zalgo text stacks dozens).</summary>
    public const int MaxMarksPerBase = 2;

    // Letters and marks that render as nothing but are not format characters: Hangul fillers, braille blank, the
    // combining grapheme joiner, Khmer inherent vowels, Mongolian free variation selectors and vowel separator.
    private static readonly HashSet<int> InvisibleLetters =
        [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180E, 0x180F, 0xFFFC, 0xFFFD];

    /// <summary>Whether the text is well-formed UTF-16 (no lone surrogate halves, which nothing can display or normalise).</summary>
    public static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Refuses control characters, line breaks, every format character (bidirectional overrides, embeddings, isolates
    /// and marks such as U+202E, U+2066–2069, U+200E/200F, U+061C; zero-width spaces and joiners U+200B–200D, U+2060–2064,
    /// U+FEFF, the soft hyphen, tag characters U+E0000–E007F), invisible fillers, private-use and unassigned code points.
    /// </summary>
    public static string? FindHidden(string text, string what)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                return $"{what} cannot contain control characters or line breaks ({Describe(rune)}).";
            if (IsBidiControl(rune.Value))
                return $"{what} cannot contain invisible direction controls ({Describe(rune)}): they can make text read backwards.";
            if (category == UnicodeCategory.Format || InvisibleLetters.Contains(rune.Value))
                return $"{what} cannot contain invisible characters ({Describe(rune)}): others could not tell the name apart.";
            if (category == UnicodeCategory.PrivateUse)
                return $"{what} cannot contain private-use characters ({Describe(rune)}): they look different on every device.";
            if (category is UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)
                return $"{what} cannot contain unassigned characters ({Describe(rune)}).";
        }
        return null;
    }

    /// <summary>
    /// Refuses text with nothing visible, combining marks with no letter under them or stacked more than
    /// <see cref="MaxMarksPerBase"/> deep, and variation selectors anywhere but right after a symbol (emoji) or an ideograph.
    /// </summary>
    public static string? FindMisusedMarks(string text, string what)
    {
        var marks = 0;
        Rune? previous = null;
        var visible = false;
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (IsVariationSelector(rune.Value))
            {
                if (previous is not { } before || !MayTakeVariationSelector(before))
                    return $"{what} cannot use a variation selector ({Describe(rune)}) except right after an emoji or an ideograph.";
            }
            else if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark)
            {
                if (previous is null)
                    return $"{what} cannot start with an accent or other combining mark.";
                if (category != UnicodeCategory.SpacingCombiningMark && ++marks > MaxMarksPerBase)
                    return $"{what} stacks too many accents on one letter (at most {MaxMarksPerBase}).";
            }
            else
            {
                marks = 0;
                visible |= !Rune.IsWhiteSpace(rune);
            }
            previous = rune;
        }
        return visible ? null : $"{what} needs at least one visible letter, digit or symbol.";
    }

    /// <summary>
    /// Refuses letters from alphabets that are not normally written together, as UTS #39's "moderately restrictive"
    /// level does: one script; or Latin with Han, Hiragana, Katakana, Bopomofo or Hangul (Japanese, Chinese, Korean);
    /// or Latin with one other script that is not Cyrillic, Greek or Cherokee (whose letters imitate Latin ones).
    /// </summary>
    public static string? FindMixedScripts(string text, string what)
    {
        var scripts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) && ScriptOf(rune.Value) is { } script)
                scripts.Add(script);
        }
        if (scripts.Count <= 1 || IsAllowedMix(scripts))
            return null;
        return $"{what} mixes {string.Join(" and ", scripts)} letters, which can imitate someone else's name. Use one alphabet.";
    }

    /// <summary>Length as a person counts it: user-perceived characters (extended grapheme clusters), so "é" or a flag is one.</summary>
    public static int CountCharacters(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>
    /// The form two names are compared in: NFKC, Cyrillic and Greek letters that look Latin mapped to the Latin letter,
    /// case folded (with ß as "ss" and final sigma as sigma), variation selectors dropped. "ALICE", "alice",
    /// full-width "ａｌｉｃｅ" and Cyrillic "аlice" all fold to "alice".
    /// </summary>
    public static string Fold(string text)
    {
        var normalized = IsWellFormed(text) ? text.Normalize(NormalizationForm.FormKC) : text;
        var folded = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsVariationSelector(rune.Value))
                continue;
            var lower = Rune.ToLowerInvariant(rune);
            folded.Append(lower.Value switch
            {
                0x00DF => "ss",
                0x03C2 => "\u03C3",
                _ => Confusables.TryGetValue(lower.Value, out var latin) ? latin.ToString() : lower.ToString(),
            });
        }
        return folded.ToString().Normalize(NormalizationForm.FormKC);
    }

    private static readonly Dictionary<int, char> Confusables = new()
    {
        // Cyrillic
        [0x0430] = 'a', [0x0435] = 'e', [0x043E] = 'o', [0x0440] = 'p', [0x0441] = 'c', [0x0443] = 'y', [0x0445] = 'x',
        [0x0456] = 'i', [0x0458] = 'j', [0x0455] = 's', [0x0501] = 'd', [0x04BB] = 'h', [0x051B] = 'q', [0x051D] = 'w',
        [0x0432] = 'b', [0x043A] = 'k', [0x043C] = 'm', [0x043D] = 'h', [0x0442] = 't', [0x04CF] = 'l',
        // Greek
        [0x03BF] = 'o', [0x03B1] = 'a', [0x03B2] = 'b', [0x03B5] = 'e', [0x03B6] = 'z', [0x03B7] = 'h', [0x03B9] = 'i',
        [0x03BA] = 'k', [0x03BC] = 'm', [0x03BD] = 'n', [0x03C1] = 'p', [0x03C4] = 't', [0x03C5] = 'y', [0x03C7] = 'x',
    };

    private static bool IsBidiControl(int c) =>
        c is >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 or 0x200E or 0x200F or 0x061C;

    private static bool IsVariationSelector(int c) => c is >= 0xFE00 and <= 0xFE0F or >= 0xE0100 and <= 0xE01EF;

    private static bool MayTakeVariationSelector(Rune before) =>
        Rune.GetUnicodeCategory(before) is UnicodeCategory.OtherSymbol or UnicodeCategory.MathSymbol
        || before.Value is >= '0' and <= '9' or '#' or '*'
        || ScriptOf(before.Value) == "Han";

    private static bool IsAllowedMix(SortedSet<string> scripts)
    {
        string[][] cjk = [["Latin", "Han", "Hiragana", "Katakana"], ["Latin", "Han", "Bopomofo"], ["Latin", "Han", "Hangul"]];
        if (cjk.Any(allowed => scripts.IsSubsetOf(allowed)))
            return true;
        return scripts.Count == 2 && scripts.Contains("Latin")
            && !scripts.Overlaps(["Cyrillic", "Greek", "Cherokee"]);
    }

    // The scripts whose mixing matters, by code point range; letters of other scripts are not counted.
    private static string? ScriptOf(int c) => c switch
    {
        <= 0x024F or >= 0x0250 and <= 0x02AF or >= 0x1D00 and <= 0x1D7F or >= 0x1E00 and <= 0x1EFF
            or >= 0x2C60 and <= 0x2C7F or >= 0xA720 and <= 0xA7FF or >= 0xAB30 and <= 0xAB6F or >= 0xFF21 and <= 0xFF5A => "Latin",
        >= 0x0370 and <= 0x03FF or >= 0x1F00 and <= 0x1FFF => "Greek",
        >= 0x0400 and <= 0x052F or >= 0x1C80 and <= 0x1C8F or >= 0x2DE0 and <= 0x2DFF or >= 0xA640 and <= 0xA69F => "Cyrillic",
        >= 0x0530 and <= 0x058F => "Armenian",
        >= 0x0590 and <= 0x05FF => "Hebrew",
        >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0x08A0 and <= 0x08FF or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF => "Arabic",
        >= 0x0900 and <= 0x097F => "Devanagari",
        >= 0x0980 and <= 0x09FF => "Bengali",
        >= 0x0E00 and <= 0x0E7F => "Thai",
        >= 0x10A0 and <= 0x10FF or >= 0x2D00 and <= 0x2D2F or >= 0x1C90 and <= 0x1CBF => "Georgian",
        >= 0x13A0 and <= 0x13FF or >= 0xAB70 and <= 0xABBF => "Cherokee",
        >= 0x1100 and <= 0x11FF or >= 0x3130 and <= 0x318F or >= 0xAC00 and <= 0xD7AF => "Hangul",
        >= 0x3040 and <= 0x309F => "Hiragana",
        >= 0x30A0 and <= 0x30FF or >= 0x31F0 and <= 0x31FF or >= 0xFF66 and <= 0xFF9F => "Katakana",
        >= 0x3100 and <= 0x312F or >= 0x31A0 and <= 0x31BF => "Bopomofo",
        >= 0x2E80 and <= 0x2FDF or >= 0x3005 and <= 0x3007 or >= 0x3021 and <= 0x3029 or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF => "Han",
        _ => null,
    };

    private static string Describe(Rune rune) => $"U+{rune.Value:X4}";
}
