using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class TypingIndicatorTests : BunitContext
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Carol = new("user-carol", "Carol");

    [Fact]
    public void NobodyTyping_ShowsNothing()
    {
        var cut = Render<TypingIndicator>(ps => ps.Add(p => p.People, []));

        Assert.Equal(string.Empty, cut.Find(".typing-indicator").TextContent);
    }

    [Fact]
    public void OnePersonTyping_NamesThem()
    {
        var cut = Render<TypingIndicator>(ps => ps.Add(p => p.People, [Ada]));

        Assert.Equal("Ada is typing…", cut.Find(".typing-indicator").TextContent);
    }

    [Fact]
    public void TwoPeopleTyping_NamesBoth()
    {
        var cut = Render<TypingIndicator>(ps => ps.Add(p => p.People, [Ada, Bob]));

        Assert.Equal("Ada and Bob are typing…", cut.Find(".typing-indicator").TextContent);
    }

    [Fact]
    public void ThreePeopleTyping_CountsThem()
    {
        var cut = Render<TypingIndicator>(ps => ps.Add(p => p.People, [Ada, Bob, Carol]));

        Assert.Equal("3 people are typing…", cut.Find(".typing-indicator").TextContent);
    }

    [Fact]
    public void Indicator_IsAPoliteLiveRegion()
    {
        var cut = Render<TypingIndicator>(ps => ps.Add(p => p.People, []));

        Assert.Equal("polite", cut.Find(".typing-indicator").GetAttribute("aria-live"));
    }

    [Fact]
    public void TheSamePeopleInANewList_DoNotRenderTheLineAgain_ButSomeoneElseDoes()
    {
        var cut = Render<TypingIndicator>(ps => ps.Add(p => p.People, [Ada]));
        var renders = cut.RenderCount;

        // The page builds the list afresh on every render of the transcript.
        cut.Render(ps => ps.Add(p => p.People, [new Person("user-ada", "Ada")]));
        Assert.Equal(renders, cut.RenderCount);

        cut.Render(ps => ps.Add(p => p.People, [Ada, Bob]));
        Assert.Equal(renders + 1, cut.RenderCount);
        Assert.Equal("Ada and Bob are typing…", cut.Find(".typing-indicator").TextContent);
    }

    [Fact]
    public void AskingWhetherToRenderWithNothingChanged_AllocatesNothing()
    {
        var cut = Render<TypingIndicator>(ps => ps.Add(p => p.People, [Ada, Bob]));

        Assert.Equal(0, RenderChecks.AllocatedAskingUnchanged(cut.Instance));
    }
}
