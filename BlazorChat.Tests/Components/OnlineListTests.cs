using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class OnlineListTests : ChatUiContext
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");


    [Fact]
    public void People_AreListedUnderOnlineWithTheViewerMarkedYou()
    {
        var cut = Render<OnlineList>(ps => ps.Add(p => p.People, [Ada, Bob]).Add(p => p.SelfUserId, Bob.UserId));

        var rows = cut.FindAll("ul[aria-label=Online] li.online-person");
        Assert.Equal(2, rows.Count);
        rows[0].MarkupMatches("""<li class="online-person"><span class="presence-dot" aria-hidden="true"></span><bdi class="name">Ada</bdi></li>""");
        rows[1].MarkupMatches("""<li class="online-person"><span class="presence-dot" aria-hidden="true"></span><bdi class="name">Bob</bdi><span class="you">(you)</span></li>""");
        Assert.Equal("2", cut.Find("#online-heading .count").TextContent);
    }

    [Fact]
    public void People_WithoutViewer_MarksNobody()
    {
        var cut = Render<OnlineList>(ps => ps.Add(p => p.People, [Ada]));

        Assert.Single(cut.FindAll("ul[aria-label=Online] li.online-person"));
        Assert.Empty(cut.FindAll(".you"));
    }

    [Fact]
    public void MessageButton_IsOfferedForOthersOnlyAndOpensTheirConversation()
    {
        var opened = new List<Person>();
        var cut = Render<OnlineList>(ps => ps
            .Add(p => p.People, [Ada, Bob])
            .Add(p => p.SelfUserId, Ada.UserId)
            .Add(p => p.OnMessage, (Person p) => opened.Add(p)));

        Assert.Empty(cut.FindAll("button[aria-label='Message Ada']"));
        cut.Find("button[aria-label='Message Bob']").Click();

        Assert.Equal([Bob], opened);
    }

    [Fact]
    public void UnreadFrom_ShowsABadgeForThatPersonOnly()
    {
        var cut = Render<OnlineList>(ps => ps
            .Add(p => p.People, [Ada, Bob, new Person("user-carol", "Carol")])
            .Add(p => p.SelfUserId, Ada.UserId)
            .Add(p => p.OnMessage, (Person _) => { })
            .Add(p => p.UnreadFrom, p => p.UserId == Bob.UserId ? 3 : 0));

        var badge = Assert.Single(cut.FindAll(".unread"));
        Assert.Equal("3", badge.TextContent);
        Assert.Equal("3 unread", badge.GetAttribute("aria-label"));
        Assert.Contains("Bob", badge.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CurrentWith_MarksThePersonWhoseConversationIsOpen()
    {
        var cut = Render<OnlineList>(ps => ps.Add(p => p.People, [Ada, Bob]).Add(p => p.CurrentWith, Bob.UserId));

        var current = Assert.Single(cut.FindAll("li.current"));
        Assert.Equal("Bob", current.QuerySelector(".name")!.TextContent);
    }

    [Fact]
    public void ARenderOfThePageWithNothingChangedHere_DoesNotRenderTheList_ButAnyChangeDoes()
    {
        IReadOnlyList<Person> people = [Ada, Bob];
        var unread = 0;
        var cut = Render<OnlineList>(ps => ps.Add(p => p.People, people).Add(p => p.Version, 1).Add(p => p.UnreadFrom, _ => unread)
            .Add(p => p.OnMessage, (Person _) => { }));
        var renders = cut.RenderCount;

        // The page re-renders on every message and typing event: the same list and version mean nothing to do.
        cut.Render(ps => ps.Add(p => p.People, people).Add(p => p.Version, 1).Add(p => p.UnreadFrom, _ => unread));
        Assert.Equal(renders, cut.RenderCount);

        unread = 2;
        cut.Render(ps => ps.Add(p => p.Version, 2));
        Assert.True(cut.RenderCount > renders);
        Assert.Equal(2, cut.FindAll("[aria-label='2 unread']").Count); // Ada's and Bob's

        cut.Render(ps => ps.Add(p => p.People, [Ada]));
        Assert.Single(cut.FindAll("ul[aria-label=Online] li.online-person"));
        cut.Render(ps => ps.Add(p => p.CurrentWith, Ada.UserId));
        Assert.Single(cut.FindAll("li.current"));
    }

    [Fact]
    public void AskingWhetherToRenderWithNothingChanged_AllocatesNothing()
    {
        var cut = Render<OnlineList>(ps => ps.Add(p => p.People, [Ada, Bob]).Add(p => p.SelfUserId, Ada.UserId).Add(p => p.CurrentWith, Bob.UserId));

        Assert.Equal(0, RenderChecks.AllocatedAskingUnchanged(cut.Instance));
    }

    [Fact]
    public void AThousandPeopleOnline_RendersOnlyARowsWorthOfThem_ButCountsEveryone()
    {
        var people = Enumerable.Range(0, 1000).Select(i => new Person($"user-{i:D4}", $"Person {i:D4}")).ToList();

        var cut = Render<OnlineList>(ps => ps.Add(p => p.People, people));

        Assert.Equal("1000", cut.Find("#online-heading .count").TextContent);
        var rows = cut.FindAll("li.online-person");
        // Before the browser has said how tall the drawer is, Virtualize renders up to its cap (60) plus the overscan on
        // both sides (5 each); with Virtualize's defaults it was 120 rows, for every tab of a thousand.
        Assert.InRange(rows.Count, 1, 70);
        Assert.Equal("Person 0000", rows[0].QuerySelector(".name")!.TextContent);
    }

    [Fact]
    public void APerson_LooksTheSameObjectInEveryList_AndTheirNameStaysText()
    {
        var mallory = new Person("user-mallory", "<img src=x onerror=alert(1)>Mallory");

        var first = Render<OnlineList>(ps => ps.Add(p => p.People, [mallory]).Add(p => p.OnMessage, (Person _) => { }));
        var second = Render<OnlineList>(ps => ps.Add(p => p.People, [mallory]).Add(p => p.OnMessage, (Person _) => { }));

        Assert.Same(PersonMarkup.Of(mallory), PersonMarkup.Of(mallory));
        foreach (var cut in new[] { first, second })
        {
            Assert.Empty(cut.FindAll("img"));
            Assert.Equal("<img src=x onerror=alert(1)>Mallory", cut.Find("li.online-person .name").TextContent);
            Assert.NotNull(cut.Find("button[aria-label='Message <img src=x onerror=alert(1)>Mallory']"));
        }
    }
}
