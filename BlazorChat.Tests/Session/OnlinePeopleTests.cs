using BlazorChat.Session;

namespace BlazorChat.Tests.Session;

public sealed class OnlinePeopleTests
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "bob");
    private static readonly Person Carol = new("user-carol", "Carol");
    private static readonly Person Dan = new("user-dan", "Dan");

    [Fact]
    public void ArrivalsAndDepartures_KeepTheListByNameIgnoringCase_AndSayWhatWasNews()
    {
        var online = new OnlinePeople();
        online.Reset([Dan, Ada]);
        var before = online.List;

        var news = online.Apply([Joined(Carol), Joined(Ada), Left(Dan), Joined(Bob), Left(Ada)], me: Ada.UserId);

        Assert.Equal([Joined(Carol), Left(Dan), Joined(Bob)], news);
        Assert.Equal([Ada, Bob, Carol], online.List);
        Assert.Equal([Ada, Dan], before); // a new list: a renderer holding the old one sees the change
        Assert.True(online.Contains(Bob.UserId));
        Assert.False(online.Contains(Dan.UserId));
    }

    [Fact]
    public void SomeoneWhoCameAndWent_IsNotListed_AndNothingThatIsNoNewsChangesTheList()
    {
        var online = new OnlinePeople();
        online.Reset([Ada]);
        var before = online.List;

        Assert.Null(online.Apply([Joined(Ada), Left(Bob)], me: Ada.UserId));
        Assert.Same(before, online.List);
        Assert.Equal([Joined(Bob), Left(Bob)], online.Apply([Joined(Bob), Left(Bob)], me: Ada.UserId));
        Assert.Equal([Ada], online.List);
    }

    [Fact]
    public void AThousandArrivalsInOneGo_AreMergedInOrder()
    {
        var online = new OnlinePeople();
        var everyone = Enumerable.Range(0, 2_000).Select(i => new Person($"user-{i}", $"P{i:0000}")).ToList();
        online.Reset(everyone.Where((_, i) => i % 2 == 0));

        online.Apply([.. everyone.Where((_, i) => i % 2 == 1).Reverse().Select(Joined)], me: null);

        Assert.Equal(everyone, online.List);
        Assert.Equal(2_000, online.Count);
    }

    [Fact]
    public void TabsThatListedTheSamePeople_ShareTheRosterADigestMakes_AndOnlyTheFirstWorksItOut()
    {
        var everyone = Enumerable.Range(0, 1_000).Select(i => new Person($"user-{i}", $"P{i:0000}")).ToList();
        // Welcomed at different moments: equal lists, different objects (as a thousand welcomes are).
        var tabs = Enumerable.Range(0, 3).Select(_ => new OnlinePeople()).ToList();
        foreach (var tab in tabs)
            tab.Reset(everyone.Take(900).ToList());
        var first = new PeopleChanged("/", [.. everyone.Skip(900).Take(50).Select(Joined)], null, DateTimeOffset.UnixEpoch);
        var second = new PeopleChanged("/", [.. everyone.Skip(950).Select(Joined), Left(everyone[0])], null, DateTimeOffset.UnixEpoch);

        Assert.All(tabs, tab => Assert.Equal(50, tab.Apply(first, me: "user-1")!.Count));
        // After the first digest, one roster for all: it is what each tab keeps (not a thousand people per tab).
        Assert.All(tabs, tab => Assert.Same(tabs[0].Current, tab.Current));

        Assert.Equal(51, tabs[0].Apply(second, me: "user-1")!.Count);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var news = tabs[1].Apply(second, me: "user-1");
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.Same(tabs[0].Current, tabs[1].Current);
        Assert.Equal(51, news!.Count);
        Assert.Equal([.. everyone.Skip(1)], tabs[1].List);
        // Taken as the first tab made it: no merge of a thousand people, no new list or set (those are tens of KB).
        Assert.InRange(allocated, 0, 1_024);
    }

    [Fact]
    public void ADigestSayingThisTabsOwnPersonLeft_LeavesThemListedInThisTab_ButNotInOthers()
    {
        var ada = new OnlinePeople();
        var bob = new OnlinePeople();
        ada.Reset([Ada, Bob]);
        bob.Reset([Ada, Bob]);
        var adaLeft = new PeopleChanged("/", [Left(Ada)], null, DateTimeOffset.UnixEpoch);

        Assert.Null(ada.Apply(adaLeft, me: Ada.UserId)); // a race with another tab of hers: this tab is online
        Assert.Equal([Left(Ada)], bob.Apply(adaLeft, me: Bob.UserId));

        Assert.Equal([Ada, Bob], ada.List);
        Assert.Equal([Bob], bob.List);
    }

    private static PresenceChange Joined(Person person) => new(person, Online: true);

    private static PresenceChange Left(Person person) => new(person, Online: false);
}
