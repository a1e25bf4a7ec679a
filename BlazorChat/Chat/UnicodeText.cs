using System.Buffers;
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

    // Default_Ignorable_Code_Point, from DerivedCoreProperties.txt (Unicode 17.0.0), adjacent ranges merged: the code
    // points a renderer shows as nothing when it does not support them (zero-width characters, joiners, bidirectional
    // controls, variation selectors, fillers, tags, and the unassigned code points reserved for more of the same).
    private static readonly (int First, int Last)[] DefaultIgnorables =
    [
        (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
        (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
    ];

    // Glyphs drawn as empty space although they are letters or symbols: the Hangul fillers (also default-ignorable, listed
    // here so the class does not hang on that table alone) and the Braille pattern blank, which no property singles out.
    private static readonly HashSet<int> BlankGlyphs = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800];

    /// <summary>Whether the code point has Unicode's Default_Ignorable_Code_Point property.</summary>
    public static bool IsDefaultIgnorable(int c)
    {
        if (c < 0xAD)
            return false;
        foreach (var (first, last) in DefaultIgnorables)
        {
            if (c < first)
                return false;
            if (c <= last)
                return true;
        }
        return false;
    }

    /// <summary>
    /// Whether the text shows nothing: it is empty, or made only of whitespace, control characters (Cc), format characters
    /// (Cf: zero-width spaces and joiners, direction marks, the soft hyphen, tags...), space, line and paragraph separators
    /// (Zs, Zl, Zp), default-ignorable code points (variation selectors, the combining grapheme joiner, Hangul fillers...)
    /// and blank glyphs (the Braille pattern blank). A message like that would arrive as an empty bubble.
    /// </summary>
    /// <remarks>
    /// The Prepended_Concatenation_Mark format characters (ARABIC NUMBER SIGN U+0600 and its kin) are drawn, so they count
    /// as visible. Only the first visible character is looked for: the scan stops there.
    /// </remarks>
    public static bool IsBlank(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!IsBlank(rune))
                return false;
        }
        return true;
    }

    private static bool IsBlank(Rune rune)
    {
        var c = rune.Value;
        if (Rune.IsWhiteSpace(rune) || IsDefaultIgnorable(c) || BlankGlyphs.Contains(c))
            return true;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator => true,
            UnicodeCategory.Format => !IsPrependedConcatenationMark(c),
            _ => false,
        };
    }

    // PropList.txt's Prepended_Concatenation_Mark (Unicode 17.0.0): format characters that are drawn, spanning the digits after them.
    private static bool IsPrependedConcatenationMark(int c) =>
        c is >= 0x0600 and <= 0x0605 or 0x06DD or 0x070F or 0x0890 or 0x0891 or 0x08E2 or 0x110BD or 0x110CD;

    // The explicit directional formatting characters (Bidi_Class LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
    private static readonly SearchValues<char> DirectionControls =
        SearchValues.Create("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    /// <summary>
    /// Removes every explicit directional formatting character: the overrides U+202D/U+202E (which draw the text after them
    /// backwards: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf"), the embeddings U+202A/U+202B, PDF U+202C and the isolates
    /// U+2066–2069 (which reorder whole runs, balanced or not: "Trojan Source"). Without them the text shows in the order it
    /// was typed, laid out by the bidirectional algorithm from its letters alone, so Arabic and Hebrew still read right to
    /// left. The marks U+200E, U+200F and U+061C stay: they act as one more letter of their direction, and right-to-left
    /// writers use them. Returns the same string when there is nothing to remove.
    /// </summary>
    public static string RemoveDirectionControls(string text) => RemoveAll(text, DirectionControls);

    // The control characters (General_Category Cc) but the line feed and the tab a message may hold: NUL, the other C0
    // controls (a carriage return too: "\r\n" becomes "\n"), DEL and the C1 controls.
    private static readonly SearchValues<char> MessageControls = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not '\n' and not '\t').Select(c => (char)c), '\u007F',
         .. Enumerable.Range(0x80, 0x20).Select(c => (char)c)]);

    /// <summary>
    /// Removes the control characters a message has no use for (all of Unicode's Cc but line feed and tab): NUL, which
    /// no display shows and PostgreSQL's text cannot hold, a bare carriage return, escape sequences, DEL and C1 controls.
    /// Returns the same string when there is nothing to remove.
    /// </summary>
    public static string RemoveControlCharacters(string text) => RemoveAll(text, MessageControls);

    // The text without any of these characters; the same string when it has none.
    private static string RemoveAll(string text, SearchValues<char> removed)
    {
        var first = text.AsSpan().IndexOfAny(removed);
        if (first < 0)
            return text;
        var kept = new StringBuilder(text.Length - 1);
        kept.Append(text, 0, first);
        foreach (var c in text.AsSpan(first + 1))
        {
            if (!removed.Contains(c))
                kept.Append(c);
        }
        return kept.ToString();
    }

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
    /// The form two names are compared in, ignoring case and width: NFKC, case folded (with ß as "ss" and final sigma as
    /// sigma), then the UTS #39 confusable skeleton (<see cref="Confusables.Skeleton"/>), case folded again. "ALICE",
    /// "alice", full-width "ａｌｉｃｅ", Cyrillic "аlice" and "Alice" with a variation selector all fold to "alice"; "j0hn"
    /// and "JOHN" fold alike too. Two names that look alike are told by <see cref="KeyOf"/>, which also keeps the
    /// letters' case long enough to see that "I" looks like "l".
    /// </summary>
    public static string Fold(string text) => CaseFold(Confusables.Skeleton(CaseFold(Nfkc(text))));

    /// <summary>What two names are compared by: see <see cref="NameKey"/>.</summary>
    public static NameKey KeyOf(string name)
    {
        var nfkc = Nfkc(name);
        return new NameKey(CaseFold(Confusables.Skeleton(CaseFold(nfkc))), CaseFold(Confusables.Skeleton(nfkc)));
    }

    /// <summary>
    /// A name's two comparison forms. Names are the same, ignoring case, width and look-alike letters, when either form
    /// is equal. <see cref="Folded"/> (case first, then the skeleton) makes "BILL" and "bill" one name; but case folding
    /// first turns "I" into "i", which does not look like "l", so <see cref="Shape"/> (the skeleton of the name as written,
    /// then case) makes "BiIl" and "Bill" one name. Neither form alone does both.
    /// </summary>
    public readonly record struct NameKey(string Folded, string Shape)
    {
        public bool LooksLike(NameKey other) =>
            string.Equals(Folded, other.Folded, StringComparison.Ordinal) || string.Equals(Shape, other.Shape, StringComparison.Ordinal);
    }

    private static string Nfkc(string text) => IsWellFormed(text) ? text.Normalize(NormalizationForm.FormKC) : text;

    // Lower case per code point, with the full foldings that matter for names: ß is "ss", final sigma is sigma.
    private static string CaseFold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var lower = Rune.ToLowerInvariant(rune);
            switch (lower.Value)
            {
                case 0x00DF:
                    folded.Append("ss");
                    break;
                case 0x03C2:
                    folded.Append('\u03C3');
                    break;
                default:
                    folded.Append(lower.ToString());
                    break;
            }
        }
        return folded.ToString();
    }

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
