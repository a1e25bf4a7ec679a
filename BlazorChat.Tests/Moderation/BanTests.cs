using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Banning, on both paths (a tab's event, the service): admins only (the account now, not the claims); every tab of the
/// person ends and is told why; while it holds their connects and events are refused with the reason, the same guest
/// included; it is read from the store, timed or until lifted, audited; unban lets them back at once. Everyone else, and
/// bad input, is refused and changes nothing.
/// </summary>
public sealed class BanTests : ModeratedChatTests
{
    private const string Guest = "guest-0123456789abcdef0123456789abcdef";

    private static Task<EventData?> BanAsync(TestTab by, string userId, int? minutes = null, string? reason = "spam") =>
        by.SendAsync(ModerationEvents.Ban, new BanRequest(userId, minutes, reason));

    private Task<TestTab> ComeBackAsync(string userId = "user-bob", string @namespace = ChatServer.MainNamespace) =>
        Chat.ConnectAsync(userId, "Again", @namespace);

    [Fact]
    public async Task Admin_BansAPerson_EveryTabOfTheirsEnds_ToldWhy_TheirComebackIsRefused_AndItIsAudited()
    {
        var set = Assert.IsType<BanSet>(await BanAsync(RootTab, "user-bob", reason: "spam <b>links</b>"));
        Assert.Null(set.Ban.Until);

        foreach (var tab in new[] { Bob, BobsOtherTab, BobInATeamSpace })
        {
            Assert.False(tab.Socket.Connected);
            Assert.Equal("You are banned: spam <b>links</b>", tab.Socket.DisconnectMessage);
        }
        foreach (var ns in new[] { ChatServer.MainNamespace, "/tenant-acme" })
        {
            var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => ComeBackAsync(@namespace: ns));
            Assert.Equal("You are banned: spam <b>links</b>", refused.Message);
        }
        Assert.True(Alice.Socket.Connected);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal((Root, AuditActions.Ban, "user-bob", "until lifted: spam <b>links</b>"), (entry.ActorId, entry.Action, entry.Target, entry.Reason));
    }

    [Fact]
    public async Task ABannedGuest_MayNotComeBackWithTheSameIdentity_ButAnotherGuestMay()
    {
        var guest = await ComeBackAsync(Guest);

        await Moderation.BanAsync(TestChat.Principal(Root), Guest, 60, "trolling");

        Assert.False(guest.Socket.Connected);
        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => ComeBackAsync(Guest));
        Assert.Equal($"You are banned until {Clock.GetUtcNow().AddMinutes(60).UtcDateTime:yyyy-MM-dd HH:mm} UTC: trolling", refused.Message);
        Assert.True((await ComeBackAsync("guest-ffffffffffffffffffffffffffffffff")).Socket.Connected);
    }

    [Fact]
    public async Task ATimedBan_EndsByItself_AndUnban_LiftsAnotherAtOnce_Audited()
    {
        await BanAsync(RootTab, "user-bob", minutes: 10);
        await BanAsync(RootTab, "user-carol");
        Clock.Advance(TimeSpan.FromMinutes(9));
        await Assert.ThrowsAsync<ConnectRefusedException>(() => ComeBackAsync());

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await ComeBackAsync()).Socket.Connected);

        Assert.Equal(new BanLifted("user-carol", true), await RootTab.SendAsync(ModerationEvents.Unban, new UnbanRequest("user-carol")));
        Assert.True((await ComeBackAsync("user-carol")).Socket.Connected);
        Assert.Equal([AuditActions.Unban, AuditActions.Ban, AuditActions.Ban], (await AuditAsync()).Select(e => e.Action));
        Assert.Equal("10 min: spam", (await AuditAsync())[2].Reason);
    }

    [Fact]
    public async Task ABan_IsReadFromTheStore_SoAServiceStartedAfreshStillRefuses_AndSignInIsRefusedWithTheReason()
    {
        await Moderation.BanAsync(TestChat.Principal(Root), "user-bob", null, "spam");

        var restarted = new ModerationService(Chat.Server, Chat.Store, Chat.Publisher, Chat.Rooms, Chat.AuditLog!, Chat.Mutes!, Accounts, Clock,
            NullLogger<ModerationService>.Instance);

        Assert.Equal(new Ban("user-bob", null, "spam", Root), await restarted.FindBanAsync("user-bob"));
        Assert.Equal("You are banned: spam You may not sign in while it holds.", await restarted.RefusalAsync("user-bob"));
        Assert.Null(await restarted.RefusalAsync("user-alice"));
    }

    [Fact]
    public async Task ATabThatEnteredBeforeTheBan_IsRefusedItsNextEvent_AndEnds()
    {
        // As if the tab had entered on a node that had not heard of the ban yet: the store holds it, the tab is still in,
        // and then the node is told the person's restrictions changed (an unmute of theirs here makes it forget as well).
        await Chat.Mutes!.SetAsync(new Ban("user-bob", null, "spam", Root).AsMute());
        await Moderation.UnmuteAsync(TestChat.Principal(Root), ChatServer.MainNamespace, null, "user-bob");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => Bob.SendMessageAsync(RoomNames.General, "still here"));

        Assert.Equal("You are banned: spam", refused.Message);
        Assert.False(Bob.Socket.Connected);
    }

    [Fact]
    public async Task ABannedAdmin_HoldsNoRoleWhileItHolds_MayNotModerate_NorLiftTheirOwnBan()
    {
        const string Other = "user-other-admin";
        Accounts.Grant(Other, ChatHandlers.AdminRole);
        var other = TestChat.Principal(Other, ChatHandlers.AdminRole);
        var checker = new BanAwareAccessChecker(Accounts, Moderation);
        Assert.True(await checker.IsInRoleAsync(other, ChatHandlers.AdminRole));

        await Moderation.BanAsync(TestChat.Principal(Root), Other, null, "rogue");

        // Everything that asks the app's checker (the dashboard, the people page, /admin, the metrics scrape) hears no.
        Assert.False(await checker.IsInRoleAsync(other, ChatHandlers.AdminRole));
        Assert.True(await checker.IsStillSignedInAsync(other));
        Assert.True(await checker.IsInRoleAsync(TestChat.Principal(Root), ChatHandlers.AdminRole));
        // Moderation asks the accounts alone, and refuses the banned actor itself.
        var unban = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.UnbanAsync(other, Other));
        var ban = await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.BanAsync(other, "user-bob", null, "revenge"));
        Assert.Equal("You are banned: rogue", unban.Message);
        Assert.Equal(unban.Message, ban.Message);
        Assert.Equal("rogue", (await Moderation.FindBanAsync(Other))?.Reason);
        Assert.Null(await Moderation.FindBanAsync("user-bob"));

        await Moderation.UnbanAsync(TestChat.Principal(Root), Other);
        Assert.True(await checker.IsInRoleAsync(other, ChatHandlers.AdminRole));
    }

    [Fact]
    public async Task NonAdmin_CraftedBanOrUnban_IsRefused_EvenWithAnAdminClaim_AndChangesNothing()
    {
        await Moderation.BanAsync(TestChat.Principal(Root), "user-carol", null, "spam");
        var before = await AuditAsync();

        foreach (var tab in new[] { Alice, Bob })
        {
            var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => BanAsync(tab, Root));
            Assert.Equal(ModerationService.NotAllowed, refused.Message);
            refused = await Assert.ThrowsAsync<ChatRefusedException>(() => tab.SendAsync(ModerationEvents.Unban, new UnbanRequest("user-carol")));
            Assert.Equal(ModerationService.NotAllowed, refused.Message);
        }
        var alice = TestChat.Principal("user-alice", ChatHandlers.AdminRole);
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.BanAsync(alice, "user-bob", null, "x"));
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.UnbanAsync(alice, "user-carol"));
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.ActiveRestrictionsAsync(alice));
        Accounts.SignOut(Root, raise: false);
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.BanAsync(TestChat.Principal(Root), "user-bob", null, "x"));

        Assert.All(new[] { Bob, BobsOtherTab, BobInATeamSpace }, t => Assert.True(t.Socket.Connected));
        Assert.NotNull(await Moderation.FindBanAsync("user-carol"));
        Assert.Null(await Moderation.FindBanAsync(Root));
        Assert.Equal(before, await AuditAsync());
    }

    [Theory]
    [InlineData(" ", 10)]
    [InlineData("user-bob", 0)]
    [InlineData("user-bob", -1)]
    [InlineData("user-bob", ModerationService.MaxMuteMinutes + 1)]
    [InlineData(Root, null)]
    public async Task Admin_BadInput_IsRefusedWithAReason_AndChangesNothing(string userId, int? minutes)
    {
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => BanAsync(RootTab, userId, minutes));

        Assert.NotEqual(ModerationService.NotAllowed, refused.Message);
        await Assert.ThrowsAsync<ChatRefusedException>(() => BanAsync(RootTab, "user-bob", reason: new string('x', ModerationService.MaxReasonLength + 1)));
        Assert.All(new[] { RootTab, Bob, BobsOtherTab, BobInATeamSpace }, t => Assert.True(t.Socket.Connected));
        Assert.Empty((await Moderation.ActiveRestrictionsAsync(TestChat.Principal(Root))).Bans);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task ActiveRestrictions_ListsBansAndMutesApart_ForAnAdmin()
    {
        var admin = TestChat.Principal(Root);
        var ban = await Moderation.BanAsync(admin, "user-bob", 30, "spam");
        var mute = await Moderation.MuteAsync(admin, ChatServer.MainNamespace, null, "user-alice", 10, "loud");

        var active = await Moderation.ActiveRestrictionsAsync(admin);

        Assert.Equal([ban], active.Bans);
        Assert.Equal([mute], active.Mutes);
    }
}
