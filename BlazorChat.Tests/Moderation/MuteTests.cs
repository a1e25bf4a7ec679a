using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Muting, on both paths (a tab's event, the service): an admin mutes everywhere, a private room's owner in that room;
/// a muted person's sends are refused with the reason and the time left, and nothing of them is stored; unmute ends it;
/// it is read from the store (a restarted service still knows); everyone else, and bad input, is refused and changes nothing.
/// </summary>
public sealed class MuteTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private readonly FakeAccessChecker _accounts = new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole);
    private readonly ManualTimeProvider _clock = new();
    private readonly TestChat _chat;
    private TestTab _root = null!;
    private TestTab _alice = null!;
    private TestTab _bob = null!;

    public MuteTests() => _chat = new TestChat(access: _accounts, time: _clock);

    public async Task InitializeAsync()
    {
        _root = await _chat.ConnectAsync(Root, "Root");
        _alice = await _chat.ConnectAsync("user-alice", "Alice");
        _bob = await _chat.ConnectAsync("user-bob", "Bob", user: TestChat.Principal("user-bob", ChatHandlers.AdminRole));
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    private ModerationService Moderation => _chat.Moderation!;

    private static Task<EventData?> MuteAsync(TestTab by, string userId, int minutes = 10, string? room = null, string? reason = "spam") =>
        by.SendAsync(ModerationEvents.Mute, new MuteRequest(room, userId, minutes, reason));

    private static Task<EventData?> SendAsync(TestTab tab, string room, string text) =>
        tab.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), room, text));

    private async Task<IReadOnlyList<string>> TextsAsync(string room) =>
        [.. Assert.IsType<HistoryPage>(await _alice.SendAsync(ChatEvents.History, new HistoryRequest(room))).Messages.Select(m => m.Text)];

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() => await _chat.AuditLog!.RecentAsync(100, AuditFilter.All);

    [Fact]
    public async Task Admin_MutesAPersonEverywhere_TheirSendsAreRefusedWithTheReasonAndTimeLeft_AndNothingIsStored_UntilItEnds()
    {
        Assert.IsType<MuteSet>(await MuteAsync(_root, _bob.UserId, 10, reason: "flooding"));

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => SendAsync(_bob, RoomNames.General, "still here"));
        Assert.Equal("You are muted for 10 more minutes: flooding", refused.Message);
        _clock.Advance(TimeSpan.FromSeconds(61));
        refused = await Assert.ThrowsAsync<ChatRefusedException>(() => SendAsync(_bob, RoomNames.General, "still here"));
        Assert.Equal("You are muted for 9 more minutes: flooding", refused.Message);
        await Assert.ThrowsAsync<ChatRefusedException>(() => _bob.SendDirectAsync(_alice, "psst"));
        await _alice.SendMessageAsync(RoomNames.General, "alice may talk");
        Assert.Equal(["alice may talk"], await TextsAsync(RoomNames.General));
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal((Root, AuditActions.Mute, _bob.UserId, "10 min, everywhere: flooding"), (entry.ActorId, entry.Action, entry.Target, entry.Reason));

        _clock.Advance(TimeSpan.FromMinutes(9));
        await _bob.SendMessageAsync(RoomNames.General, "back again");
    }

    [Fact]
    public async Task Unmute_LetsThemSendAtOnce_AndIsAudited()
    {
        await MuteAsync(_root, _bob.UserId);
        await Assert.ThrowsAsync<ChatRefusedException>(() => SendAsync(_bob, RoomNames.General, "x"));

        Assert.Equal(new MuteEnded(_bob.UserId, true), await _root.SendAsync(ModerationEvents.Unmute, new UnmuteRequest(null, _bob.UserId)));

        await _bob.SendMessageAsync(RoomNames.General, "free");
        Assert.Equal([AuditActions.Unmute, AuditActions.Mute], (await AuditAsync()).Select(e => e.Action));
    }

    [Fact]
    public async Task AMute_IsReadFromTheStore_SoAServiceStartedAfreshStillRefuses()
    {
        await Moderation.MuteAsync(TestChat.Principal(Root), ChatServer.MainNamespace, null, _bob.UserId, 10, "spam");

        var restarted = new ModerationService(_chat.Server, _chat.Store, _chat.Publisher, _chat.Rooms, _chat.AuditLog!, _chat.Mutes!, _accounts, _clock,
            NullLogger<ModerationService>.Instance);

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => restarted.EnsureNotMutedAsync(_bob.UserId, "/#general"));
        Assert.StartsWith("You are muted for 10 more minutes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAdmin_CraftedMuteOrUnmute_IsRefused_EvenWithAnAdminClaim_AndChangesNothing()
    {
        await Moderation.MuteAsync(TestChat.Principal(Root), ChatServer.MainNamespace, null, "user-carol", 10, "spam");
        var before = await AuditAsync();

        foreach (var tab in new[] { _alice, _bob })
        {
            var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => MuteAsync(tab, _alice.UserId));
            Assert.Equal(ModerationService.NotAllowed, refused.Message);
            await Assert.ThrowsAsync<ChatRefusedException>(() => tab.SendAsync(ModerationEvents.Unmute, new UnmuteRequest(null, "user-carol")));
        }
        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            Moderation.MuteAsync(TestChat.Principal("user-bob", ChatHandlers.AdminRole), ChatServer.MainNamespace, null, _alice.UserId, 10, "x"));

        await _alice.SendMessageAsync(RoomNames.General, "unmuted");
        Assert.Single(await _chat.Mutes!.ActiveAsync("user-carol", _clock.GetUtcNow()));
        Assert.Equal(before, await AuditAsync());
    }

    [Fact]
    public async Task PrivateRoomOwner_MutesInTheirRoomOnly_AndMayNotMuteEverywhere_NorMayAMemberMute()
    {
        var room = Assert.IsType<PrivateRoomUpdated>(await _alice.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("plans"))).Room;
        await _alice.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, _bob.UserId));

        await Assert.ThrowsAsync<ChatRefusedException>(() => MuteAsync(_alice, _bob.UserId));
        await Assert.ThrowsAsync<ChatRefusedException>(() => MuteAsync(_bob, _alice.UserId, room: room.Id));
        await MuteAsync(_alice, _bob.UserId, 5, room.Id, "rude");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => SendAsync(_bob, room.Id, "in the room"));
        Assert.Equal("You are muted for 5 more minutes: rude", refused.Message);
        await _bob.SendMessageAsync(RoomNames.General, "elsewhere is fine");
        Assert.Empty(await TextsAsync(room.Id));
    }

    [Theory]
    [InlineData(0, "user-bob", null)]
    [InlineData(-5, "user-bob", null)]
    [InlineData(ModerationService.MaxMuteMinutes + 1, "user-bob", null)]
    [InlineData(10, " ", null)]
    [InlineData(10, "user-bob", "general")]
    [InlineData(10, "user-bob", "p.AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Admin_BadInput_IsRefusedWithAReason_AndChangesNothing(int minutes, string userId, string? room)
    {
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => MuteAsync(_root, userId, minutes, room));

        Assert.NotEqual(ModerationService.NotAllowed, refused.Message);
        Assert.Empty(await _chat.Mutes!.ActiveAsync("user-bob", _clock.GetUtcNow()));
        Assert.Empty(await AuditAsync());
        await _bob.SendMessageAsync(RoomNames.General, "not muted");
    }

    [Fact]
    public async Task Admin_AReasonTooLong_IsRefused_AndChangesNothing()
    {
        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            MuteAsync(_root, _bob.UserId, reason: new string('x', ModerationService.MaxReasonLength + 1)));

        Assert.Empty(await AuditAsync());
        await _bob.SendMessageAsync(RoomNames.General, "not muted");
    }

    [Theory]
    [InlineData(30, "You are muted for 30 more seconds: spam")]
    [InlineData(60, "You are muted for 1 more minute: spam")]
    [InlineData(119 * 60 + 1, "You are muted for 120 more minutes: spam")]
    [InlineData(3 * 3600, "You are muted for 3 more hours: spam")]
    public void Muted_SaysTheTimeLeftAsAPersonReadsIt(int seconds, string expected) =>
        Assert.Equal(expected, ModerationService.Muted(TimeSpan.FromSeconds(seconds), "spam"));
}
