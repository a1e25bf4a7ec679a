using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Account;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

/// <summary>The join form for a registered person, and the header's account area.</summary>
public sealed class AccountComponentsTests : ChatUiContext
{

    [Fact]
    public void JoinForm_WithAnAccountName_OffersNoNameBox_AndJoinsUnderThatName()
    {
        string? joinedAs = null;
        var cut = Render<JoinForm>(p => p
            .Add(f => f.FixedName, "<b>Ada</b>")
            .Add(f => f.OnJoin, name => { joinedAs = name; return Task.FromResult<string?>(null); }));

        Assert.Empty(cut.FindAll("#display-name"));
        Assert.Contains("<b>Ada</b>", cut.Find(".join-form").TextContent); // as text, never markup
        Assert.Empty(cut.FindAll(".join-form b"));
        cut.Find("form").Submit();

        Assert.Equal("<b>Ada</b>", joinedAs);
    }

    [Fact]
    public void AccountHeader_ForAGuest_SaysGuest_AndOffersSignInAndRegister()
    {
        var cut = Render<AccountHeader>(p => p.Add(h => h.Identity, new SessionIdentity("guest-1", null, IsGuest: true, MayChat: true)));

        Assert.Contains("Guest", cut.Markup);
        Assert.Equal(["account/signin", "account/register"], cut.FindAll("a").Select(a => a.GetAttribute("href")));
        Assert.Empty(cut.FindAll("form"));
    }
}
