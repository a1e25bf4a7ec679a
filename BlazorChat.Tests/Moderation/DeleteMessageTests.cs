using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Removing a message, on both paths (a tab's event, the service the dashboard calls): who may (an admin anywhere, as the
/// account says now; a private room's owner in that room), what it does (every tab that shows it hears
/// <see cref="MessageRemoved"/>, history returns it removed, the audit log records it), and that everyone else, and any
/// bad input, is refused with a reason and changes nothing.
/// </summary>
public sealed class DeleteMessageTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private readonly FakeAccessChecker _accounts = new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole);
    private readonly TestChat _chat;
    private TestTab _root = null!;
    private TestTab _alice = null!;
    private TestTab _bob = null!;
    private TestTab _mallory = null!;

    public DeleteMessageTests() => _chat = new TestChat(access: _accounts);

    public async Task InitializeAsync()
    {
        // Root's claims say nothing of the role: only the account does.
        _root = await _chat.ConnectAsync(Root, "Root");
        _alice = await _chat.ConnectAsync("user-alice", "Alice");
        _bob = await _chat.ConnectAsync("user-bob", "Bob");
        _mallory = await _chat.ConnectAsync("user-mallory", "Mallory", user: TestChat.Principal("user-mallory", ChatHandlers.AdminRole));
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    private ModerationService Moderation => _chat.Moderation!;

    private static Task<EventData?> DeleteAsync(TestTab by, string conversation, Guid id, string? reason = "spam") =>
        by.SendAsync(ModerationEvents.DeleteMessage, new DeleteMessageRequest(conversation, id, reason));

    private async Task<IReadOnlyList<ChatMessage>> HistoryAsync(TestTab reader, string conversation) =>
        Assert.IsType<HistoryPage>(await reader.SendAsync(ChatEvents.History, new HistoryRequest(conversation))).Messages;

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() => await _chat.AuditLog!.RecentAsync(100, AuditFilter.All);

    private async Task AssertUntouchedAsync(string conversation, Guid id, string text, params TestTab[] readers)
    {
        var kept = (await HistoryAsync(_alice, conversation)).Single(m => m.Id == id);
        Assert.False(kept.Removed);
        Assert.Equal(text, kept.Text);
        Assert.Empty(await AuditAsync());
        await TestChat.BarrierAsync(readers);
        Assert.All(readers, r => Assert.Empty(r.Events.OfType<MessageRemoved>()));
    }

    [Fact]
    public async Task Admin_RemovesARoomMessage_EveryoneHearsIt_HistoryReturnsItRemoved_AndTheAuditLogRecordsIt()
    {
        var sent = await _bob.SendMessageAsync(RoomNames.General, "buy cheap pills");
        await _alice.Events.WaitForMessageAsync("buy cheap pills");

        var reply = await DeleteAsync(_root, RoomNames.General, sent.Id, "  spam  ");

        var expected = new MessageRemoved(RoomNames.General, sent.Id, sent.Sequence);
        Assert.Equal(expected, reply);
        foreach (var tab in new[] { _alice, _bob, _root })
            Assert.Equal(expected, await tab.Events.WaitForAsync<MessageRemoved>());
        var inHistory = (await HistoryAsync(_alice, RoomNames.General)).Single(m => m.Id == sent.Id);
        Assert.True(inHistory.Removed);
        Assert.Equal("", inHistory.Text);
        Assert.Equal(sent.Sequence, inHistory.Sequence);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal((Root, "Root", AuditActions.DeleteMessage, $"/#general/{sent.Id:D}", "spam"),
            (entry.ActorId, entry.ActorName, entry.Action, entry.Target, entry.Reason));
    }

    [Fact]
    public async Task Admin_RemovesAPrivateMessage_BothPeopleHearIt_AndNobodyElse()
    {
        var sent = await _alice.SendDirectAsync(_bob, "psst");

        await DeleteAsync(_root, RoomNames.DirectConversation(_alice.UserId, _bob.UserId), sent.Id);

        await _alice.Events.WaitForAsync<MessageRemoved>(r => r.Id == sent.Id);
        await _bob.Events.WaitForAsync<MessageRemoved>(r => r.Id == sent.Id);
        await TestChat.BarrierAsync(_mallory);
        Assert.Empty(_mallory.Events.OfType<MessageRemoved>());
    }

    [Fact]
    public async Task NonAdmin_CraftedEvent_IsRefused_EvenWithAnAdminClaim_AndChangesNothing()
    {
        var sent = await _bob.SendMessageAsync(RoomNames.General, "fine words");

        foreach (var tab in new[] { _alice, _bob, _mallory })
        {
            var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => DeleteAsync(tab, RoomNames.General, sent.Id));
            Assert.Equal(ModerationService.NotAllowed, refused.Message);
        }

        await AssertUntouchedAsync(RoomNames.General, sent.Id, "fine words", _alice, _bob);
    }

    [Fact]
    public async Task NonAdmin_ThroughTheService_IsRefused_AndAnAdminWhoseRoleWasRevokedToo()
    {
        var sent = await _bob.SendMessageAsync(RoomNames.General, "fine words");

        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.DeleteMessageAsync(
            TestChat.Principal("user-mallory", ChatHandlers.AdminRole), ChatServer.MainNamespace, RoomNames.General, sent.Id, "x"));
        _accounts.Revoke(Root, ChatHandlers.AdminRole);
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.DeleteMessageAsync(
            TestChat.Principal(Root), ChatServer.MainNamespace, RoomNames.General, sent.Id, "x"));
        await Assert.ThrowsAsync<ChatRefusedException>(() => DeleteAsync(_root, RoomNames.General, sent.Id));

        await AssertUntouchedAsync(RoomNames.General, sent.Id, "fine words", _alice, _bob);
    }

    [Fact]
    public async Task Admin_SignedOutSinceTheTabOpened_IsRefused()
    {
        var sent = await _bob.SendMessageAsync(RoomNames.General, "fine words");
        _accounts.SignOut(Root, raise: false);

        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.DeleteMessageAsync(
            TestChat.Principal(Root), ChatServer.MainNamespace, RoomNames.General, sent.Id, "x"));

        await AssertUntouchedAsync(RoomNames.General, sent.Id, "fine words", _alice, _bob);
    }

    [Fact]
    public async Task Admin_ThroughTheService_RemovesTheMessage_SignedWithTheirUserId()
    {
        var sent = await _bob.SendMessageAsync(RoomNames.General, "buy cheap pills");

        await Moderation.DeleteMessageAsync(TestChat.Principal(Root), ChatServer.MainNamespace, RoomNames.General, sent.Id, "spam");

        await _alice.Events.WaitForAsync<MessageRemoved>(r => r.Id == sent.Id);
        Assert.True((await HistoryAsync(_alice, RoomNames.General)).Single(m => m.Id == sent.Id).Removed);
        Assert.Equal(Root, Assert.Single(await AuditAsync()).ActorId);
    }

    [Fact]
    public async Task PrivateRoomOwner_RemovesAMessageInTheirRoom_ButAMemberMayNot_NorTheOwnerElsewhere()
    {
        var room = Assert.IsType<PrivateRoomUpdated>(await _alice.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("plans"))).Room;
        await _alice.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, _bob.UserId));
        var bobs = await _bob.SendMessageAsync(room.Id, "rude words");
        var inGeneral = await _bob.SendMessageAsync(RoomNames.General, "rude in general");

        await Assert.ThrowsAsync<ChatRefusedException>(() => DeleteAsync(_bob, room.Id, bobs.Id));
        await Assert.ThrowsAsync<ChatRefusedException>(() => DeleteAsync(_alice, RoomNames.General, inGeneral.Id));
        Assert.Empty(await AuditAsync());

        await DeleteAsync(_alice, room.Id, bobs.Id, "rude");

        await _bob.Events.WaitForAsync<MessageRemoved>(r => r.Id == bobs.Id);
        Assert.True((await HistoryAsync(_bob, room.Id)).Single(m => m.Id == bobs.Id).Removed);
        Assert.False((await HistoryAsync(_bob, RoomNames.General)).Single(m => m.Id == inGeneral.Id).Removed);
        Assert.Equal(_alice.UserId, Assert.Single(await AuditAsync()).ActorId);
    }

    [Fact]
    public async Task Admin_BadInput_IsRefusedWithAReason_AndChangesNothing()
    {
        var sent = await _bob.SendMessageAsync(RoomNames.General, "fine words");

        var unknown = await Assert.ThrowsAsync<ChatRefusedException>(() => DeleteAsync(_root, RoomNames.General, Guid.NewGuid()));
        Assert.Contains("no such message", unknown.Message, StringComparison.Ordinal);
        var elsewhere = await Assert.ThrowsAsync<ChatRefusedException>(() => DeleteAsync(_root, "random", sent.Id));
        Assert.Contains("no such message", elsewhere.Message, StringComparison.Ordinal);
        var wordy = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            DeleteAsync(_root, RoomNames.General, sent.Id, new string('x', ModerationService.MaxReasonLength + 1)));
        Assert.Contains("at most 500", wordy.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            Moderation.DeleteMessageAsync(TestChat.Principal(Root), "/nowhere", RoomNames.General, sent.Id, "x"));
        var notARequest = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            _root.SendAsync(ModerationEvents.DeleteMessage, new JoinRoomRequest("general")));
        Assert.Contains(nameof(DeleteMessageRequest), notARequest.Message, StringComparison.Ordinal);

        await AssertUntouchedAsync(RoomNames.General, sent.Id, "fine words", _alice, _bob);
    }
}
