using System.Globalization;
using System.Text;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// Message bodies from the hostile-input corpus: text that shows nothing is refused as empty, whatever invisible
/// characters it is made of; visible text keeps its invisible characters (emoji sequences need them).
/// </summary>
public sealed class MessageRulesTests
{
    // Default_Ignorable_Code_Point, as DerivedCoreProperties.txt (Unicode 17.0.0) lists it: the specification the
    // rules are checked against, written out here rather than read from the code under test.
    private static readonly (int First, int Last)[] DefaultIgnorable =
    [
        (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
        (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
        (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
    ];

    // Prepended_Concatenation_Mark (PropList.txt): format characters that do render (ARABIC NUMBER SIGN and its kin).
    private static readonly int[] PrependedConcatenationMarks =
        [0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD];

    // Letters and symbols that are drawn as nothing: the Hangul fillers and the blank Braille pattern.
    private static readonly int[] BlankGlyphs = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800];

    [Theory]
    [MemberData(nameof(HostileText.BlankNames), MemberType = typeof(HostileText))]
    public void ValidateMessage_NothingVisible_IsRefusedAsEmpty(string form)
    {
        var reason = ChatRules.ValidateMessage(HostileText.Blank[form], out var normalized);

        Assert.True(IsEmptyReason(reason), $"refused with \"{reason}\", not as empty");
        Assert.Equal(string.Empty, normalized);
    }

    [Theory]
    [MemberData(nameof(HostileText.BlankNames), MemberType = typeof(HostileText))]
    public void ValidateMessage_NothingVisible_PaddedWithWhitespace_IsRefusedAsEmpty(string form)
    {
        var text = "  \n" + HostileText.Blank[form] + "\t" + HostileText.Blank[form] + " \r\n";

        var reason = ChatRules.ValidateMessage(text, out var normalized);

        Assert.True(IsEmptyReason(reason), $"refused with \"{reason}\", not as empty");
        Assert.Equal(string.Empty, normalized);
    }

    [Theory]
    [MemberData(nameof(HostileText.VisibleNames), MemberType = typeof(HostileText))]
    public void ValidateMessage_VisibleTextWithInvisibleCharacters_IsAcceptedUnchanged(string form)
    {
        var text = HostileText.VisibleWithInvisibles[form];

        Assert.Null(ChatRules.ValidateMessage(" " + text + "\n", out var normalized));
        Assert.Equal(text, normalized);
    }

    /// <summary>
    /// The whole class, code point by code point: every control, format, space, line and paragraph separator, every
    /// default-ignorable code point and every blank glyph is refused alone (as empty) and accepted next to a letter.
    /// </summary>
    [Fact]
    public void ValidateMessage_EveryInvisibleCodePoint_AloneIsEmpty_AndBesideALetterIsAccepted()
    {
        var members = Enumerable.Range(0, 0x110000).Where(c => Rune.IsValid(c) && IsInvisible(c)).ToList();
        Assert.True(members.Count > 4000, $"only {members.Count} invisible code points: the class is not what it should be");

        var wrong = new List<string>();
        foreach (var c in members)
        {
            var alone = char.ConvertFromUtf32(c);
            if (!IsEmptyReason(ChatRules.ValidateMessage(alone, out _)))
                wrong.Add($"{HostileText.Describe(c)} alone was not refused as empty");
            if (ChatRules.ValidateMessage("ok" + alone + "ok", out _) is { } reason)
                wrong.Add($"{HostileText.Describe(c)} beside letters was refused: {reason}");
        }
        Assert.Empty(wrong);
    }

    /// <summary>And nothing else is: every other code point alone (a letter, a mark, a symbol, even an unassigned one,
    /// which shows as a box) is a message.</summary>
    [Fact]
    public void ValidateMessage_EveryOtherCodePointAlone_IsAccepted()
    {
        var wrong = new List<string>();
        for (var c = 0; c < 0x110000; c++)
        {
            if (!Rune.IsValid(c) || IsInvisible(c) || char.IsWhiteSpace(char.ConvertFromUtf32(c), 0))
                continue;
            if (ChatRules.ValidateMessage(char.ConvertFromUtf32(c), out _) is { } reason)
                wrong.Add($"{HostileText.Describe(c)}: {reason}");
        }
        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(HostileText.DirectionControlNames), MemberType = typeof(HostileText))]
    public void ValidateMessage_ADirectionControlAnywhere_IsRemoved(string control)
    {
        var c = HostileText.DirectionControls[control];
        (string Sent, string Stored)[] cases =
        [
            ($"{c}abc", "abc"), ($"ab{c}c", "abc"), ($"abc{c}", "abc"), ($"a{c}{c}b{c}", "ab"), ($"one {c} two", "one  two"),
            ($" {c} padded {c} ", "padded"), ($"\u05E9{c}\u05DC{c}\u05D5\u05DD", "\u05E9\u05DC\u05D5\u05DD"),
        ];

        foreach (var (sent, stored) in cases)
        {
            Assert.Null(ChatRules.ValidateMessage(sent, out var normalized));
            Assert.Equal(stored, normalized);
        }
    }

    [Theory]
    [MemberData(nameof(HostileText.ReorderingNames), MemberType = typeof(HostileText))]
    public void ValidateMessage_TextReorderedByDirectionControls_IsKeptInTheOrderItWasTyped(string form)
    {
        var (sent, stored) = HostileText.ReorderingMessages[form];

        Assert.Null(ChatRules.ValidateMessage(sent, out var normalized));
        Assert.Equal(stored, normalized);
    }

    /// <summary>
    /// The whole classes, and nothing else: between two letters, each explicit directional formatting character and
    /// each control character but line feed and tab (Cc: NUL, the other C0 controls, DEL, C1) is removed, and every
    /// other code point (the direction marks U+200E, U+200F and U+061C included: they only act as one more letter of
    /// their direction, and right-to-left writing needs them) is kept as it is.
    /// </summary>
    [Fact]
    public void ValidateMessage_RemovesEveryDirectionControlAndControlCharacter_AndNothingElse()
    {
        var controls = HostileText.DirectionControls.Values.Select(c => (int)c)
            .Concat(Enumerable.Range(0, 0x20).Where(c => c is not '\n' and not '\t')).Append(0x7F).Concat(Enumerable.Range(0x80, 0x20))
            .ToHashSet();
        var wrong = new List<string>();
        for (var c = 0; c < 0x110000; c++)
        {
            if (!Rune.IsValid(c))
                continue;
            var sent = "a" + char.ConvertFromUtf32(c) + "b";
            var expected = controls.Contains(c) ? "ab" : sent;
            if (ChatRules.ValidateMessage(sent, out var normalized) is { } reason)
                wrong.Add($"{HostileText.Describe(c)} between letters was refused: {reason}");
            else if (normalized != expected)
                wrong.Add($"{HostileText.Describe(c)} between letters came out as {string.Join(' ', normalized.EnumerateRunes().Select(r => HostileText.Describe(r.Value)))}");
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public void ValidateMessage_CountsTheLengthWithoutTheRemovedControls()
    {
        var text = new string('x', ChatRules.MaxMessageLength) + new string('\u202E', 10);

        Assert.Null(ChatRules.ValidateMessage(text, out var normalized));
        Assert.Equal(ChatRules.MaxMessageLength, normalized.Length);
    }

    // The same reason as a whitespace-only message: the person sees one refusal for "nothing to send".
    public static bool IsEmptyReason(string? reason) =>
        reason is not null && reason == ChatRules.ValidateMessage("   ", out _);

    private static bool IsInvisible(int c)
    {
        if (BlankGlyphs.Contains(c) || DefaultIgnorable.Any(r => c >= r.First && c <= r.Last))
            return true;
        if (PrependedConcatenationMarks.Contains(c))
            return false;
        return CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }
}
