using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class OnlineListTests : BunitContext
{
    [Fact]
    public void People_AreListedUnderOnlineWithTheViewerMarkedYou()
    {
        var cut = Render<OnlineList>(ps => ps
            .Add(p => p.People, [new Person("user-ada", "Ada"), new Person("user-bob", "Bob")])
            .Add(p => p.SelfUserId, "user-bob"));

        cut.Find("ul[aria-label=Online]").MarkupMatches("""
            <ul class="online-list" aria-label="Online">
                <li class="online-person"><span class="presence-dot" aria-hidden="true"></span><span class="name">Ada</span></li>
                <li class="online-person"><span class="presence-dot" aria-hidden="true"></span><span class="name">Bob</span><span class="you">(you)</span></li>
            </ul>
            """);
        Assert.Equal("2", cut.Find("#online-heading .count").TextContent);
    }

    [Fact]
    public void People_WithoutViewer_MarksNobody()
    {
        var cut = Render<OnlineList>(ps => ps.Add(p => p.People, [new Person("user-ada", "Ada")]));

        Assert.Single(cut.FindAll("ul[aria-label=Online] li"));
        Assert.Empty(cut.FindAll(".you"));
    }
}
