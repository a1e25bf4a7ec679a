namespace BlazorChat.Tests.Chat;

/// <summary>
/// The display name rules against a long list of hostile names: each is refused with a reason that says why, and
/// nothing is normalised out of it. And the good names that must stay possible, in many scripts.
/// </summary>
public sealed class DisplayNameRulesTests
{
    // (name, a word the reason must contain)
    public static TheoryData<string, string> HostileNames => new()
    {
        { "", "Enter a display name" },
        { "   ", "Enter a display name" },
        { "\u3000\u3000", "Enter a display name" }, // ideographic spaces: NFKC makes them spaces
        { "Ada\nLovelace", "control" },
        { "Ada\rLovelace", "control" },
        { "Ada\tLovelace", "control" },
        { "Ada\u0085Bob", "control" }, // NEL (trimmed at the ends, refused inside)
        { "Ada\u007F", "control" }, // DEL
        { "Ada\u009B", "control" }, // CSI
        { "Ada\u2028Bob", "line breaks" },
        { "Ada\u2029Bob", "line breaks" },
        { "admin\u202Egnp.exe", "direction" }, // right-to-left override
        { "\u202Dadmin", "direction" }, // left-to-right override
        { "a\u202Ab", "direction" }, // LRE
        { "a\u202Bb", "direction" }, // RLE
        { "a\u202Cb", "direction" }, // PDF
        { "a\u2066b\u2069", "direction" }, // LRI..PDI
        { "a\u2067b", "direction" }, // RLI
        { "a\u2068b", "direction" }, // FSI
        { "Ada\u200E", "direction" }, // LRM
        { "Ada\u200F", "direction" }, // RLM
        { "Ada\u061C", "direction" }, // Arabic letter mark
        { "Ad\u200Ba", "invisible" }, // zero-width space
        { "Ad\u200Ca", "invisible" }, // ZWNJ
        { "Ad\u200Da", "invisible" }, // ZWJ
        { "Ad\u2060a", "invisible" }, // word joiner
        { "Ad\u2061a", "invisible" }, // function application
        { "Ad\u2062a", "invisible" },
        { "Ad\u2063a", "invisible" },
        { "Ad\u2064a", "invisible" },
        { "\uFEFFAda", "invisible" }, // BOM
        { "Ad\u00ADa", "invisible" }, // soft hyphen
        { "Ad\u180Ea", "invisible" }, // Mongolian vowel separator
        { "Ada\U000E0041\U000E007F", "invisible" }, // tag characters
        { "Ada\U000E0001", "invisible" }, // language tag
        { "\u3164", "invisible" }, // Hangul filler, alone
        { "Ada\u3164", "invisible" },
        { "\u115F\u1160", "invisible" },
        { "\uFFA0Ada", "invisible" },
        { "\u2800", "invisible" }, // braille blank
        { "Ad\u034Fa", "invisible" }, // combining grapheme joiner
        { "Ad\u17B4a", "invisible" },
        { "Ada\uFFFC", "invisible" }, // object replacement
        { "Ada\uFFFD", "invisible" }, // replacement character
        { "Ada\U0001D173", "invisible" }, // musical format
        { "Ada\uE000", "private-use" },
        { "Ada\U000F0000", "private-use" },
        { "Ada\U0010FFFD", "private-use" },
        { "Ada\u0378", "unassigned" },
        { "\u0301", "combining" }, // a mark alone
        { "\u0301Ada", "combining" },
        { "Z\u0351\u0352\u0353a\u0354lgo", "accents" }, // zalgo
        { "A\u0300\u0301\u0302\u0303", "accents" },
        { "e\u20DD\u20DE\u20DF", "accents" }, // enclosing marks
        { "Ada\uFE0F", "variation selector" },
        { "\uFE0FAda", "variation selector" },
        { "\U0001F600\uFE0F\uFE0F", "variation selector" },
        { "Ada\U000E0100", "variation selector" },
        { "Ad a\u00A0\u00A0b", "two spaces" }, // NBSPs become spaces
        { "Ada  Lovelace", "two spaces" },
        { "Ada\u1680Bob", "ordinary spaces" }, // Ogham space mark
        { "p\u0430ypal", "mixes" }, // Cyrillic а among Latin
        { "\u0410dmin", "mixes" }, // Cyrillic А
        { "Ad\u03B1", "mixes" }, // Greek alpha
        { "\u13AAda", "mixes" }, // Cherokee
        { "Admin\u0441", "mixes" },
        { "Иван John Σ", "mixes" }, // three scripts
        { new string('a', 33), "at most 32" },
        { string.Concat(Enumerable.Repeat("\U0001F1EB\U0001F1F7", 33)), "at most 32" }, // 33 flags
        { string.Concat(Enumerable.Repeat("e\u0301", 33)), "at most 32" }, // 33 é, decomposed
    };

