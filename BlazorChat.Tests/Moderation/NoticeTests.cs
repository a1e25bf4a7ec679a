using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// A system notice from the dashboard: admins only (the account now, not the claims); stored like a message (its
/// room's next sequence number, in order with people's messages, in history and catch-up), signed as the system, told
/// to the room's members, and recorded in the audit log and the live event log; bad input refused with nothing stored.
/// </summary>
public sealed class NoticeTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private readonly FakeAccessChecker _accounts = new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole);
    private readonly TestChat _chat;
    private TestTab _alice = null!;
    private TestTab _bob = null!;

    public NoticeTests() => _chat = new TestChat(access: _accounts);

    public async Task InitializeAsync()
    {
        _alice = await _chat.ConnectAsync("user-alice", "Alice");
        _bob = await _chat.ConnectAsync("user-bob", "Bob");
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    private ModerationService Moderation => _chat.Moderation!;

    private async Task<IReadOnlyList<ChatMessage>> HistoryAsync(TestTab reader, string conversation, long? after = null) =>
        Assert.IsType<HistoryPage>(await reader.SendAsync(ChatEvents.History, after is null
            ? new HistoryRequest(conversation) : new HistoryRequest(conversation, After: after))).Messages;

    [Fact]
    public async Task Admin_PostsANoticeToANamespace_ItGoesToGeneral_StoredInOrderWithMessages_SignedAsTheSystem()
    {
        var before = await _alice.SendMessageAsync(RoomNames.General, "first");

        var posted = await Moderation.PostNoticeAsync(TestChat.Principal(Root), ChatServer.MainNamespace, null, "  Maintenance at 22:00  ");
        var after = await _bob.SendMessageAsync(RoomNames.General, "third");

        Assert.Equal((ChatServer.MainNamespace, RoomNames.General, before.Sequence + 1), (posted.Namespace, posted.Room, posted.Sequence));
        Assert.Equal(posted.Sequence + 1, after.Sequence);
        foreach (var tab in new[] { _alice, _bob })
        {
            var seen = (await tab.Events.WaitForAsync<MessagePosted>(m => m.Message.Id == posted.Id)).Message;
            Assert.Equal((SystemSender.UserId, "Maintenance at 22:00", posted.Sequence), (seen.Sender.UserId, seen.Text, seen.Sequence));
            await tab.Events.WaitForMessageAsync("third");
            // Delivered in order: first, the notice, third.
            Assert.Equal(["first", "Maintenance at 22:00", "third"], tab.Events.Messages.Select(m => m.Text));
        }
        var history = await HistoryAsync(_bob, RoomNames.General);
        Assert.Equal(["first", "Maintenance at 22:00", "third"], history.Select(m => m.Text));
        Assert.Equal(SystemSender.UserId, history[1].Sender.UserId);
        // Catch-up (what follows a sequence) replays it too.
        Assert.Equal(posted.Id, (await HistoryAsync(_alice, RoomNames.General, before.Sequence))[0].Id);
        var entry = Assert.Single(await _chat.AuditLog!.RecentAsync(10, AuditFilter.All));
        Assert.Equal((Root, AuditActions.Notice, "/#general", "Maintenance at 22:00"), (entry.ActorId, entry.Action, entry.Target, entry.Reason));
        Assert.Contains(_chat.Events.Snapshot(), e => e.Kind == BlazorChat.Monitoring.ChatEventRing.AdminAction && e.PersonId == Root);
    }

    [Fact]
    public async Task Admin_PostsANoticeToARoom_OnlyItsMembersHearIt()
    {
        await _alice.JoinRoomAsync("design");

        var posted = await Moderation.PostNoticeAsync(TestChat.Principal(Root), ChatServer.MainNamespace, "#design", "Design review moved");

        Assert.Equal("design", posted.Room);
        await _alice.Events.WaitForAsync<MessagePosted>(m => m.Message.Id == posted.Id);
        await TestChat.BarrierAsync(_bob);
        Assert.DoesNotContain(_bob.Events.Messages, m => m.Id == posted.Id);
        Assert.Equal(posted.Id, Assert.Single(await HistoryAsync(_alice, "design")).Id);
    }

    [Fact]
    public async Task NonAdmin_IsRefused_EvenWithAnAdminClaim_OrOnceTheRoleIsRevoked_AndNothingIsStored()
    {
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.PostNoticeAsync(
            TestChat.Principal("user-mallory", ChatHandlers.AdminRole), ChatServer.MainNamespace, null, "hi"));
        _accounts.Revoke(Root, ChatHandlers.AdminRole);
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.PostNoticeAsync(
            TestChat.Principal(Root), ChatServer.MainNamespace, null, "hi"));
        Assert.Equal(ModerationService.NotAllowed, refused.Message);

        Assert.Empty(await HistoryAsync(_alice, RoomNames.General));
        Assert.Empty(await _chat.AuditLog!.RecentAsync(10, AuditFilter.All));
    }

    [Theory]
    [InlineData("/", null, "   ", "Type a message")]
    [InlineData("/", null, "a\u202Eb\u0000", null)]
    [InlineData("/nowhere", null, "hi", "no such namespace")]
    [InlineData("/", "bad room!", "hi", "room name")]
    [InlineData("/", "p.0123456789abcdefABCDEF", "hi", "private room")]
    public async Task BadInput_IsRefusedWithAReason_AndNothingIsStored(string @namespace, string? room, string text, string? reason)
    {
        if (reason is null)
        {
            // Hostile Unicode is cleaned as a message's would be: stored without the controls.
            var posted = await Moderation.PostNoticeAsync(TestChat.Principal(Root), @namespace, room, text);
            Assert.Equal("ab", (await HistoryAsync(_alice, RoomNames.General)).Single(m => m.Id == posted.Id).Text);
            return;
        }
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.PostNoticeAsync(TestChat.Principal(Root), @namespace, room, text));
        Assert.Contains(reason, refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await HistoryAsync(_alice, RoomNames.General));
        Assert.Empty(await _chat.AuditLog!.RecentAsync(10, AuditFilter.All));
    }

    [Fact]
    public async Task TooLong_IsRefused_ByTheMessageRules()
    {
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.PostNoticeAsync(TestChat.Principal(Root),
            ChatServer.MainNamespace, null, new string('x', ChatRules.MaxMessageLength + 1)));

        Assert.Equal(ChatRules.ValidateMessage(new string('x', ChatRules.MaxMessageLength + 1), out _), refused.Message);
    }
}
