using BlazorChat.Moderation;

namespace BlazorChat.Tests.Moderation;

/// <summary>
/// Disconnecting a connection or all of a person's, on both paths: admins only (the account now, not the claims), every
/// namespace, each tab told why; everyone else, and bad input, refused with nothing changed.
/// </summary>
public sealed class DisconnectTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private readonly FakeAccessChecker _accounts = new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole);
    private readonly TestChat _chat;
    private TestTab _root = null!;
    private TestTab _alice = null!;
    private TestTab _bob = null!;
    private TestTab _bobsOtherTab = null!;
    private TestTab _bobInATeamSpace = null!;

    public DisconnectTests() => _chat = new TestChat(access: _accounts);

    public async Task InitializeAsync()
    {
        _root = await _chat.ConnectAsync(Root, "Root");
        _alice = await _chat.ConnectAsync("user-alice", "Alice", user: TestChat.Principal("user-alice", ChatHandlers.AdminRole));
        _bob = await _chat.ConnectAsync("user-bob", "Bob");
        _bobsOtherTab = await _chat.ConnectAsync("user-bob", "Bob");
        _bobInATeamSpace = await _chat.ConnectAsync("user-bob", "Bob", "/tenant-acme");
    }

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    private static Task<EventData?> DisconnectAsync(TestTab by, string? connectionId, string? userId, string? reason = "spam") =>
        by.SendAsync(ModerationEvents.Disconnect, new DisconnectRequest(connectionId, userId, reason));

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() => await _chat.AuditLog!.RecentAsync(100, AuditFilter.All);

    private void AssertAllConnected() =>
        Assert.All(new[] { _root, _alice, _bob, _bobsOtherTab, _bobInATeamSpace }, t => Assert.True(t.Socket.Connected));

    [Fact]
    public async Task Admin_DisconnectsAPerson_EveryTabOfTheirsInEveryNamespaceEnds_AndIsToldWhy_AndItIsAudited()
    {
        Assert.Equal(new ConnectionsDisconnected(3), await DisconnectAsync(_root, null, "user-bob", "cool off"));

        foreach (var tab in new[] { _bob, _bobsOtherTab, _bobInATeamSpace })
        {
            Assert.False(tab.Socket.Connected);
            Assert.Equal("A moderator disconnected you: cool off", tab.Socket.DisconnectMessage);
            var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => tab.SendMessageAsync(RoomNames.General, "hello?"));
            Assert.Equal("A moderator disconnected you: cool off", refused.Message);
        }
        Assert.True(_alice.Socket.Connected);
        var entry = Assert.Single(await AuditAsync());
        Assert.Equal((Root, AuditActions.Disconnect, "user-bob", "cool off"), (entry.ActorId, entry.Action, entry.Target, entry.Reason));
    }

    [Fact]
    public async Task Admin_DisconnectsOneConnection_OnlyThatTabEnds()
    {
        await _chat.Moderation!.DisconnectAsync(TestChat.Principal(Root), _bob.Id, null, null);

        Assert.False(_bob.Socket.Connected);
        Assert.Equal("A moderator disconnected you.", _bob.Socket.DisconnectMessage);
        Assert.True(_bobsOtherTab.Socket.Connected);
        Assert.True(_bobInATeamSpace.Socket.Connected);
    }

    [Fact]
    public async Task NonAdmin_CraftedEventOrServiceCall_IsRefused_EvenWithAnAdminClaim_AndNobodyIsDisconnected()
    {
        foreach (var tab in new[] { _alice, _bob })
        {
            var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => DisconnectAsync(tab, null, "user-root"));
            Assert.Equal(ModerationService.NotAllowed, refused.Message);
        }
        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            _chat.Moderation!.DisconnectAsync(TestChat.Principal("user-alice", ChatHandlers.AdminRole), _bob.Id, null, "x"));

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
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => DisconnectAsync(_root, connectionId, userId));

        Assert.NotEqual(ModerationService.NotAllowed, refused.Message);
        AssertAllConnected();
        Assert.Empty(await AuditAsync());
    }
}
