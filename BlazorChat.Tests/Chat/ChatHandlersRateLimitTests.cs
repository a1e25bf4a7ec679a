namespace BlazorChat.Tests.Chat;

/// <summary>
/// Flood control through the handlers (<see cref="ChatRateLimiter"/>): per person, as the server authenticated them,
/// across their tabs and namespaces; what is refused is neither stored nor delivered; typing over the limit is dropped
/// without a word; room joins and private-room changes are limited too.
/// </summary>
public sealed class ChatHandlersRateLimitTests : IAsyncLifetime
{
    private static TokenBucketLimit Limit(int permits, TimeSpan period, int burst) => new() { Permits = permits, Period = period, Burst = burst };

    // Three messages, then one a minute; typing, joins and private-room changes the same: a test sees each refusal, and no refill during it.
    private static RateLimitOptions Tight() => new()
    {
        Messages = Limit(1, TimeSpan.FromMinutes(1), burst: 3),
        Typing = Limit(1, TimeSpan.FromMinutes(1), burst: 2),
        Joins = Limit(1, TimeSpan.FromMinutes(1), burst: 2),
        PrivateRooms = Limit(1, TimeSpan.FromMinutes(1), burst: 2),
    };

    private readonly RecordingObserver _observer = new();
    private readonly TestChat _chat;

    public ChatHandlersRateLimitTests() => _chat = new TestChat(rateLimits: Tight(), rateLimitObserver: _observer);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task APersonsTabs_ShareOneBucket_AndAMessageOverItIsRefusedWithTheTimeLeft_NotStored_NotDelivered()
    {
        var annTabs = new[] { await _chat.ConnectAsync("user-ann", "Ann"), await _chat.ConnectAsync("user-ann", "Ann"), await _chat.ConnectAsync("user-ann", "Ann") };
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        for (var i = 0; i < 3; i++)
            await annTabs[i].SendMessageAsync(RoomNames.General, $"tab {i + 1}");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => annTabs[0].SendMessageAsync(RoomNames.General, "one too many"));
        var refusedElsewhere = await Assert.ThrowsAsync<ChatRefusedException>(() => annTabs[2].SendMessageAsync(RoomNames.General, "from tab 3"));

