using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Disconnecting a connection or all of a person's, on both paths: admins only (the account now, not the claims), every
/// namespace, each tab told why; everyone else, and bad input, refused with nothing changed.
/// </summary>
public sealed class DisconnectTests : ModeratedChatTests
{
    private static Task<EventData?> DisconnectAsync(TestTab by, string? connectionId, string? userId, string? reason = "spam") =>
        by.SendAsync(ModerationEvents.Disconnect, new DisconnectRequest(connectionId, userId, reason));

    private void AssertAllConnected() =>
        Assert.All(new[] { RootTab, Alice, Bob, BobsOtherTab, BobInATeamSpace }, t => Assert.True(t.Socket.Connected));

    [Fact]
    public async Task Admin_DisconnectsAPerson_EveryTabOfTheirsInEveryNamespaceEnds_AndIsToldWhy_AndItIsAudited()
    {
        Assert.Equal(new ConnectionsDisconnected(3), await DisconnectAsync(RootTab, null, "user-bob", "cool off"));

        foreach (var tab in new[] { Bob, BobsOtherTab, BobInATeamSpace })
        {
            Assert.False(tab.Socket.Connected);
            Assert.Equal("A moderator disconnected you: cool off", tab.Socket.DisconnectMessage);
            var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => tab.SendMessageAsync(RoomNames.General, "hello?"));
            Assert.Equal("A moderator disconnected you: cool off", refused.Message);
        }
        Assert.True(Alice.Socket.Connected);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal((Root, AuditActions.Disconnect, "user-bob", "cool off"), (entry.ActorId, entry.Action, entry.Target, entry.Reason));
    }

    [Fact]
    public async Task Admin_DisconnectsOneConnection_OnlyThatTabEnds()
    {
        await Chat.Moderation!.DisconnectAsync(TestChat.Principal(Root), Bob.Id, null, null);

        Assert.False(Bob.Socket.Connected);
        Assert.Equal("A moderator disconnected you.", Bob.Socket.DisconnectMessage);
        Assert.True(BobsOtherTab.Socket.Connected);
        Assert.True(BobInATeamSpace.Socket.Connected);
    }

    [Fact]
    public async Task NonAdmin_CraftedEventOrServiceCall_IsRefused_EvenWithAnAdminClaim_AndNobodyIsDisconnected()
    {
        foreach (var tab in new[] { Alice, Bob })
        {
            var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => DisconnectAsync(tab, null, "user-root"));
            Assert.Equal(ModerationService.NotAllowed, refused.Message);
        }
        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            Chat.Moderation!.DisconnectAsync(TestChat.Principal("user-alice", ChatHandlers.AdminRole), Bob.Id, null, "x"));

        AssertAllConnected();
        Assert.Empty(await AuditAsync());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("c.0000000000000000", "user-bob")]
    [InlineData("c.0000000000000000", null)]
    [InlineData(null, "user-nobody")]
    public async Task Admin_BadInput_IsRefusedWithAReason_AndNobodyIsDisconnected(string? connectionId, string? userId)
    {
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => DisconnectAsync(RootTab, connectionId, userId));

        Assert.NotEqual(ModerationService.NotAllowed, refused.Message);
        AssertAllConnected();
        Assert.Empty(await AuditAsync());
    }
}
