using System.Collections.Frozen;
using System.Text;

namespace BlazorChat.Chat;

/// <summary>
/// Confusable skeletons in the manner of UTS #39 (section 4): two names whose skeletons are equal look the same
/// ("rnary" and "mary", "BiIl" and "Bill", "J0hn" and "JOhn", "cIose" and "close"). The table is the part of Unicode's
/// confusables data that matters for display names here, written out: look-alikes within the Latin script and its
/// Common and Inherited neighbours (I, l, 1 and |; rn and m; cl and d; 0 and O; dotless i; long s; Latin small
/// capitals), and the Cyrillic and Greek letters that look Latin. Full-width and other compatibility forms need no
/// entry: names are NFKC-normalised before they are compared.
/// </summary>
public static class Confusables
{
    // Each source maps to its prototype, and every prototype is itself left alone by the table (a skeleton is stable).
    private static readonly FrozenDictionary<int, string> Prototypes = new Dictionary<int, string>
    {
        // Latin and Common: the vertical strokes, the round ones, letter pairs.
        ['I'] = "l", ['1'] = "l", ['|'] = "l", [0x01C0] = "l", [0x0196] = "l", [0x2223] = "l",
        ['0'] = "O",
        ['m'] = "rn", ['d'] = "cl",
        [0x0131] = "i", [0x0269] = "i", [0x026A] = "i", [0x0237] = "j",
        [0x0251] = "a", [0x0261] = "g", [0x017F] = "f", [0x0192] = "f",
        // Latin small capitals.
        [0x1D00] = "a", [0x0299] = "b", [0x1D04] = "c", [0x1D05] = "cl", [0x1D07] = "e", [0x0262] = "g", [0x029C] = "h",
        [0x1D0A] = "j", [0x1D0B] = "k", [0x029F] = "l", [0x1D0D] = "rn", [0x0274] = "n", [0x1D0F] = "o", [0x1D18] = "p",
        [0x0280] = "r", [0xA731] = "s", [0x1D1B] = "t", [0x1D1C] = "u", [0x1D20] = "v", [0x1D21] = "w", [0x028F] = "y",
        [0x1D22] = "z",
        // Cyrillic that looks Latin.
        [0x0430] = "a", [0x0432] = "b", [0x0435] = "e", [0x043A] = "k", [0x043C] = "rn", [0x043D] = "h", [0x043E] = "o",
        [0x0440] = "p", [0x0441] = "c", [0x0442] = "t", [0x0443] = "y", [0x0445] = "x", [0x0455] = "s", [0x0456] = "i",
        [0x0458] = "j", [0x04BB] = "h", [0x04CF] = "l", [0x0501] = "cl", [0x051B] = "q", [0x051D] = "w",
        [0x0410] = "A", [0x0412] = "B", [0x0415] = "E", [0x041A] = "K", [0x041C] = "M", [0x041D] = "H", [0x041E] = "O",
        [0x0420] = "P", [0x0421] = "C", [0x0422] = "T", [0x0423] = "Y", [0x0425] = "X", [0x0405] = "S", [0x0406] = "l",
        [0x0408] = "J", [0x04C0] = "l",
        // Greek that looks Latin.
        [0x03B1] = "a", [0x03B2] = "b", [0x03B5] = "e", [0x03B6] = "z", [0x03B7] = "h", [0x03B9] = "i", [0x03BA] = "k",
        [0x03BC] = "rn", [0x03BD] = "v", [0x03BF] = "o", [0x03C1] = "p", [0x03C4] = "t", [0x03C5] = "u", [0x03C7] = "x",
        [0x0391] = "A", [0x0392] = "B", [0x0395] = "E", [0x0396] = "Z", [0x0397] = "H", [0x0399] = "l", [0x039A] = "K",
        [0x039C] = "M", [0x039D] = "N", [0x039F] = "O", [0x03A1] = "P", [0x03A4] = "T", [0x03A5] = "Y", [0x03A7] = "X",
    }.ToFrozenDictionary();

    /// <summary>The characters the table maps (for tests: each has a prototype the table leaves alone).</summary>
    public static IEnumerable<KeyValuePair<int, string>> Mappings => Prototypes;

    /// <summary>
    /// skeleton(X): X in NFD, without its default-ignorable code points, each code point replaced by its prototype, and
    /// NFD again. Case is kept: "I" and "l" share a skeleton, "i" has its own.
    /// </summary>
    public static string Skeleton(string text)
    {
        // string.Normalize refuses ill-formed UTF-16 (a lone surrogate half); such text is mapped as it is.
        var wellFormed = UnicodeText.IsWellFormed(text);
        var decomposed = wellFormed ? text.Normalize(NormalizationForm.FormD) : text;
        var skeleton = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (UnicodeText.IsDefaultIgnorable(rune.Value))
                continue;
            if (Prototypes.TryGetValue(rune.Value, out var prototype))
                skeleton.Append(prototype);
            else
                skeleton.Append(rune.ToString());
        }
        var mapped = skeleton.ToString();
        return wellFormed ? mapped.Normalize(NormalizationForm.FormD) : mapped;
    }
}
