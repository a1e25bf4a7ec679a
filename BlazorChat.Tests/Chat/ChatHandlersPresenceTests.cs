namespace BlazorChat.Tests.Chat;

/// <summary>
/// Who is online, per person and per namespace: the welcome, PersonJoined and PersonLeft. Events arrive on
/// per-connection pumps, so "did not receive X" is checked after a barrier has arrived at the same connection.
/// </summary>
public sealed class ChatHandlersPresenceTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task Welcome_IsTheFirstEventAndListsEachPersonOnceAndTheRooms()
    {
        await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "bob");
        await bob.JoinRoomAsync("design");

        var carol = await _chat.ConnectAsync("user-carol", "Carol");

        var events = await carol.Events.WaitUntilAsync(e => e.Count > 0, "the first event");
        var welcome = Assert.IsType<NamespaceWelcome>(events[0]);
        Assert.Equal(ChatServer.MainNamespace, welcome.Namespace);
        Assert.Equal(carol.Id, welcome.ConnectionId);
        Assert.Equal(new Person("user-carol", "Carol"), welcome.You);
        // Once per person however many tabs, ordered by name ignoring case.
        Assert.Equal([new Person("user-ada", "Ada"), new Person("user-bob", "bob"), new Person("user-carol", "Carol")], welcome.Online);
        Assert.Equal([new RoomSummary(RoomNames.General, 3), new RoomSummary("design", 1)], welcome.Rooms);
        Assert.Equal([RoomNames.General], welcome.Joined);
    }

    [Fact]
    public async Task Welcome_CountsAPersonWithSeveralTabsInARoomOnce_AndOrdersPeopleOfTheSameNameByTheirId()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-ada", "Ada");
        await ada.JoinRoomAsync("design");
        var zed = await _chat.ConnectAsync("user-zed", "ada");
        await zed.JoinRoomAsync("zeta");

        var other = await _chat.ConnectAsync("user-bea", "ADA");

        var welcome = await other.Events.WaitForAsync<NamespaceWelcome>();
        Assert.Equal(["user-ada", "user-bea", "user-zed"], welcome.Online.Select(p => p.UserId));
        Assert.Equal([new RoomSummary(RoomNames.General, 3), new RoomSummary("design", 1), new RoomSummary("zeta", 1)], welcome.Rooms);
    }

    [Fact]
    public async Task ANewcomerIsCountedOutsideThePresenceLock_AndADepartureToldMeanwhile_IsNotUndoneByTheirWelcome()
    {
        // A newcomer is counted outside the presence lock. Bob leaves while Carol's count is on its way, and his departure
        // is told at once (to Carol's tab too: it is in the namespace already). Her welcome, counted before, must not then
        // bring him back: it is counted again. (Were the count under the lock, the departure would wait for the welcome.)
        var adapters = new FetchHookAdapters();
        await using var chat = new TestChat(adapters: adapters);
        var alice = await chat.ConnectAsync("user-alice", "Alice");
        var bob = await chat.ConnectAsync("user-bob", "Bob");
        var toldDuringTheCount = false;
        adapters.OnNextCount(async () =>
        {
            var told = alice.Events.WaitForAsync<PersonLeft>();
            await Task.WhenAny(Task.WhenAll(bob.DisconnectAsync(), told), Task.Delay(TimeSpan.FromSeconds(2)));
            toldDuringTheCount = told.IsCompletedSuccessfully;
        });

        var carol = await chat.ConnectAsync("user-carol", "Carol");

        await TestChat.BarrierAsync(alice, carol);
        Assert.True(toldDuringTheCount, "Bob's departure waited for Carol's count");
        Assert.Equal(bob.Person, Assert.Single(alice.Events.OfType<PersonLeft>()).Person);
        // What Carol's tab shows: the welcome's list, then each change after it.
        var events = carol.Events.ChatEvents;
        var welcome = events.OfType<NamespaceWelcome>().Single();
        var online = welcome.Online.Select(p => p.UserId).ToHashSet();
        foreach (var change in events.Skip(events.ToList().IndexOf(welcome) + 1))
        {
            if (change is PersonJoined joined)
                online.Add(joined.Person.UserId);
            if (change is PersonLeft left)
                online.Remove(left.Person.UserId);
        }
        Assert.Equal(["user-alice", "user-carol"], online.Order());
    }

    [Fact]
    public async Task Welcomes_ListTheSamePersonObjects_NotACopyPerWelcome()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");

        var welcomes = await Task.WhenAll(new[] { bob, carol }.Select(t => t.Events.WaitForAsync<NamespaceWelcome>()));

        // In a namespace of a thousand, each welcome listing its own copies of everyone was a thousand copies per tab.
        var adaInBob = welcomes[0].Online.Single(p => p.UserId == "user-ada");
        var adaInCarol = welcomes[1].Online.Single(p => p.UserId == "user-ada");
        Assert.Same(adaInBob, adaInCarol);
        Assert.Same(welcomes[0].You, welcomes[1].Online.Single(p => p.UserId == "user-bob"));
        Assert.NotNull(ada);
    }

    [Fact]
    public async Task FirstTab_AnnouncesPersonJoinedToOthers_WhileTheirOwnWelcomeListsThemAlready()
    {
        var alice = await _chat.ConnectAsync("user-alice", "Alice");

        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        var joined = await alice.Events.WaitForAsync<PersonJoined>(j => j.Person != alice.Person);
        Assert.Equal(bob.Person, joined.Person);
        Assert.Equal(ChatServer.MainNamespace, joined.Namespace);
        // The news goes to the whole namespace at once (PresenceDigest); Bob's tab listed him from its welcome on, so
        // his own arrival adds nothing there (ChatView).
        Assert.Contains(bob.Person, (await bob.Events.WaitForAsync<NamespaceWelcome>()).Online);
    }

    [Fact]
    public async Task SecondTab_DoesNotAnnounceThePersonAgain()
    {
        var alice = await _chat.ConnectAsync("user-alice", "Alice");
        var bobTab1 = await _chat.ConnectAsync("user-bob", "Bob");

        var bobTab2 = await _chat.ConnectAsync("user-bob", "Bob");

        await TestChat.BarrierAsync(alice, bobTab1, bobTab2);
        Assert.Equal([alice.Person, bobTab1.Person], alice.Events.OfType<PersonJoined>().Select(j => j.Person));
        Assert.Equal([bobTab1.Person], bobTab1.Events.OfType<PersonJoined>().Select(j => j.Person));
        Assert.Empty(bobTab2.Events.OfType<PersonJoined>());
    }

    [Fact]
    public async Task PersonLeft_IsAnnouncedOnlyWhenTheLastTabLeaves()
    {
        var alice = await _chat.ConnectAsync("user-alice", "Alice");
        var bobTab1 = await _chat.ConnectAsync("user-bob", "Bob");
        var bobTab2 = await _chat.ConnectAsync("user-bob", "Bob");

        await bobTab1.DisconnectAsync();
        await alice.BarrierAsync();
        Assert.Empty(alice.Events.OfType<PersonLeft>());

        await bobTab2.DisconnectAsync();
        var left = await alice.Events.WaitForAsync<PersonLeft>();
        Assert.Equal(new Person("user-bob", "Bob"), left.Person);
        Assert.Equal(ChatServer.MainNamespace, left.Namespace);

        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        var welcome = await carol.Events.WaitForAsync<NamespaceWelcome>();
        Assert.DoesNotContain(welcome.Online, p => p.UserId == "user-bob");
    }

    [Fact]
    public async Task Disconnect_OfOneTab_UpdatesRoomCountsWithoutAnnouncingDeparture()
    {
        var alice = await _chat.ConnectAsync("user-alice", "Alice");
        await _chat.ConnectAsync("user-bob", "Bob");
        var bobTab2 = await _chat.ConnectAsync("user-bob", "Bob");
        await bobTab2.JoinRoomAsync("design");

        await bobTab2.DisconnectAsync();

        await alice.BarrierAsync();
        // Bob's first tab joined "design" with the second (one person across tabs): it stays, counted once, and so
        // does Bob in general; nobody is told he left.
        Assert.Equal([new RoomSummary(RoomNames.General, 2), new RoomSummary("design", 1)], alice.Events.OfType<RoomsChanged>().Last().Rooms);
        Assert.Empty(alice.Events.OfType<PersonLeft>());
    }
}
