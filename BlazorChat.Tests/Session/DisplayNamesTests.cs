namespace BlazorChat.Tests.Session;

public sealed class DisplayNamesTests
{
    private readonly DisplayNames _names = new();

    [Theory]
    [InlineData("Ada")]
    [InlineData("ada")]
    [InlineData("ADA")]
    [InlineData("ＡＤＡ")] // full-width
    [InlineData("Аda")] // Cyrillic А: looks the same
    public void Claim_NameAnotherPersonUses_IsRefusedIgnoringCase(string name)
    {
        Assert.Null(_names.Claim("user-1", "Ada"));

        var reason = _names.Claim("user-2", name);

        Assert.NotNull(reason);
        Assert.Contains("already called", reason, StringComparison.Ordinal);
        Assert.Null(_names.NameOf("user-2"));
        Assert.Equal("Ada", _names.NameOf("user-1"));
    }

    [Fact]
    public void Claim_SamePersonSameName_IsAnotherTab()
    {
        Assert.Null(_names.Claim("user-1", "Ada"));

        Assert.Null(_names.Claim("user-1", "Ada"));

        Assert.Equal("Ada", _names.NameOf("user-1"));
    }

    [Theory]
    [InlineData("Bobby")]
    [InlineData("ada")] // the same letters in another case are still another name for this person
    public void Claim_SamePersonOtherName_IsRefused(string otherName)
    {
        Assert.Null(_names.Claim("user-1", "Ada"));

        var reason = _names.Claim("user-1", otherName);

        Assert.NotNull(reason);
        Assert.Contains("\"Ada\"", reason, StringComparison.Ordinal);
        Assert.Equal("Ada", _names.NameOf("user-1"));
    }

    [Fact]
    public void Release_FreesTheNameOnlyAfterTheLastTab()
    {
        _names.Claim("user-1", "Ada");
        _names.Claim("user-1", "Ada");

        _names.Release("user-1");
        Assert.NotNull(_names.Claim("user-2", "Ada"));
        Assert.Equal("Ada", _names.NameOf("user-1"));

        _names.Release("user-1");
        Assert.Null(_names.NameOf("user-1"));
        Assert.Null(_names.Claim("user-2", "ada"));
        Assert.Equal("ada", _names.NameOf("user-2"));
    }

    [Fact]
    public void Release_OfSomeoneWithoutAName_IsHarmless()
    {
        _names.Claim("user-1", "Ada");

        _names.Release("user-unknown");

        Assert.Equal("Ada", _names.NameOf("user-1"));
    }

    [Fact]
    public void Release_AfterTheLastTab_LetsThePersonPickAnotherName()
    {
        _names.Claim("user-1", "Ada");
        _names.Release("user-1");

        Assert.Null(_names.Claim("user-1", "Countess"));
    }
}
