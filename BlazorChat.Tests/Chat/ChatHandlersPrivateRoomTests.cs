namespace BlazorChat.Tests.Chat;

/// <summary>
/// Invite-only rooms, tried from every path an outsider has: the room list, member counts, joining by title or by id
/// (real or forged), history, mark-read, sending, typing, inviting and removing. An outsider learns nothing, and every
/// refusal about a real private room reads exactly like the one about a room that does not exist.
/// </summary>
public sealed class ChatHandlersPrivateRoomTests : IAsyncLifetime
{
    private const string ForgedId = "p.AAAAAAAAAAAAAAAAAAAAAA";
    private readonly TestChat _chat = new();
    private TestTab _alice = null!;
    private TestTab _bob = null!;
    private TestTab _carol = null!;

    public async Task InitializeAsync()
    {
        _alice = await _chat.ConnectAsync("user-alice", "Alice");
        _bob = await _chat.ConnectAsync("user-bob", "Bob");
        _carol = await _chat.ConnectAsync("user-carol", "Carol");
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    private async Task<PrivateRoomSummary> CreateAsync(TestTab owner, string title = "secret-plans") =>
        Assert.IsType<PrivateRoomUpdated>(await owner.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest(title))).Room;

    private static async Task<PrivateRoomSummary> InviteAsync(TestTab by, string room, TestTab who) =>
        Assert.IsType<PrivateRoomUpdated>(await by.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room, who.UserId))).Room;

    [Fact]
    public async Task Create_GivesAnUnguessableId_NotTheTitle_AndOnlyTheOwnerHearsOfIt()
    {
        var room = await CreateAsync(_alice);

        Assert.True(RoomNames.IsPrivateId(room.Id));
        Assert.DoesNotContain("secret", room.Id, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(room.Id, (await CreateAsync(_alice)).Id);
        Assert.Equal("secret-plans", room.Title);
        Assert.Equal([_alice.Person], room.Members);
        Assert.Contains(room.Id, _alice.Socket.Rooms);
        var told = await _alice.Events.WaitForAsync<PrivateRoomsChanged>(c => c.Rooms.Any(r => r.Id == room.Id));
        var mine = told.Rooms.Single(r => r.Id == room.Id);
        Assert.Equal((room.Title, room.OwnerId), (mine.Title, mine.OwnerId));
        Assert.Equal(room.Members, mine.Members);
        await TestChat.BarrierAsync(_bob, _carol);
        Assert.Empty(_bob.Events.OfType<PrivateRoomsChanged>());
        Assert.Empty(_carol.Events.OfType<PrivateRoomsChanged>());
    }

    [Fact]
    public async Task PrivateRoom_IsNeverInThePublicRoomList_NorCounted()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);
        await _carol.JoinRoomAsync("lobby"); // makes everyone get the room list again

        var list = await _carol.Events.WaitForAsync<RoomsChanged>(r => r.Rooms.Any(x => x.Name == "lobby"));
        Assert.DoesNotContain(list.Rooms, r => r.Name == room.Id || r.Name == room.Title);
        Assert.DoesNotContain(await ChatHandlers.RoomsAsync(_chat.Server.Main), r => r.Name == room.Id);
        Assert.DoesNotContain(_carol.Events.Events.OfType<RoomsChanged>().SelectMany(r => r.Rooms), r => r.Name == room.Id);
    }

    [Fact]
    public async Task Invite_PutsTheInviteeInAtOnce_AndTheySeeItAndItsMessages()
    {
        var room = await CreateAsync(_alice);

        var updated = await InviteAsync(_alice, room.Id, _bob);

        Assert.Equal([_alice.Person, _bob.Person], updated.Members);
        Assert.Contains(room.Id, _bob.Socket.Rooms);
        await _bob.Events.WaitForAsync<PrivateRoomsChanged>(c => c.Rooms.Any(r => r.Id == room.Id));
        var sent = await _alice.SendMessageAsync(room.Id, "for members only");
        await _bob.Events.WaitForMessageAsync("for members only");
        var history = Assert.IsType<HistoryPage>(await _bob.SendAsync(ChatEvents.History, new HistoryRequest(room.Id)));
        Assert.Equal([sent.Id], history.Messages.Select(m => m.Id));
        // Bob, a member, may invite too.
        await InviteAsync(_bob, room.Id, _carol);
        Assert.Contains(room.Id, _carol.Socket.Rooms);
    }

    [Fact]
    public async Task Outsider_EveryPath_IsRefusedLikeANonexistentRoom_AndReceivesNothing()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);
        await _alice.SendMessageAsync(room.Id, "secret message");
        await _alice.SendAsync(ChatEvents.Typing, new TypingRequest(room.Id, true));

        foreach (var id in new[] { room.Id, ForgedId })
        {
            var join = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.JoinRoom, new JoinRoomRequest(id)));
            Assert.Equal(PrivateRooms.NoSuchRoom, join.Message);
            var history = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.History, new HistoryRequest(id)));
            Assert.Equal("You cannot read that conversation.", history.Message);
            var catchUp = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.History, new HistoryRequest(id, After: 0)));
            Assert.Equal(history.Message, catchUp.Message);
            var read = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(id, 1)));
            Assert.Equal(history.Message, read.Message);
            var send = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendMessageAsync(id, "let me in"));
            Assert.Equal($"You are not in the room \"{id}\": join it first.", send.Message);
            Assert.Null(await _carol.SendAsync(ChatEvents.Typing, new TypingRequest(id, true)));
            var invite = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(id, _carol.UserId)));
            Assert.Equal(PrivateRooms.NoSuchRoom, invite.Message);
            var remove = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.RemoveFromRoom, new RemoveFromRoomRequest(id, _bob.UserId)));
            Assert.Equal(PrivateRooms.NoSuchRoom, remove.Message);
            var leave = await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.LeaveRoom, new LeaveRoomRequest(id)));
            Assert.Equal(PrivateRooms.NoSuchRoom, leave.Message);
        }

        // Joining by its title makes a public room of that name: a different, empty room.
        await _carol.JoinRoomAsync(room.Title);
        var page = Assert.IsType<HistoryPage>(await _carol.SendAsync(ChatEvents.History, new HistoryRequest(room.Title)));
        Assert.Empty(page.Messages);

        await _alice.SendMessageAsync(room.Id, "after the attempts");
        await _bob.Events.WaitForMessageAsync("after the attempts");
        await _carol.BarrierAsync();
        Assert.DoesNotContain(room.Id, _carol.Socket.Rooms);
        Assert.Empty(_carol.Events.Messages);
        Assert.Empty(_carol.Events.OfType<TypingChanged>());
        Assert.Empty(_carol.Events.OfType<PrivateRoomsChanged>());
        Assert.False(await _chat.Rooms.IsMemberAsync("/", room.Id, _carol.UserId));
        Assert.DoesNotContain(await _chat.Store.ConversationsOfAsync(_carol.UserId), p => p.Conversation.Contains(room.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outsider_ForcedIntoTheAdapterRoom_StillCannotReadOrSend_BecauseMembershipIsCheckedInTheStore()
    {
        var room = await CreateAsync(_alice);
        await _carol.Socket.JoinAsync(room.Id); // as if a bug put her tab in the room

        await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendAsync(ChatEvents.History, new HistoryRequest(room.Id)));
        await Assert.ThrowsAsync<ChatRefusedException>(() => _carol.SendMessageAsync(room.Id, "sneaky"));
    }

    [Fact]
    public async Task Remove_ByTheOwner_TakesTheMembersTabsOutAtOnce_AndTheirViewDropsTheRoom()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);
        var bobTab2 = await _chat.ConnectAsync("user-bob", "Bob");
        Assert.Contains(room.Id, bobTab2.Socket.Rooms);

        var updated = Assert.IsType<PrivateRoomUpdated>(await _alice.SendAsync(ChatEvents.RemoveFromRoom, new RemoveFromRoomRequest(room.Id, _bob.UserId))).Room;

        Assert.Equal([_alice.Person], updated.Members);
        Assert.DoesNotContain(room.Id, _bob.Socket.Rooms);
        Assert.DoesNotContain(room.Id, bobTab2.Socket.Rooms);
        await _bob.Events.WaitForAsync<PrivateRoomsChanged>(c => c.Rooms.Count == 0);
        await _alice.SendMessageAsync(room.Id, "bob is gone");
        await _alice.SendAsync(ChatEvents.Typing, new TypingRequest(room.Id, true));
        await TestChat.BarrierAsync(_bob, bobTab2);
        Assert.DoesNotContain(_bob.Events.Messages, m => m.Text == "bob is gone");
        Assert.Empty(_bob.Events.OfType<TypingChanged>());
        var history = await Assert.ThrowsAsync<ChatRefusedException>(() => _bob.SendAsync(ChatEvents.History, new HistoryRequest(room.Id)));
        Assert.Equal("You cannot read that conversation.", history.Message);
        Assert.Equal(PrivateRooms.NoSuchRoom,
            (await Assert.ThrowsAsync<ChatRefusedException>(() => _bob.SendAsync(ChatEvents.JoinRoom, new JoinRoomRequest(room.Id)))).Message);
        // A new tab of his is not put back in it.
        var bobTab3 = await _chat.ConnectAsync("user-bob", "Bob");
        var welcome = await bobTab3.Events.WaitForAsync<NamespaceWelcome>();
        Assert.DoesNotContain(room.Id, welcome.Joined);
        Assert.Empty(welcome.PrivateRooms ?? []);
    }

    [Fact]
    public async Task MemberList_ShowsTheNameAMemberUsesNow()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);
        await _bob.DisconnectAsync();

        var renamed = await _chat.ConnectAsync("user-bob", "Robert");
        var welcome = await renamed.Events.WaitForAsync<NamespaceWelcome>();

        Assert.Contains(new Person("user-bob", "Robert"), Assert.Single(welcome.PrivateRooms ?? []).Members);
    }

    [Fact]
    public async Task Remove_ByAMemberWhoIsNotTheOwner_IsRefused_AndChangesNothing()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);
        await InviteAsync(_alice, room.Id, _carol);

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            _bob.SendAsync(ChatEvents.RemoveFromRoom, new RemoveFromRoomRequest(room.Id, _carol.UserId)));

        Assert.Equal("Only the owner of secret-plans can remove members.", refused.Message);
        Assert.True(await _chat.Rooms.IsMemberAsync("/", room.Id, _carol.UserId));
        Assert.Contains(room.Id, _carol.Socket.Rooms);
    }

    [Fact]
    public async Task Leave_EndsTheMembership_ForAllTheirTabs_AndOthersSeeTheNewMemberList()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);

        var membership = Assert.IsType<RoomMembership>(await _bob.SendAsync(ChatEvents.LeaveRoom, new LeaveRoomRequest(room.Id)));

        Assert.DoesNotContain(room.Id, membership.Joined);
        Assert.False(await _chat.Rooms.IsMemberAsync("/", room.Id, _bob.UserId));
        var aliceSees = await _alice.Events.WaitForAsync<PrivateRoomsChanged>(c => c.Rooms.Any(r => r.Id == room.Id && r.Members.Count == 1));
        Assert.Equal([_alice.Person], aliceSees.Rooms.Single(r => r.Id == room.Id).Members);
    }

    [Fact]
    public async Task Leave_ByTheOwner_HandsTheRoomToAnotherMember_WhoCanThenRemove()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);
        await InviteAsync(_alice, room.Id, _carol);

        await _alice.SendAsync(ChatEvents.LeaveRoom, new LeaveRoomRequest(room.Id));

        Assert.Equal(_bob.UserId, (await _chat.Rooms.FindPrivateRoomAsync("/", room.Id))!.OwnerId);
        var updated = Assert.IsType<PrivateRoomUpdated>(await _bob.SendAsync(ChatEvents.RemoveFromRoom, new RemoveFromRoomRequest(room.Id, _carol.UserId))).Room;
        Assert.Equal([_bob.Person], updated.Members);
        Assert.Equal(_bob.UserId, updated.OwnerId);
    }

    [Fact]
    public async Task Invite_OfSomeoneUnknown_OrAlreadyAMember_IsRefusedWithAReason()
    {
        var room = await CreateAsync(_alice);
        await InviteAsync(_alice, room.Id, _bob);

        var unknown = await Assert.ThrowsAsync<ChatRefusedException>(() => _alice.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, "user-nobody")));
        var again = await Assert.ThrowsAsync<ChatRefusedException>(() => _alice.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, _bob.UserId)));

        Assert.Contains("nobody by that id", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("Bob is already a member of secret-plans.", again.Message);
    }

    [Fact]
    public async Task InviteeAway_SeesTheRoomOnTheirNextVisit_AndPublicRoomsComeBackToo()
    {
        var room = await CreateAsync(_alice);
        await _bob.JoinRoomAsync("design");
        await _bob.DisconnectAsync();
        await InviteAsync(_alice, room.Id, _bob); // seen here before, away now
        await _alice.SendMessageAsync(room.Id, "while you were away");

        var back = await _chat.ConnectAsync("user-bob", "Bob");
        var welcome = await back.Events.WaitForAsync<NamespaceWelcome>();

        Assert.Contains(room.Id, welcome.Joined);
        Assert.Contains("design", welcome.Joined);
        Assert.Equal(room.Title, Assert.Single(welcome.PrivateRooms ?? []).Title);
        var history = Assert.IsType<HistoryPage>(await back.SendAsync(ChatEvents.History, new HistoryRequest(room.Id)));
        Assert.Equal("while you were away", Assert.Single(history.Messages).Text);
    }

    [Fact]
    public async Task Create_WithAHostileTitle_IsRefused_AndNothingIsCreated()
    {
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            _alice.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("evil\u202Egnp")));

        Assert.Contains("invisible", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await _chat.Rooms.RoomsOfAsync("/", _alice.UserId));
    }
}