        Assert.Equal("Slow down: you can send again in 60 s. This message was not sent.", refused.Message);
        Assert.Equal(refused.Message, refusedElsewhere.Message);
        var stored = await _chat.Store.ReadBeforeAsync(ChatHandlers.StoreKey("/", RoomNames.General), long.MaxValue, 100);
        Assert.Equal(["tab 1", "tab 2", "tab 3"], stored.Select(m => m.Text));
        await bob.BarrierAsync();
        Assert.Equal(["tab 1", "tab 2", "tab 3"], bob.Events.Messages.Select(m => m.Text));
        Assert.Equal([ChatRateLimiter.MessagesKind, ChatRateLimiter.MessagesKind], _observer.Kinds);
    }

    [Fact]
    public async Task AnotherPerson_IsNotSlowedDownBySomeoneFlooding()
    {
        var ann = await _chat.ConnectAsync("user-ann", "Ann");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        for (var i = 0; i < 3; i++)
            await ann.SendMessageAsync(RoomNames.General, $"ann {i}");
        await Assert.ThrowsAsync<ChatRefusedException>(() => ann.SendMessageAsync(RoomNames.General, "ann again"));

        for (var i = 0; i < 3; i++)
            await bob.SendMessageAsync(RoomNames.General, $"bob {i}");
    }

    [Fact]
    public async Task PrivateMessages_CountInTheSendersBucket_WhoeverTheyAreAddressedTo()
    {
        var ann = await _chat.ConnectAsync("user-ann", "Ann");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await ann.SendMessageAsync(RoomNames.General, "hello");
        await ann.SendDirectAsync(bob, "psst 1");
        await ann.SendDirectAsync(bob, "psst 2");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ann.SendDirectAsync(bob, "psst 3"));

        Assert.StartsWith("Slow down: you can send again in ", refused.Message, StringComparison.Ordinal);
        var stored = await _chat.Store.ReadBeforeAsync(ChatHandlers.StoreKey("/", RoomNames.DirectConversation("user-ann", "user-bob")), long.MaxValue, 100);
        Assert.Equal(["psst 1", "psst 2"], stored.Select(m => m.Text));
        await bob.BarrierAsync();
        Assert.Equal(["psst 1", "psst 2"], bob.Events.Directs.Select(m => m.Text));
        // The person named in the request (bob) keeps his own bucket: he may still send.
        await bob.SendDirectAsync(ann, "what?");
    }

    [Fact]
    public async Task OnePersonsBucket_CoversEveryNamespace()
    {
        var annMain = await _chat.ConnectAsync("user-ann", "Ann");
        var annTeam = await _chat.ConnectAsync("user-ann", "Ann", "/tenant-acme");
        await annMain.SendMessageAsync(RoomNames.General, "main 1");
        await annTeam.SendMessageAsync(RoomNames.General, "team 1");
        await annMain.SendMessageAsync(RoomNames.General, "main 2");

        await Assert.ThrowsAsync<ChatRefusedException>(() => annTeam.SendMessageAsync(RoomNames.General, "team 2"));

        var team = await _chat.Store.ReadBeforeAsync(ChatHandlers.StoreKey("/tenant-acme", RoomNames.General), long.MaxValue, 100);
        Assert.Equal(["team 1"], team.Select(m => m.Text));
    }

    [Fact]
    public async Task AnAdminsAnnouncements_CountAsTheirMessages()
    {
        var root = await _chat.ConnectAsync("user-root", "Root", ChatHandlers.AdminNamespace, TestChat.Principal("user-root", ChatHandlers.AdminRole));
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await root.SendMessageAsync(RoomNames.General, "in /admin");
        Assert.IsType<MessageAccepted>(await root.SendAsync(ChatHandlers.AnnounceEvent, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "notice 1")));
        Assert.IsType<MessageAccepted>(await root.SendAsync(ChatHandlers.AnnounceEvent, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "notice 2")));

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            root.SendAsync(ChatHandlers.AnnounceEvent, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "notice 3")));

        Assert.StartsWith("Slow down: you can send again in ", refused.Message, StringComparison.Ordinal);
        await bob.BarrierAsync();
        Assert.Equal(["notice 1", "notice 2"], bob.Events.OfType<AnnouncementPosted>().Select(a => a.Text));
    }

    [Fact]
    public async Task ThroughTheSession_TheBucketIsThePersonTheServerAuthenticated_ForAllTheirTabs()
    {
        // Who sends is the session's authentication state (the server's): nothing in a request names the sender.
        var annTabs = new[] { _chat.NewSession("user-ann"), _chat.NewSession("user-ann"), _chat.NewSession("user-ann") };
        var bob = _chat.NewSession("user-bob");
        foreach (var tab in annTabs)
            Assert.Null(await tab.JoinAsync("Ann"));
        Assert.Null(await bob.JoinAsync("Bob"));
        foreach (var tab in annTabs)
            Assert.Null((await tab.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "hi"))).Error);

        var (reply, error) = await annTabs[1].SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "more"));
        var (bobsReply, bobsError) = await bob.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "hi all"));

        Assert.Null(reply);
        Assert.Equal("Slow down: you can send again in 60 s. This message was not sent.", error);
        Assert.Null(bobsError);
        Assert.IsType<MessageAccepted>(bobsReply);
    }

    [Fact]
    public async Task Refill_LetsThePersonSendAgain()
    {
        await using var chat = new TestChat(rateLimits: new RateLimitOptions { Messages = Limit(5, TimeSpan.FromSeconds(1), burst: 1) });
        var ann = await chat.ConnectAsync("user-ann", "Ann");
        await ann.SendMessageAsync(RoomNames.General, "first");
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ann.SendMessageAsync(RoomNames.General, "too soon"));
        Assert.Equal("Slow down: you can send again in 1 s. This message was not sent.", refused.Message);

        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await ann.SendMessageAsync(RoomNames.General, "later");
                return true;
            }
            catch (ChatRefusedException)
            {
                return false;
            }
        });

        var stored = await chat.Store.ReadBeforeAsync(ChatHandlers.StoreKey("/", RoomNames.General), long.MaxValue, 100);
        Assert.Equal(["first", "later"], stored.Select(m => m.Text));
    }

    [Fact]
    public async Task Typing_OverTheLimit_IsDroppedWithoutAnError()
    {
        var ann = await _chat.ConnectAsync("user-ann", "Ann");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var toBob = bob.ProbeVolatile();
        await bob.BarrierAsync();

        // Each one arrives before the next is sent, so bob is idle and would be offered the next.
        for (var i = 1; i <= 2; i++)
        {
            Assert.Null(await ann.SendAsync(ChatEvents.Typing, new TypingRequest(RoomNames.General, IsTyping: i % 2 == 1)));
            await bob.Events.WaitUntilAsync(events => events.OfType<TypingChanged>().Count() == i, $"typing signal {i}");
        }
        Assert.Null(await ann.SendAsync(ChatEvents.Typing, new TypingRequest(RoomNames.General, IsTyping: true)));

        Assert.Equal(2, toBob.Offered);
        await bob.BarrierAsync();
        Assert.Equal(2, bob.Events.OfType<TypingChanged>().Count);
        Assert.Equal([ChatRateLimiter.TypingKind], _observer.Kinds);
    }

    [Fact]
    public async Task RoomJoins_OverTheLimit_AreRefusedWithTheTimeLeft_AndJoinNothing()
    {
        var annTab1 = await _chat.ConnectAsync("user-ann", "Ann");
        var annTab2 = await _chat.ConnectAsync("user-ann", "Ann");
        await annTab1.JoinRoomAsync("design");
        await annTab2.JoinRoomAsync("ops");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => annTab1.JoinRoomAsync("sales"));

        Assert.Equal("Slow down: you can join a room again in 60 s.", refused.Message);
        Assert.False(annTab1.Socket.IsIn("sales"));
        Assert.False(annTab2.Socket.IsIn("sales"));
        Assert.DoesNotContain("sales", await _chat.Rooms.RoomsOfAsync("/", "user-ann"));
        Assert.Equal([ChatRateLimiter.JoinsKind], _observer.Kinds);
    }

    [Fact]
    public async Task PrivateRoomChanges_CreateInviteAndRemove_ShareOneBucket_AndOverItNothingChanges()
    {
        var ann = await _chat.ConnectAsync("user-ann", "Ann");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await _chat.ConnectAsync("user-cat", "Cat");
        var plans = Assert.IsType<PrivateRoomUpdated>(await ann.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("plans"))).Room;
        await ann.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(plans.Id, "user-bob"));

        var create = await Assert.ThrowsAsync<ChatRefusedException>(() => ann.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("more-plans")));
        var invite = await Assert.ThrowsAsync<ChatRefusedException>(() => ann.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(plans.Id, "user-cat")));
        var remove = await Assert.ThrowsAsync<ChatRefusedException>(() => ann.SendAsync(ChatEvents.RemoveFromRoom, new RemoveFromRoomRequest(plans.Id, "user-bob")));

        Assert.Equal("Slow down: you can create a private room, invite or remove someone again in 60 s. Nothing was changed.", create.Message);
        Assert.Equal(create.Message, invite.Message);
        Assert.Equal(create.Message, remove.Message);
        Assert.Equal([plans.Id], (await _chat.Rooms.RoomsOfAsync("/", "user-ann")).Where(RoomNames.IsPrivateId));
        Assert.True(await _chat.Rooms.IsMemberAsync("/", plans.Id, "user-bob"));
        Assert.False(await _chat.Rooms.IsMemberAsync("/", plans.Id, "user-cat"));
        Assert.Equal(Enumerable.Repeat(ChatRateLimiter.PrivateRoomsKind, 3), _observer.Kinds);
        // Someone else's bucket is their own.
        Assert.IsType<PrivateRoomUpdated>(await bob.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("bobs-plans")));
    }

    [Fact]
    public async Task WithTheLimitsOff_AFloodIsAllStored()
    {
        await using var chat = new TestChat();
        var ann = await chat.ConnectAsync("user-ann", "Ann");

        for (var i = 0; i < 50; i++)
            await ann.SendMessageAsync(RoomNames.General, $"m{i}");

        Assert.Equal(50, (await chat.Store.ReadBeforeAsync(ChatHandlers.StoreKey("/", RoomNames.General), long.MaxValue, 100)).Count);
    }

    private sealed class RecordingObserver : IRateLimitObserver
    {
        private readonly List<string> _kinds = [];

        public IReadOnlyList<string> Kinds
        {
            get
            {
                lock (_kinds)
                    return [.. _kinds];
            }
        }

        public void RateLimitRefused(string kind)
        {
            lock (_kinds)
                _kinds.Add(kind);
        }
    }
}
