namespace BlazorChat.Tests.Realtime;

/// <summary>
/// The registry's verbs: connect, broadcast, send, disconnect. Deliveries arrive on per-connection background
/// pumps, so "did not receive X" is checked after a later barrier event has arrived at the same connection:
/// each connection receives in broadcast order, so anything sent before the barrier has arrived by then.
/// </summary>
public sealed class ChatRegistryTests
{
    private const string General = ChatRegistry.GeneralRoom;
    private const string BarrierText = "(barrier)";

    private readonly ChatRegistry _registry = new(NullLogger<ChatRegistry>.Instance, TimeProvider.System);

    [Fact]
    public async Task Broadcast_ToEveryone_ReachesEveryConnection()
    {
        var (_, alice) = Join("alice");
        var (_, bob) = Join("bob");
        var (_, carol) = Join("carol");

        _registry.Broadcast(Posted("hello all"), BroadcastTarget.Everyone);

        foreach (var receiver in new[] { alice, bob, carol })
            await receiver.WaitForMessageAsync("hello all");
    }

    [Fact]
    public async Task Broadcast_ToRoom_ReachesEveryMemberOfThatRoom()
    {
        var (_, alice) = Join("alice");
        var (_, bob) = Join("bob");

        _registry.Broadcast(Posted("to general"), BroadcastTarget.ToRooms(General));

        await alice.WaitForMessageAsync("to general");
        await bob.WaitForMessageAsync("to general");
    }

    [Fact]
    public async Task Broadcast_ExceptSender_DoesNotReachSender()
    {
        var (sender, senderEvents) = Join("alice");
        var (_, bob) = Join("bob");
        var (_, carol) = Join("carol");

        _registry.Broadcast(Posted("not for alice"), BroadcastTarget.ToRooms(General).Excluding(sender.Id));
        await BarrierAsync(senderEvents, bob, carol);

        await bob.WaitForMessageAsync("not for alice");
        await carol.WaitForMessageAsync("not for alice");
        Assert.DoesNotContain(senderEvents.Messages, m => m.Text == "not for alice");
    }

    [Fact]
    public async Task Broadcast_ToSeveralRooms_DeliversOncePerConnection()
    {
        var (aliceConnection, alice) = Join("alice");
        var (bobConnection, bob) = Join("bob");

        // Alice is in "general" and in her own-id room; both are targeted, she must still get one copy.
        _registry.Broadcast(Posted("once"), BroadcastTarget.ToRooms(General, aliceConnection.Id, bobConnection.Id));
        await BarrierAsync(alice, bob);

        Assert.Single(alice.Messages, m => m.Text == "once");
        Assert.Single(bob.Messages, m => m.Text == "once");
    }

    [Fact]
    public async Task Broadcast_ToOwnIdRoom_ReachesOnlyThatConnection()
    {
        var (aliceConnection, alice) = Join("alice");
        var (_, bob) = Join("bob");

        _registry.Broadcast(Posted("just alice"), BroadcastTarget.ToRooms(aliceConnection.Id));
        await BarrierAsync(alice, bob);

        Assert.Contains(alice.Messages, m => m.Text == "just alice");
        Assert.DoesNotContain(bob.Messages, m => m.Text == "just alice");
    }

    [Fact]
    public async Task Broadcast_AfterConnectionDisposed_DoesNotReachIt()
    {
        var (aliceConnection, alice) = Join("alice");
        var (_, bob) = Join("bob");

        aliceConnection.Dispose();
        _registry.Broadcast(Posted("after alice left"), BroadcastTarget.Everyone);
        var send = Record.Exception(() => aliceConnection.Send(General, "ghost"));
        await BarrierAsync(bob);

        Assert.IsType<ChatRefusedException>(send);
        await bob.WaitForMessageAsync("after alice left");
        Assert.DoesNotContain(alice.Messages, m => m.Text == "after alice left");
        Assert.DoesNotContain(bob.Messages, m => m.Text == "ghost");
    }