    public static TheoryData<string, string> GoodNames => new()
    {
        { "Ada", "Ada" },
        { "  Ada Lovelace ", "Ada Lovelace" },
        { "Zoë", "Zoë" },
        { "Zoe\u0308", "Zoë" }, // decomposed, composed by NFKC
        { "ＡＤＡ", "ADA" }, // full-width, NFKC
        { "Ada\u00A0Lovelace", "Ada Lovelace" }, // NBSP becomes a space
        { "Иван", "Иван" },
        { "Σωκράτης", "Σωκράτης" },
        { "محمد", "محمد" },
        { "שלום", "שלום" },
        { "山田太郎", "山田太郎" },
        { "やまだ Taro", "やまだ Taro" },
        { "김철수 Kim", "김철수 Kim" },
        { "Ahmad محمد", "Ahmad محمد" }, // Latin with one other script (not Cyrillic/Greek)
        { "देवनागरी", "देवनागरी" },
        { "Ada \U0001F600", "Ada \U0001F600" },
        { "\u2764\uFE0F Ada", "\u2764\uFE0F Ada" }, // emoji presentation selector after a symbol
        { "\U0001F1EB\U0001F1F7", "\U0001F1EB\U0001F1F7" }, // a flag
        { "\U0001F44D\U0001F3FD", "\U0001F44D\U0001F3FD" }, // skin tone
        { "R2-D2", "R2-D2" },
        { "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>" }, // harmless as text: rendered as text
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void ValidateDisplayName_HostileName_IsRefusedWithItsReason_AndNothingComesOut(string name, string reasonMentions)
    {
        var reason = ChatRules.ValidateDisplayName(name, out var normalized);

        Assert.NotNull(reason);
        Assert.Contains(reasonMentions, reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(string.Empty, normalized);
    }

    [Theory]
    [MemberData(nameof(GoodNames))]
    public void ValidateDisplayName_GoodName_IsAccepted_TrimmedAndNfkcNormalised(string name, string expected)
    {
        Assert.Null(ChatRules.ValidateDisplayName(name, out var normalized));
        Assert.Equal(expected, normalized);
    }

    // Not theory data: test discovery cannot carry NUL or lone surrogate halves intact.
    [Fact]
    public void ValidateDisplayName_NulOrBrokenSurrogates_AreRefusedWithTheirReason()
    {
        Assert.Contains("control", ChatRules.ValidateDisplayName("Ada\u0000", out _), StringComparison.Ordinal);
        Assert.Contains("broken", ChatRules.ValidateDisplayName("Ada\uD800", out _), StringComparison.Ordinal);
        Assert.Contains("broken", ChatRules.ValidateDisplayName("\uDC00Ada", out var normalized), StringComparison.Ordinal);
        Assert.Equal(string.Empty, normalized);
        Assert.NotNull(RoomNames.Validate("design\uD800", out _));
    }

    [Fact]
    public void ValidateDisplayName_CountsUserPerceivedCharacters()
    {
        Assert.Null(ChatRules.ValidateDisplayName(string.Concat(Enumerable.Repeat("\U0001F1EB\U0001F1F7", 32)), out _)); // 32 flags, 128 UTF-16 units
        Assert.Null(ChatRules.ValidateDisplayName(string.Concat(Enumerable.Repeat("e\u0301", 32)), out _)); // 32 é
        Assert.Null(ChatRules.ValidateDisplayName(string.Concat(Enumerable.Repeat("\U0001F44D\U0001F3FD", 32)), out _));
    }

    [Theory]
    [InlineData("alice", "ALICE")]
    [InlineData("alice", "ａｌｉｃｅ")] // full-width
    [InlineData("alice", "Alice\uFE0E")] // a variation selector does not make another name
    [InlineData("strasse", "STRAßE")]
    [InlineData("apple", "\u0430pple")] // Cyrillic а
    [InlineData("ΟΔΟΣ", "οδος")] // final sigma
    [InlineData("cocoa", "\u0441\u043E\u0441\u043E\u0430")] // all-Cyrillic look-alike
    public void Fold_LookAlikeNames_AreTheSame(string a, string b) => Assert.Equal(UnicodeText.Fold(a), UnicodeText.Fold(b));

    [Theory]
    [InlineData("alice", "alicia")]
    [InlineData("Иван", "Ivan")]
    public void Fold_DifferentNames_StayDifferent(string a, string b) => Assert.NotEqual(UnicodeText.Fold(a), UnicodeText.Fold(b));

    [Theory]
    [InlineData("design\u202E", "direction")]
    [InlineData("des\u200Bign", "invisible")]
    [InlineData("design\u2066", "direction")]
    [InlineData("\uFEFFdesign", "invisible")]
    [InlineData("design\U000E0041", "invisible")]
    [InlineData("design\n", "control")]
    [InlineData("d\u0435sign", "letters, digits")] // Cyrillic е: not a room name character
    public void RoomNames_HostileName_IsRefusedWithItsReason(string name, string reasonMentions)
    {
        var reason = RoomNames.Validate(name, out _);

        Assert.NotNull(reason);
        Assert.Contains(reasonMentions, reason, StringComparison.OrdinalIgnoreCase);
    }
}
