namespace BlazorChat.Tests.Chat;

/// <summary>
/// Authorization at every operation: "/admin" asks the access checker (the account, not the circuit's claims) when a
/// connection enters, before every event it sends, and whenever the checker says a person's access changed. A revoked
/// role or a sign-out takes effect at once, without a restart, and the connection receives nothing more.
/// </summary>
public sealed class ChatHandlersAccessTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private readonly FakeAccessChecker _accounts = new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole);
    private readonly TestChat _chat;

    public ChatHandlersAccessTests() => _chat = new TestChat(access: _accounts);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    // Each operation a client can send in "/admin", with a valid payload.
    public static TheoryData<string> AdminOperations =>
    [
        ChatEvents.JoinRoom, ChatEvents.LeaveRoom, ChatEvents.SendMessage, ChatEvents.SendDirect, ChatEvents.Typing,
        ChatEvents.History, ChatEvents.MarkRead, ChatHandlers.AnnounceEvent, ChatEvents.CreatePrivateRoom,
        ChatEvents.InviteToRoom, ChatEvents.RemoveFromRoom,
    ];

    private static ChatEvent PayloadOf(string operation) => operation switch
    {
        ChatEvents.JoinRoom => new JoinRoomRequest("ops"),
        ChatEvents.LeaveRoom => new LeaveRoomRequest(RoomNames.General),
        ChatEvents.SendMessage or ChatHandlers.AnnounceEvent => new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "hello"),
        ChatEvents.SendDirect => new SendDirectRequest(Guid.NewGuid(), "user-ada", "hello"),
        ChatEvents.Typing => new TypingRequest(RoomNames.General, true),
        ChatEvents.History => new HistoryRequest(RoomNames.General),
        ChatEvents.MarkRead => new MarkReadRequest(RoomNames.General, 1),
        ChatEvents.CreatePrivateRoom => new CreatePrivateRoomRequest("secret"),
        ChatEvents.InviteToRoom => new InviteToRoomRequest("p.AAAAAAAAAAAAAAAAAAAAAA", "user-ada"),
        ChatEvents.RemoveFromRoom => new RemoveFromRoomRequest("p.AAAAAAAAAAAAAAAAAAAAAA", "user-ada"),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    [Fact]
    public async Task Admin_Connect_AsksTheAccessChecker_NotTheClaims()
    {
        // Claims say admin; the account does not.
        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() =>
            _chat.ConnectAsync("user-eve", "Eve", ChatHandlers.AdminNamespace, TestChat.Principal("user-eve", ChatHandlers.AdminRole)));

        Assert.Contains("Only administrators may enter /admin", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, _chat.Server.Of(ChatHandlers.AdminNamespace).ConnectionCount);
        // The account says admin, the claims do not.
        var root = await _chat.ConnectAsync(Root, "Root", ChatHandlers.AdminNamespace, TestChat.Principal(Root));
        Assert.True(root.Socket.Connected);
    }

    [Theory]
    [MemberData(nameof(AdminOperations))]
    public async Task Admin_EveryOperation_AfterTheRoleWasRevoked_IsRefusedWithAReason_AndTheConnectionLeaves(string operation)
    {
        _accounts.Grant("user-ada", ChatHandlers.AdminRole);
        var root = await _chat.ConnectAsync(Root, "Root", ChatHandlers.AdminNamespace);
        var other = await _chat.ConnectAsync("user-ada", "Ada", ChatHandlers.AdminNamespace);
        await root.Events.WaitForAsync<NamespaceWelcome>();

        _accounts.Revoke(Root, ChatHandlers.AdminRole);
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => root.SendAsync(operation, PayloadOf(operation)));

        Assert.Contains("no longer has the admin role", refused.Message, StringComparison.Ordinal);
        Assert.False(root.Socket.Connected);
        Assert.Empty(root.Socket.Rooms);
        Assert.DoesNotContain(_chat.Server.Of(ChatHandlers.AdminNamespace).Connections, s => s.UserId == Root);
        // The others see them gone, and the refused event did nothing.
        await other.Events.WaitForAsync<PersonLeft>(p => p.Person.UserId == Root);
        await other.BarrierAsync();
        Assert.Empty(other.Events.Messages);
        Assert.Empty(other.Events.OfType<AnnouncementPosted>());
    }

    [Fact]
    public async Task Admin_RoleRevokedWithANotice_DisconnectsAtOnce_AndNothingMoreIsDelivered()
    {
        _accounts.Grant("user-ada", ChatHandlers.AdminRole);
        var root = await _chat.ConnectAsync(Root, "Root", ChatHandlers.AdminNamespace);
        var rootInMain = await _chat.ConnectAsync(Root, "Root");
        var ada = await _chat.ConnectAsync("user-ada", "Ada", ChatHandlers.AdminNamespace);
        await root.Events.WaitForAsync<NamespaceWelcome>();

        _accounts.Revoke(Root, ChatHandlers.AdminRole);
        _accounts.Notify(Root);
        await ada.Events.WaitForAsync<PersonLeft>(p => p.Person.UserId == Root);

        Assert.False(root.Socket.Connected);
        // Whatever the tab tries next says why.
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => root.SendMessageAsync(RoomNames.General, "hello?"));
        Assert.Contains("no longer has the admin role", refused.Message, StringComparison.Ordinal);
        var before = root.Events.Events.Count;
        await ada.SendMessageAsync(RoomNames.General, "admins only");
        await ada.SendAsync(ChatEvents.Typing, new TypingRequest(RoomNames.General, true));
        await ada.JoinRoomAsync("ops");
        await ada.BarrierAsync();
        Assert.Equal(before, root.Events.Events.Count);
        // "/" requires no role: the same person stays connected there.
        Assert.True(rootInMain.Socket.Connected);
    }

    [Fact]
    public async Task Admin_NoticeForSomeoneStillAdmitted_ChangesNothing()
    {
        var root = await _chat.ConnectAsync(Root, "Root", ChatHandlers.AdminNamespace);

        await _chat.Guard.RecheckUserAsync(Root);

        Assert.True(root.Socket.Connected);
        await root.SendMessageAsync(RoomNames.General, "still here");
    }

    [Fact]
    public async Task AnyNamespace_SignedOut_IsRefusedAtTheNextOperation_AndDisconnectedOnNotice()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        _accounts.SignOut("user-ada", raise: false);
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync(RoomNames.General, "hi"));
        Assert.Contains("signed out", refused.Message, StringComparison.Ordinal);
        Assert.False(ada.Socket.Connected);

        _accounts.SignOut("user-bob", raise: false);
        await _chat.Guard.RecheckUserAsync("user-bob");
        Assert.False(bob.Socket.Connected);
        await Assert.ThrowsAsync<ConnectRefusedException>(() => _chat.ConnectAsync("user-bob", "Bob"));
    }

    [Fact]
    public async Task AccessGuard_ListensToTheChecker_AndStopsWhenDisposed()
    {
        Assert.Equal(1, _accounts.SubscriberCount);
        _chat.Guard.Dispose();
        Assert.Equal(0, _accounts.SubscriberCount);
    }
}
