using System.Globalization;
using System.Text;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// The hostile-input corpus the message rules are tested against, by name: theory data carries the name, and the test
/// looks the text up here (xunit's discovery cannot carry NUL, C1 controls or lone tag characters intact).
/// </summary>
public static class HostileText
{
    /// <summary>Text that shows nothing at all: each must be refused like a whitespace-only message.</summary>
    public static readonly IReadOnlyDictionary<string, string> Blank = new Dictionary<string, string>
    {
        ["zero-width space U+200B"] = "\u200B",
        ["zero-width non-joiner U+200C"] = "\u200C",
        ["zero-width joiner U+200D"] = "\u200D",
        ["word joiner U+2060"] = "\u2060",
        ["byte order mark / ZWNBSP U+FEFF"] = "\uFEFF",
        ["Hangul filler U+3164"] = "\u3164",
        ["halfwidth Hangul filler U+FFA0"] = "\uFFA0",
        ["Hangul choseong and jungseong fillers U+115F U+1160"] = "\u115F\u1160",
        ["Braille pattern blank U+2800"] = "\u2800\u2800\u2800",
        ["soft hyphen U+00AD"] = "\u00AD",
        ["lone left-to-right mark U+200E"] = "\u200E",
        ["lone right-to-left mark U+200F"] = "\u200F",
        ["lone Arabic letter mark U+061C"] = "\u061C",
        ["NUL U+0000"] = "\0",
        ["every C0 control and DEL"] = Range(0x00, 0x1F) + "\u007F",
        ["every C1 control"] = Range(0x80, 0x9F),
        ["combining grapheme joiner U+034F"] = "\u034F",
        ["Mongolian vowel separator U+180E"] = "\u180E",
        ["invisible math operators U+2061-2064"] = Range(0x2061, 0x2064),
        ["variation selectors alone U+FE00-FE0F"] = Range(0xFE00, 0xFE0F),
        ["variation selectors supplement alone"] = Range(0xE0100, 0xE0110) + Range(0xE01E0, 0xE01EF),
        ["Mongolian free variation selectors"] = "\u180B\u180C\u180D\u180F",
        ["tag characters U+E0000-E007F"] = Range(0xE0000, 0xE007F),
        ["Khmer inherent vowels"] = "\u17B4\u17B5",
        ["musical and shorthand format controls"] = Range(0x1D173, 0x1D17A) + Range(0x1BCA0, 0x1BCA3),
        ["line and paragraph separators"] = "\u2028\u2029",
        ["every Unicode space"] = "\u00A0\u1680" + Range(0x2000, 0x200A) + "\u202F\u205F\u3000",
        ["direction controls alone"] = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069",
        ["all of them mixed with ordinary whitespace"] =
            " \t\u200B\n\u3164 \u2800\r\n\uFEFF\u00AD\u200D\u2060\uFFA0\u115F\u1160\u200E\u200F\u061C\0\u0085\u034F\u180E\u2062\uFE0F\U000E0041\u3000 ",
    };

    /// <summary>Visible text with invisible characters in it: accepted, and stored exactly as sent (after trimming).</summary>
    public static readonly IReadOnlyDictionary<string, string> VisibleWithInvisibles = new Dictionary<string, string>
    {
        ["woman technologist (ZWJ sequence)"] = "\U0001F469\u200D\U0001F4BB",
        ["family (ZWJ sequence)"] = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466",
        ["red heart with emoji presentation selector"] = "\u2764\uFE0F",
        ["keycap one"] = "1\uFE0F\u20E3",
        ["Scotland flag (tag sequence)"] = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
        ["word with a zero-width space inside"] = "foo\u200Bbar",
        ["word with a soft hyphen"] = "hyphen\u00ADation",
        ["Persian word with a ZWNJ"] = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
        ["Hangul filler before a letter"] = "\u3164a",
        ["Braille pattern with one dot"] = "\u2801",
        ["Arabic number sign (a visible format character)"] = "\u0600\u0661\u0662",
        ["text after a byte order mark"] = "\uFEFFhello",
        ["Hebrew with a right-to-left mark"] = "\u05E9\u05DC\u05D5\u05DD\u200F!",
    };

    /// <summary>
    /// Every explicit directional formatting character (Bidi_Class LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI): an override
    /// or embedding reverses or reorders the text after it, an isolate reorders the runs around it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, char> DirectionControls = new Dictionary<string, char>
    {
        ["left-to-right embedding U+202A"] = '\u202A',
        ["right-to-left embedding U+202B"] = '\u202B',
        ["pop directional formatting U+202C"] = '\u202C',
        ["left-to-right override U+202D"] = '\u202D',
        ["right-to-left override U+202E"] = '\u202E',
        ["left-to-right isolate U+2066"] = '\u2066',
        ["right-to-left isolate U+2067"] = '\u2067',
        ["first strong isolate U+2068"] = '\u2068',
        ["pop directional isolate U+2069"] = '\u2069',
    };

    /// <summary>Messages that use direction controls to make people read something other than what was sent, and what is
    /// stored and shown instead: the same characters, in the order they were typed.</summary>
    public static readonly IReadOnlyDictionary<string, (string Sent, string Stored)> ReorderingMessages =
        new Dictionary<string, (string, string)>
        {
            ["a file name reversed by an override"] = ("invoice\u202Efdp.exe", "invoicefdp.exe"),
            ["an override that is never closed"] = ("\u202Dhello \u202Eworld", "hello world"),
            ["an override closed by PDF"] = ("pay \u202E001\u202C dollars", "pay 001 dollars"),
            ["nested embeddings"] = ("a\u202Bb\u202Ac\u202Cd\u202Ce", "abcde"),
            ["balanced isolates swapping words"] = ("\u200F\u2066world\u2069 \u2066hello\u2069", "\u200Fworld hello"),
            ["an isolate that is never closed"] = ("say \u2067hi", "say hi"),
            ["a stray pop directional isolate"] = ("say\u2069 hi", "say hi"),
            ["Trojan Source: a comment out of order"] =
                ("access != \"user\u202E \u2066// Check if admin\u2069 \u2066\"", "access != \"user // Check if admin \""),
            ["every control at once"] = ("x\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069y", "xy"),
            ["controls around Arabic and Hebrew"] = ("\u202E\u0645\u0631\u062D\u0628\u0627 \u05E9\u05DC\u05D5\u05DD\u202C", "\u0645\u0631\u062D\u0628\u0627 \u05E9\u05DC\u05D5\u05DD"),
        };

    public static TheoryData<string> DirectionControlNames => new(DirectionControls.Keys);

    public static TheoryData<string> ReorderingNames => new(ReorderingMessages.Keys);

    public static TheoryData<string> BlankNames => new(Blank.Keys);

    public static TheoryData<string> VisibleNames => new(VisibleWithInvisibles.Keys);

    /// <summary>Every code point from <paramref name="first"/> to <paramref name="last"/> (surrogates skipped).</summary>
    public static string Range(int first, int last)
    {
        var text = new StringBuilder();
        for (var c = first; c <= last; c++)
        {
            if (Rune.IsValid(c))
                text.Append(char.ConvertFromUtf32(c));
        }
        return text.ToString();
    }

    /// <summary>U+XXXX, for assertion messages.</summary>
    public static string Describe(int c) => string.Create(CultureInfo.InvariantCulture, $"U+{c:X4}");
}
