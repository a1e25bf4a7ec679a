using System.Globalization;
namespace BlazorChat.Tests.Chat;

public sealed class ChatRulesTests
{
    private const string Emoji = "😀"; // One Unicode scalar, two UTF-16 code units.

    [Theory]
    [InlineData("Ada", "Ada")]
    [InlineData("  Ada Lovelace \t", "Ada Lovelace")]
    [InlineData("Zoë", "Zoë")]
    public void ValidateDisplayName_ValidName_IsAcceptedAndTrimmed(string input, string expected)
    {
        Assert.Null(ChatRules.ValidateDisplayName(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("    ")]
    [InlineData("\t\r\n")]
    public void ValidateDisplayName_EmptyOrWhitespace_IsRefused(string? input)
    {
        Assert.NotNull(ChatRules.ValidateDisplayName(input, out _));
    }

    [Fact]
    public void ValidateDisplayName_ExactlyMaxLength_IsAccepted()
    {
        Assert.Null(ChatRules.ValidateDisplayName(new string('a', 32), out _));
    }

    [Fact]
    public void ValidateDisplayName_OneOverMaxLength_IsRefusedWithTheLimit()
    {
        var reason = ChatRules.ValidateDisplayName(new string('a', 33), out _);

        Assert.NotNull(reason);
        Assert.Contains("32", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateDisplayName_PaddedToOverMaxLength_CountsOnlyTheTrimmedName()
    {
        Assert.Null(ChatRules.ValidateDisplayName("   " + new string('a', 32) + "   ", out var normalized));
        Assert.Equal(32, normalized.Length);
    }

    [Fact]
    public void ValidateDisplayName_ThirtyTwoEmoji_IsAcceptedBecauseEachCountsOnce()
    {
        var name = string.Concat(Enumerable.Repeat(Emoji, 32));

        Assert.Equal(64, name.Length);
        Assert.Null(ChatRules.ValidateDisplayName(name, out _));
    }

    [Fact]
    public void ValidateDisplayName_ThirtyThreeEmoji_IsRefused()
    {
        Assert.NotNull(ChatRules.ValidateDisplayName(string.Concat(Enumerable.Repeat(Emoji, 33)), out _));
    }

    [Theory]
    [InlineData("Ada\nLovelace")]
    [InlineData("Ada\r\nLovelace")]
    [InlineData("Ada\tLovelace")]
    [InlineData("Ada\u0007")]
    [InlineData("\u0000Ada")]
    [InlineData("Ada\u001bLovelace")]
    [InlineData("Ada\u0085Lovelace")]
    public void ValidateDisplayName_ControlCharacters_AreRefused(string input)
    {
        var reason = ChatRules.ValidateDisplayName(input, out _);

        Assert.NotNull(reason);
        Assert.Contains("control", reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \r\n\t ")]
    public void ValidateMessage_EmptyOrWhitespace_IsRefused(string? input)
    {
        Assert.NotNull(ChatRules.ValidateMessage(input, out var normalized));
        Assert.Equal(string.Empty, normalized);
    }

    [Fact]
    public void ValidateMessage_Text_IsTrimmed()
    {
        Assert.Null(ChatRules.ValidateMessage("  \n hello world \t ", out var normalized));
        Assert.Equal("hello world", normalized);
    }

    [Fact]
    public void ValidateMessage_InnerLineBreaks_AreKept()
    {
        Assert.Null(ChatRules.ValidateMessage("line one\nline two", out var normalized));
        Assert.Equal("line one\nline two", normalized);
    }

    [Fact]
    public void ValidateMessage_EveryControlCharacterButLineFeedAndTab_IsRemoved_WhateverTheStoreCanHold()
    {
        var controls = Enumerable.Range(0, 0x110000).Where(c => c is < 0xD800 or > 0xDFFF)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Control && c is not '\n' and not '\t').ToList();
        Assert.Equal(63, controls.Count); // C0 but LF and TAB (30), DEL, C1 (32)

        foreach (var c in controls)
        {
            Assert.Null(ChatRules.ValidateMessage($"be{char.ConvertFromUtf32(c)}fore\tafter\r\nnext", out var normalized));
            Assert.Equal("before\tafter\nnext", normalized);
        }
    }

    [Fact]
    public void ValidateMessage_ExactlyMaxLength_IsAccepted()
    {
        Assert.Null(ChatRules.ValidateMessage(new string('x', 4000), out var normalized));
        Assert.Equal(4000, normalized.Length);
    }

    [Fact]
    public void ValidateMessage_OneOverMaxLength_IsRefusedWithBothNumbers()
    {
        var reason = ChatRules.ValidateMessage(new string('x', 4001), out _);

        Assert.NotNull(reason);
        Assert.Contains("4,001", reason, StringComparison.Ordinal);
        Assert.Contains("4,000", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateMessage_MaxLengthPlusSurroundingWhitespace_IsAccepted()
    {
        Assert.Null(ChatRules.ValidateMessage("  " + new string('x', 4000) + "\n", out var normalized));
        Assert.Equal(4000, normalized.Length);
    }

    [Fact]
    public void ValidateMessage_MaxLengthInEmoji_IsAcceptedAndOneMoreIsRefused()
    {
        Assert.Null(ChatRules.ValidateMessage(string.Concat(Enumerable.Repeat(Emoji, 4000)), out _));
        Assert.NotNull(ChatRules.ValidateMessage(string.Concat(Enumerable.Repeat(Emoji, 4001)), out _));
    }

    [Fact]
    public void CountCharacters_CountsUnicodeScalarsNotUtf16Units()
    {
        Assert.Equal(3, ChatRules.CountCharacters("a" + Emoji + "b"));
    }
}
