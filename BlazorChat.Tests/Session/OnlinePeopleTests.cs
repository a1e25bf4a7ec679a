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

    private static PresenceChange Joined(Person person) => new(person, Online: true);

    private static PresenceChange Left(Person person) => new(person, Online: false);
}
