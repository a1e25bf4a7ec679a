using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Making a connection, or all of a person's, join or leave a room from the dashboard: admins only (the account now);
/// the tabs are told (their room list follows, with a line saying why), everyone's room counts follow, a person's
/// membership outlives the tab, the audit log records it; private rooms and bad input refused with nothing changed.
/// </summary>
public sealed class RoomMembershipTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private readonly FakeAccessChecker _accounts = new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole);
    private readonly TestChat _chat;
    private TestTab _alice = null!;
    private TestTab _bob = null!;
    private TestTab _bobsOtherTab = null!;

    public RoomMembershipTests() => _chat = new TestChat(access: _accounts);

    public async Task InitializeAsync()
    {
        _alice = await _chat.ConnectAsync("user-alice", "Alice");
        _bob = await _chat.ConnectAsync("user-bob", "Bob");
        _bobsOtherTab = await _chat.ConnectAsync("user-bob", "Bob");
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    private ModerationService Moderation => _chat.Moderation!;

    private static System.Security.Claims.ClaimsPrincipal RootUser => TestChat.Principal(Root);

    [Fact]
    public async Task Admin_AddsAPerson_EveryTabOfTheirsJoins_IsTold_TheCountsFollow_AndTheMembershipIsKept()
    {
        var moved = await Moderation.AddToRoomAsync(RootUser, ChatServer.MainNamespace, "#Design", null, "user-bob", "standup");

        Assert.Equal(2, moved);
        foreach (var tab in new[] { _bob, _bobsOtherTab })
        {
            Assert.True(tab.Socket.IsIn("design"));
            var told = await tab.Events.WaitForAsync<RoomMovedByModerator>();
            Assert.Equal(new RoomMovedByModerator("design", true, "A moderator added you to #design. standup"), told);
        }
        Assert.False(_alice.Socket.IsIn("design"));
        var counts = await _alice.Events.WaitForAsync<RoomsChanged>(r => r.Rooms.Any(x => x.Name == "design"));
        Assert.Equal(1, counts.Rooms.Single(r => r.Name == "design").Members);
        Assert.True(await _chat.Rooms.IsMemberAsync(ChatServer.MainNamespace, "design", "user-bob"));
        // A new tab of theirs is in it from the start, as if they had joined it themselves.
        var later = await _chat.ConnectAsync("user-bob", "Bob");
        Assert.True(later.Socket.IsIn("design"));
        var entry = Assert.Single(await _chat.AuditLog!.RecentAsync(10, AuditFilter.All));
        Assert.Equal((AuditActions.AddToRoom, "user-bob", "/#design: standup"), (entry.Action, entry.Target, entry.Reason));
    }

    [Fact]
    public async Task Admin_AddsOneConnection_OnlyThatTabJoins_AndThenRemovesIt()
    {
        Assert.Equal(1, await Moderation.AddToRoomAsync(RootUser, ChatServer.MainNamespace, "design", _bob.Id, null, null));

        Assert.True(_bob.Socket.IsIn("design"));
        Assert.False(_bobsOtherTab.Socket.IsIn("design"));
        Assert.False(await _chat.Rooms.IsMemberAsync(ChatServer.MainNamespace, "design", "user-bob"));

        Assert.Equal(1, await Moderation.RemoveFromRoomAsync(RootUser, ChatServer.MainNamespace, "design", _bob.Id, null, "wrong room"));

        Assert.False(_bob.Socket.IsIn("design"));
        await _bob.Events.WaitForAsync<RoomMovedByModerator>(m => !m.Joined && m.Text == "A moderator removed you from #design. wrong room");
        await TestChat.BarrierAsync(_bobsOtherTab);
        Assert.Empty(_bobsOtherTab.Events.OfType<RoomMovedByModerator>());
    }

    [Fact]
    public async Task Admin_RemovesAPerson_FromARoomTheyJoined_TheirMembershipEnds()
    {
        await _bob.JoinRoomAsync("design");

        Assert.Equal(2, await Moderation.RemoveFromRoomAsync(RootUser, ChatServer.MainNamespace, "design", null, "user-bob", null));

        Assert.False(_bob.Socket.IsIn("design"));
        Assert.False(_bobsOtherTab.Socket.IsIn("design"));
        Assert.False(await _chat.Rooms.IsMemberAsync(ChatServer.MainNamespace, "design", "user-bob"));
        await _alice.Events.WaitForAsync<RoomsChanged>(r => r.Rooms.All(x => x.Name != "design"));
    }

    [Fact]
    public async Task NonAdmin_IsRefused_OnEveryPath_EvenWithAnAdminClaim_AndNothingChanges()
    {
        var mallory = TestChat.Principal("user-mallory", ChatHandlers.AdminRole);
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.AddToRoomAsync(mallory, "/", "design", null, "user-bob", null));
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.RemoveFromRoomAsync(mallory, "/", RoomNames.General, null, "user-bob", null));
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.AuditAsync(mallory, 0, 10));
        _accounts.Revoke(Root, ChatHandlers.AdminRole);
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.AddToRoomAsync(RootUser, "/", "design", null, "user-bob", null));
        Assert.Equal(ModerationService.NotAllowed, refused.Message);

        Assert.False(_bob.Socket.IsIn("design"));
        Assert.True(_bob.Socket.IsIn(RoomNames.General));
        Assert.Empty(await _chat.AuditLog!.RecentAsync(10, AuditFilter.All));
        await TestChat.BarrierAsync(_bob);
        Assert.Empty(_bob.Events.OfType<RoomMovedByModerator>());
    }

    [Fact]
    public async Task PrivateRooms_AreRefused_TheirOwnerInvitesAndRemoves()
    {
        var room = Assert.IsType<PrivateRoomUpdated>(await _alice.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("plans"))).Room;

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.AddToRoomAsync(RootUser, "/", room.Id, null, "user-bob", null));

        Assert.Contains("private room is its owner's", refused.Message, StringComparison.Ordinal);
        Assert.False(_bob.Socket.IsIn(room.Id));
        Assert.Empty(await _chat.AuditLog!.RecentAsync(10, AuditFilter.All));
    }

    [Theory]
    [InlineData("/", "design", null, null, "Name either one")]
    [InlineData("/", "design", "c.x", "user-bob", "Name either one")]
    [InlineData("/", "bad room!", null, "user-bob", "room name")]
    [InlineData("/nowhere", "design", null, "user-bob", "no such namespace")]
    [InlineData("/", "design", null, "user-nobody", "Nobody by that id")]
    [InlineData("/", "general", null, "user-bob", "in #general already")]
    public async Task BadInput_IsRefusedWithAReason_AndNothingChanges(string @namespace, string room, string? connectionId, string? userId, string reason)
    {
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            Moderation.AddToRoomAsync(RootUser, @namespace, room, connectionId, userId, null));

        Assert.Contains(reason, refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await _chat.AuditLog!.RecentAsync(10, AuditFilter.All));
        var notIn = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            Moderation.RemoveFromRoomAsync(RootUser, "/", "design", null, "user-bob", null));
        Assert.Contains("not in #design", notIn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAuditPage_IsNewestFirst_AndPages()
    {
        for (var i = 0; i < 5; i++)
            await Moderation.PostNoticeAsync(RootUser, "/", null, $"notice {i}");

        var first = await Moderation.AuditAsync(RootUser, 0, 2);
        var last = await Moderation.AuditAsync(RootUser, 4, 2);

        Assert.Equal(["notice 4", "notice 3"], first.Entries.Select(e => e.Reason));
        Assert.True(first.HasOlder);
        Assert.Equal(["notice 0"], last.Entries.Select(e => e.Reason));
        Assert.False(last.HasOlder);
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.AuditAsync(RootUser, -1, 2));
    }
}