    [Fact]
    public async Task Disconnect_Twice_IsHarmless()
    {
        var (aliceConnection, _) = Join("alice");
        var (_, bob) = Join("bob");

        aliceConnection.Disconnect("first");
        aliceConnection.Dispose();
        _registry.Disconnect(aliceConnection.Id, "again");

        await bob.WaitUntilAsync(e => e.OfType<PersonLeft>().Any(), "alice's departure");
        await BarrierAsync(bob);
        Assert.Single(bob.Events.OfType<PersonLeft>());
        Assert.Equal(1, _registry.ConnectionCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Deliver_WhenOneSubscriberThrows_OthersAndItsOwnLaterEventsStillArrive(bool throwsSynchronously)
    {
        var broken = new EventRecorder();
        using var brokenConnection = _registry.Connect("broken", new Person("user-broken", "Broken"), evt =>
        {
            broken.Record(evt);
            var failure = new InvalidOperationException("subscriber bug");
            return throwsSynchronously ? throw failure : Task.FromException(failure);
        });
        var (_, alice) = Join("alice");

        _registry.Broadcast(Posted("first"), BroadcastTarget.Everyone);
        _registry.Broadcast(Posted("second"), BroadcastTarget.Everyone);

        await alice.WaitForMessageAsync("second");
        await broken.WaitForMessageAsync("second");
        Assert.Equal(["first", "second"], broken.Messages.Select(m => m.Text));
        Assert.Equal(["first", "second"], alice.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task Send_ReachesEveryoneInTheRoomIncludingTheSender()
    {
        var (aliceConnection, alice) = Join("alice");
        var (_, bob) = Join("bob");

        var sent = aliceConnection.Send(General, "  hi there  ");

        Assert.Equal("hi there", sent.Text);
        Assert.Equal(aliceConnection.Id, sent.SenderConnectionId);
        Assert.Equal(Person("alice"), sent.Sender);
        await alice.WaitForMessageAsync("hi there");
        var bobs = await bob.WaitForMessageAsync("hi there");
        Assert.Equal(sent, bobs.OfType<MessagePosted>().Single().Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t ")]
    public async Task Send_EmptyOrWhitespace_IsRefusedAndDeliversNothing(string text)
    {
        var (aliceConnection, alice) = Join("alice");
        var (_, bob) = Join("bob");

        Assert.Throws<ChatRefusedException>(() => aliceConnection.Send(General, text));
        await BarrierAsync(alice, bob);

        Assert.All([alice, bob], r => Assert.Equal([BarrierText], r.Messages.Select(m => m.Text)));
    }

    [Fact]
    public async Task Send_LongerThanLimit_IsRefusedAndDeliversNothing()
    {
        var (aliceConnection, alice) = Join("alice");
        var (_, bob) = Join("bob");

        var refused = Assert.Throws<ChatRefusedException>(() => aliceConnection.Send(General, new string('x', ChatRules.MaxMessageLength + 1)));
        await BarrierAsync(alice, bob);

        Assert.Contains("4,000", refused.Message, StringComparison.Ordinal);
        Assert.All([alice, bob], r => Assert.Equal([BarrierText], r.Messages.Select(m => m.Text)));
    }

    [Fact]
    public async Task Send_ExactlyAtLimit_IsDelivered()
    {
        var (aliceConnection, _) = Join("alice");
        var (_, bob) = Join("bob");
        var text = new string('x', ChatRules.MaxMessageLength);

        aliceConnection.Send(General, text);

        await bob.WaitForMessageAsync(text);
    }

    [Fact]
    public void Send_ToRoomTheSenderIsNotIn_IsRefused()
    {
        var (aliceConnection, _) = Join("alice");
        var (bobConnection, _) = Join("bob");

        Assert.Throws<ChatRefusedException>(() => aliceConnection.Send(bobConnection.Id, "sneaky"));
    }

    [Fact]
    public async Task Send_FromConcurrentSenders_ArrivesInTheSameOrderAtEveryReceiver()
    {
        const int senders = 4;
        const int perSender = 4000;
        const int perRound = 500;
        var senderConnections = Enumerable.Range(0, senders).Select(i => Join($"sender{i}").Connection).ToArray();
        var receivers = Enumerable.Range(0, 8).Select(i => Join($"receiver{i}").Events).ToArray();
        var senderIds = senderConnections.Select(c => c.Id).ToHashSet();

        // Dedicated threads, released together every round so they really overlap (on the thread pool, or once one
        // thread gets ahead, they may run one after another). The volume is what makes a registry that resolves or
        // enqueues outside its lock fail this test reliably, even on 2 cores.
        using var round = new Barrier(senders);
        var sending = senderConnections.Select(connection => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                if (i % perRound == 0)
                    round.SignalAndWait();
                connection.Send(General, $"{connection.Person.DisplayName}-{i}");
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(sending);
        await BarrierAsync(receivers);

        var sequences = new List<Guid[]>();
        foreach (var receiver in receivers)
        {
            var messages = receiver.Messages.Where(m => senderIds.Contains(m.SenderConnectionId)).ToList();
            Assert.Equal(senders * perSender, messages.Count);
            sequences.Add([.. messages.Select(m => m.Id)]);

            // Each sender's own messages also keep the order they were sent in.
            foreach (var connection in senderConnections)
            {
                var own = messages.Where(m => m.SenderConnectionId == connection.Id).Select(m => m.Text);
                Assert.Equal(Enumerable.Range(0, perSender).Select(i => $"{connection.Person.DisplayName}-{i}"), own);
            }
        }
        Assert.All(sequences, sequence => Assert.Equal(sequences[0], sequence));
    }

    [Fact]
    public async Task Connect_FirstEventIsWelcomeListingWhoIsOnline()
    {
        Join("alice");
        var (bobConnection, bob) = Join("bob");

        var events = await bob.WaitUntilAsync(e => e.Count > 0, "the first event");

        var welcome = Assert.IsType<Welcome>(events[0]);
        Assert.Equal(bobConnection.Id, welcome.ConnectionId);
        Assert.Equal(Person("bob"), welcome.You);
        Assert.Equal([Person("alice"), Person("bob")], welcome.Online);
    }

    [Fact]
    public async Task Connect_FirstTab_AnnouncesPersonJoinedToOthersButNotToItself()
    {
        var (_, alice) = Join("alice");
        var (_, bob) = Join("bob");

        var aliceEvents = await alice.WaitUntilAsync(e => e.OfType<PersonJoined>().Any(), "bob's arrival");
        await BarrierAsync(bob);

        var joined = Assert.Single(aliceEvents.OfType<PersonJoined>());
        Assert.Equal(Person("bob"), joined.Person);
        Assert.Equal(General, joined.Room);
        Assert.Empty(bob.Events.OfType<PersonJoined>());
    }

    [Fact]
    public async Task Connect_SecondTabOfSamePerson_DoesNotAnnounceAgain()
    {
        var (_, alice) = Join("alice");
        var (_, bobTab1) = Join("bob", "bob-tab-1");
        var (_, bobTab2) = Join("bob", "bob-tab-2");

        await BarrierAsync(alice, bobTab1, bobTab2);

        Assert.Single(alice.Events.OfType<PersonJoined>(), j => j.Person == Person("bob"));
        Assert.Empty(bobTab2.Events.OfType<PersonJoined>());
        Assert.Equal(3, _registry.ConnectionCount);
    }

    [Fact]
    public async Task Disconnect_PersonLeftOnlyWhenTheirLastTabLeaves()
    {
        var (_, alice) = Join("alice");
        var (bobTab1, _) = Join("bob", "bob-tab-1");
        var (bobTab2, _) = Join("bob", "bob-tab-2");

        bobTab1.Dispose();
        await BarrierAsync(alice);
        Assert.Empty(alice.Events.OfType<PersonLeft>());
        Assert.Contains(Person("bob"), _registry.Online);

        bobTab2.Dispose();
        var events = await alice.WaitUntilAsync(e => e.OfType<PersonLeft>().Any(), "bob's departure");
        Assert.Equal(Person("bob"), Assert.Single(events.OfType<PersonLeft>()).Person);
        Assert.DoesNotContain(Person("bob"), _registry.Online);
    }

    [Fact]
    public void Online_ListsEachPersonOnceOrderedByName()
    {
        Join("carol");
        Join("Bob", "bob-tab-1");
        Join("Bob", "bob-tab-2");
        Join("alice");

        Assert.Equal([Person("alice"), Person("Bob"), Person("carol")], _registry.Online);
        Assert.Equal(4, _registry.ConnectionCount);
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("alice")]
    [InlineData("ALICE")]
    public async Task Connect_NameTakenByAnotherOnlinePerson_IsRefusedIgnoringCase(string name)
    {
        var (_, alice) = Join("Alice");

        Assert.Throws<ChatRefusedException>(() =>
            _registry.Connect("impostor-tab", new Person("user-impostor", name), _ => Task.CompletedTask));
        await BarrierAsync(alice);

        Assert.Equal(1, _registry.ConnectionCount);
        Assert.Equal([Person("Alice")], _registry.Online);
        Assert.Empty(_registry.RoomsOf("impostor-tab"));
        Assert.DoesNotContain(alice.Events.OfType<PersonJoined>(), j => j.Person.UserId == "user-impostor");
    }

    [Fact]
    public void Connect_NameOfSomeoneWhoLeft_IsAllowed()
    {
        var (alice, _) = Join("alice");
        alice.Dispose();

        using var newcomer = _registry.Connect("new-tab", new Person("user-new", "alice"), _ => Task.CompletedTask);

        Assert.Equal([new Person("user-new", "alice")], _registry.Online);
    }

    [Theory]
    [InlineData("Bobby")]
    [InlineData("BOB")]
    public void Connect_SamePersonUnderAnotherNameInSecondTab_IsRefused(string otherName)
    {
        Join("Bob", "bob-tab-1");

        Assert.Throws<ChatRefusedException>(() =>
            _registry.Connect("bob-tab-2", new Person(UserId("Bob"), otherName), _ => Task.CompletedTask));

        Assert.Equal(1, _registry.ConnectionCount);
        Assert.Equal([Person("Bob")], _registry.Online);
    }

    [Fact]
    public void Connect_SameConnectionIdTwice_Throws()
    {
        Join("alice", "tab");

        Assert.Throws<InvalidOperationException>(() =>
            _registry.Connect("tab", new Person("user-other", "other"), _ => Task.CompletedTask));
    }

    [Fact]
    public void Connect_JoinsOwnIdRoomAndGeneral()
    {
        var (alice, _) = Join("alice");

        Assert.Equal(new HashSet<string> { alice.Id, General }, _registry.RoomsOf(alice.Id).ToHashSet());
        Assert.Equal([alice.Id], _registry.MembersOf(alice.Id));
        Assert.Equal([alice.Id], _registry.MembersOf(General));
    }

    [Fact]
    public void Disconnect_RemovesConnectionFromAllRoomsAndEmptyRoomsDisappear()
    {
        var (alice, _) = Join("alice");
        var (bob, _) = Join("bob");

        alice.Dispose();

        Assert.Empty(_registry.RoomsOf(alice.Id));
        Assert.Empty(_registry.MembersOf(alice.Id));
        Assert.Equal([bob.Id], _registry.MembersOf(General));
        Assert.Equal(1, _registry.ConnectionCount);

        bob.Dispose();

        Assert.Empty(_registry.MembersOf(bob.Id));
        Assert.Empty(_registry.MembersOf(General));
        Assert.Equal(0, _registry.ConnectionCount);
        Assert.Empty(_registry.Online);
    }

    private (ChatConnection Connection, EventRecorder Events) Join(string name, string? connectionId = null)
    {
        var events = new EventRecorder();
        var connection = _registry.Connect(connectionId ?? $"{name}-tab", Person(name), events.DeliverAsync);
        return (connection, events);
    }

    private static string UserId(string name) => $"user-{name.ToLowerInvariant()}";

    private static Person Person(string name) => new(UserId(name), name);

    private static MessagePosted Posted(string text) =>
        new(new ChatMessage(Guid.NewGuid(), General, "server", new Person("system", "System"), text, DateTimeOffset.UnixEpoch));

    /// <summary>Broadcasts a marker to everyone and waits until each given connection has it (and so everything before it).</summary>
    private async Task BarrierAsync(params EventRecorder[] receivers)
    {
        _registry.Broadcast(Posted(BarrierText), BroadcastTarget.Everyone);
        foreach (var receiver in receivers)
            await receiver.WaitForMessageAsync(BarrierText);
    }
}
