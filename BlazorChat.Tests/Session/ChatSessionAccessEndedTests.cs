namespace BlazorChat.Tests.Session;

/// <summary>A tab whose access the server ends: it hears why, last, and its view keeps nothing of that namespace.</summary>
public sealed class ChatSessionAccessEndedTests : IAsyncLifetime
{
    private readonly FakeAccessChecker _accounts = new FakeAccessChecker().Grant("user-root", ChatHandlers.AdminRole);
    private readonly TestChat _chat;

    public ChatSessionAccessEndedTests() => _chat = new TestChat(access: _accounts);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task RoleRevoked_TheTabLeavesAdmin_HearsWhy_AndSeesNothingOfItAfterwards()
    {
        var session = _chat.NewSession("user-root");
        var adminLines = new List<string>();
        using var subscription = session.Subscribe((packet, ack) =>
        {
            lock (adminLines)
            {
                if (packet.Data is MessagePosted posted && posted.Message.Text == "admins only")
                    adminLines.Add(posted.Message.Text);
            }
            ack?.Send();
            return Task.CompletedTask;
        });
        await session.JoinAsync("Root");
        Assert.Null(await session.SwitchNamespaceAsync(ChatHandlers.AdminNamespace));
        _accounts.Grant("user-ada", ChatHandlers.AdminRole);
        var admin = await _chat.ConnectAsync("user-ada", "Ada", ChatHandlers.AdminNamespace, TestChat.Principal("user-ada"));

        // The server ends the /admin connection (AccessGuard) and the session moves the tab to "/" (ChatSession), in
        // whichever order they come: either way the tab ends in "/", told why, with nothing of /admin after.
        _accounts.Revoke("user-root", ChatHandlers.AdminRole);
        _accounts.Notify("user-root");
        for (var i = 0; i < 500 && (session.Namespace != ChatServer.MainNamespace || session.Notice is null); i++)
            await Task.Delay(10);
        await admin.SendMessageAsync(RoomNames.General, "admins only");
        await admin.BarrierAsync();

        Assert.Equal(ChatServer.MainNamespace, session.Namespace);
        Assert.Equal(ChatSession.AdminRevokedReason, session.Notice);
        Assert.Equal(1, _chat.Server.Namespaces.Single(n => n.Name == ChatHandlers.AdminNamespace).ConnectionCount); // Ada only
        lock (adminLines)
            Assert.Empty(adminLines);
        Assert.NotNull(await session.SwitchNamespaceAsync(ChatHandlers.AdminNamespace));
    }
}
