using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class NamespaceSwitcherTests : ChatUiContext
{
    private readonly List<string> _asked = [];


    [Fact]
    public void Namespaces_AreListedWithTheCurrentOneMarked()
    {
        var cut = RenderSwitcher(_ => null);

        var buttons = cut.FindAll("nav[aria-label=Namespaces] ul button");
        Assert.Equal(["/", "/admin", "/tenant-acme"], buttons.Select(b => b.TextContent));
        var current = Assert.Single(buttons, b => b.GetAttribute("aria-current") == "true");
        Assert.Equal("/", current.TextContent);
        Assert.True(current.ClassList.Contains("current"));
    }

    [Fact]
    public void Switch_Refused_ShowsTheReasonInAnAlert()
    {
        var cut = RenderSwitcher(name => name == "/admin" ? "Only administrators may enter /admin." : null);

        cut.FindAll("nav[aria-label=Namespaces] ul button").Single(b => b.TextContent == "/admin").Click();

        Assert.Equal(["/admin"], _asked);
        Assert.Equal("Only administrators may enter /admin.", cut.Find("nav[aria-label=Namespaces] [role=alert]").TextContent);
    }

    [Fact]
    public void Switch_Admitted_ClearsAnEarlierReason()
    {
        var cut = RenderSwitcher(name => name == "/admin" ? "Only administrators may enter /admin." : null);
        cut.FindAll("ul button").Single(b => b.TextContent == "/admin").Click();

        cut.FindAll("ul button").Single(b => b.TextContent == "/tenant-acme").Click();

        Assert.Equal(["/admin", "/tenant-acme"], _asked);
        Assert.Equal(string.Empty, cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void TeamSpace_OpensItsTenantNamespaceAndClearsTheBox()
    {
        var cut = RenderSwitcher(_ => null);

        cut.Find("#team-space").Input(" Design-Team ");
        cut.Find("form").Submit();

        Assert.Equal(["/tenant-design-team"], _asked);
        Assert.Equal(string.Empty, cut.Find("#team-space").GetAttribute("value") ?? string.Empty);
    }

    [Fact]
    public void TeamSpace_WithAnInvalidName_ShowsWhyAndAsksNothing()
    {
        var cut = RenderSwitcher(_ => null);

        cut.Find("#team-space").Input("bad name!");
        cut.Find("form").Submit();

        Assert.Empty(_asked);
        Assert.Contains("team space name", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void TeamSpace_Refused_ShowsTheReasonAndKeepsTheName()
    {
        var cut = RenderSwitcher(_ => "There is no team space called \"evil\" here.");

        cut.Find("#team-space").Input("evil");
        cut.Find("form").Submit();

        Assert.Equal("There is no team space called \"evil\" here.", cut.Find("[role=alert]").TextContent);
        Assert.Equal("evil", cut.Find("#team-space").GetAttribute("value"));
    }

    [Fact]
    public void TeamSpaceBox_HasAnAccessibleName()
    {
        var cut = RenderSwitcher(_ => null);

        Assert.Equal("Team space", cut.Find("label[for=team-space]").TextContent);
    }

    private IRenderedComponent<NamespaceSwitcher> RenderSwitcher(Func<string, string?> answer) =>
        Render<NamespaceSwitcher>(ps => ps
            .Add(p => p.Namespaces, ["/", "/admin", "/tenant-acme"])
            .Add(p => p.Current, "/")
            .Add(p => p.OnSwitch, name =>
            {
                _asked.Add(name);
                return Task.FromResult(answer(name));
            }));
}
