namespace BlazorChat.Tests.Chat;

/// <summary>
/// A welcome's count of the namespace, made once per presence digest and shared by the arrivals until the next
/// (SharedHeadcount), with what this node heard since applied (Headcount.For): joining a namespace of N no longer counts
/// all N at each arrival, and a welcome still lists everyone there.
/// </summary>
public sealed class SharedHeadcountTests
{
    private static readonly TimeSpan LongWindow = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ArrivalsWithinOneWindow_ShareOneCount_AndEachWelcomeListsWhoCameAndWentSince()
    {
        var adapters = new FetchHookAdapters();
        await using var chat = new TestChat(adapters: adapters, presenceWindow: LongWindow);
        var ada = await chat.ConnectAsync("user-ada", "Ada");
        await ada.Events.WaitForAsync<PeopleChanged>(); // her arrival, told at once: the window starts, nothing more is told in it
        var before = adapters.Counts;

        // Each welcome awaited before the next step (a tab's events come through its own pump; one that has gone may not get them).
        async Task<NamespaceWelcome> WelcomeOf(TestTab tab) => await tab.Events.WaitForAsync<NamespaceWelcome>();
        var bob = await chat.ConnectAsync("user-bob", "Bob");
        var welcomes = new List<NamespaceWelcome> { await WelcomeOf(bob) };
        welcomes.Add(await WelcomeOf(await chat.ConnectAsync("user-carol", "Carol")));
        await bob.DisconnectAsync();
        welcomes.Add(await WelcomeOf(await chat.ConnectAsync("user-dave", "dave")));
        await WelcomeOf(await chat.ConnectAsync("user-ada", "Ada")); // her second tab

        // Bob's arrival counted the namespace; Carol, Dave and Ada's second tab took that count.
        Assert.Equal(1, adapters.Counts - before);
        Assert.Equal(["user-ada", "user-bob"], welcomes[0].Online.Select(p => p.UserId));
        // Carol was not in the count: listed among them in order, and counted in the room she joined.
        Assert.Equal(["user-ada", "user-bob", "user-carol"], welcomes[1].Online.Select(p => p.UserId));
        Assert.Equal([new RoomSummary(RoomNames.General, 3)], welcomes[1].Rooms);
        // Bob left and Carol came since the count (both in the digest being gathered), and Dave is listed by his name.
        Assert.Equal(["user-ada", "user-carol", "user-dave"], welcomes[2].Online.Select(p => p.UserId));
        Assert.Same(welcomes[0].Online.Single(p => p.UserId == "user-ada"), welcomes[2].Online.Single(p => p.UserId == "user-ada"));
    }

    [Fact]
    public async Task AfterADigestGoesOut_TheNextArrivalCountsAgain()
    {
        var adapters = new FetchHookAdapters();
        await using var chat = new TestChat(adapters: adapters, presenceWindow: TimeSpan.FromMilliseconds(200));
        var ada = await chat.ConnectAsync("user-ada", "Ada");
        await ada.Events.WaitForAsync<PeopleChanged>();
        var bob = await chat.ConnectAsync("user-bob", "Bob"); // counts, and his count is kept
        await ada.Events.WaitForAsync<PeopleChanged>(d => d.Changes.Any(c => c.Person.UserId == "user-bob"));
        // A room's count changes with no one coming or going: nothing of it is in the next digest's arrivals and
        // departures, so only a new count can show it.
        await bob.JoinRoomAsync("design");
        await ada.Events.WaitForAsync<PeopleChanged>(d => d.Rooms?.Any(r => r.Name == "design") == true);
        var before = adapters.Counts;

        var carol = await chat.ConnectAsync("user-carol", "Carol");

        // Counted after the digests that told Bob and his room: Bob's kept count would have left the room out.
        var welcome = await carol.Events.WaitForAsync<NamespaceWelcome>();
        Assert.True(adapters.Counts > before, "Carol's welcome took the count made before the last digest");
        Assert.Equal(["user-ada", "user-bob", "user-carol"], welcome.Online.Select(p => p.UserId));
        Assert.Equal([new RoomSummary(RoomNames.General, 3), new RoomSummary("design", 1)], welcome.Rooms);
    }

    [Fact]
    public async Task OnANodeOfACluster_EachWelcomeCountsAnew()
    {
        // Arrivals on other nodes are told by those nodes, not gathered in this node's digest: a count shared here would
        // miss them.
        var adapters = new FetchHookAdapters(singleNode: false);
        await using var chat = new TestChat(adapters: adapters, presenceWindow: LongWindow);
        var ada = await chat.ConnectAsync("user-ada", "Ada");
        await ada.Events.WaitForAsync<PeopleChanged>();
        var before = adapters.Counts;

        foreach (var name in new[] { "Bob", "Carol", "Dave" })
            await (await chat.ConnectAsync($"user-{name.ToLowerInvariant()}", name)).Events.WaitForAsync<NamespaceWelcome>();

        Assert.Equal(3, adapters.Counts - before);
    }

    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Carol = new("user-carol", "Carol");
    private static readonly Person Dave = new("user-dave", "dave");

    private static Headcount CountOf(params Person[] people) =>
        new([.. people.Order(PeopleOrder.ByNameThenId)], people.ToDictionary(p => p.UserId),
            [new RoomSummary(RoomNames.General, people.Length), new RoomSummary("design", 1)], people.Length);

    [Fact]
    public void AWelcomeOfSomeoneCounted_WithNothingSince_SharesTheCountsLists()
    {
        var count = CountOf(Ada, Bob);

        var (people, rooms) = count.For([], Bob, [RoomNames.General]);

        Assert.Same(count.People, people);
        Assert.Same(count.Rooms, rooms);
    }

    [Fact]
    public void ANewcomer_IsListedInOrder_AndCountedInTheirListedRooms_NewOnesIncluded()
    {
        var count = CountOf(Ada, Dave);

        var (people, rooms) = count.For([], Carol, [RoomNames.General, "zeta", "design", ChatNamespace.UserRoomOf("user-x")]);

        Assert.Equal([Ada, Carol, Dave], people);
        Assert.Equal([new RoomSummary(RoomNames.General, 3), new RoomSummary("design", 2), new RoomSummary("zeta", 1)], rooms);
        Assert.Equal([Ada, Dave], count.People); // the shared count is not changed
    }

    [Fact]
    public void ChangesSinceTheCount_AreAppliedInOrder()
    {
        var count = CountOf(Ada, Bob, Dave);
        var bobRenamed = new Person("user-bob", "Zed"); // his departure named as he is now, listed as he was

        var (people, _) = count.For(
            [new(Carol, Online: true), new(bobRenamed, Online: false), new(Carol, Online: false), new(Carol, Online: true), new(Ada, Online: true)],
            Dave, [RoomNames.General]);

        Assert.Equal([Ada, Carol, Dave], people);
    }
}
