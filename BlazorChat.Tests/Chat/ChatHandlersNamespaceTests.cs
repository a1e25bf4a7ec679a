using System.Security.Claims;

namespace BlazorChat.Tests.Chat;

/// <summary>The namespaces the chat opens: "/", "/admin" behind a role, and the "/tenant-{name}" family.</summary>
public sealed class ChatHandlersNamespaceTests : IAsyncLifetime
{
    private TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task Admin_RefusesSomeoneWithoutTheAdminRoleWithAReason()
    {
        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() =>
            _chat.ConnectAsync("user-guest", "Guest", ChatHandlers.AdminNamespace, TestChat.Principal("user-guest", GuestIdentity.GuestRole)));

        Assert.Equal(ChatHandlers.AdminNamespace, refused.Namespace);
        Assert.Contains("Only administrators", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, _chat.Server.Of(ChatHandlers.AdminNamespace).ConnectionCount);
    }

    [Fact]
    public async Task Admin_AdmitsSomeoneWithTheAdminRole()
    {
        var admin = await _chat.ConnectAsync("user-root", "Root", ChatHandlers.AdminNamespace, TestChat.Principal("user-root", ChatHandlers.AdminRole));

        var welcome = await admin.Events.WaitForAsync<NamespaceWelcome>();
        Assert.Equal(ChatHandlers.AdminNamespace, welcome.Namespace);
        Assert.Equal([admin.Person], welcome.Online);
    }

    [Fact]
    public async Task Announce_ByAnAdmin_ReachesEveryNamespace()
    {
        var admin = await _chat.ConnectAsync("user-root", "Root", ChatHandlers.AdminNamespace, TestChat.Principal("user-root", ChatHandlers.AdminRole));
        var main = await _chat.ConnectAsync("user-ada", "Ada");
        var tenant = await _chat.ConnectAsync("user-bob", "Bob", "/tenant-acme");

        var reply = await admin.SendAsync(ChatHandlers.AnnounceEvent, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, " maintenance at 5 "));

        Assert.IsType<MessageAccepted>(reply);
        foreach (var tab in new[] { admin, main, tenant })
        {
            var announcement = await tab.Events.WaitForAsync<AnnouncementPosted>();
            Assert.Equal("maintenance at 5", announcement.Text);
            Assert.Equal(admin.Person, announcement.From);
        }
    }

    [Fact]
    public async Task Announce_OutsideAdmin_IsRefused()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            ada.SendAsync(ChatHandlers.AnnounceEvent, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "I am the admin now")));

        await bob.BarrierAsync();
        Assert.Empty(bob.Events.OfType<AnnouncementPosted>());
    }

    [Fact]
    public async Task Announce_BySomeoneWhoseAdminRoleWasRevokedAfterEntering_IsRefused()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "user-root"), new Claim(ClaimTypes.Role, ChatHandlers.AdminRole)], "test");
        var admin = await _chat.ConnectAsync("user-root", "Root", ChatHandlers.AdminNamespace, new ClaimsPrincipal(identity));
        var main = await _chat.ConnectAsync("user-ada", "Ada");

        identity.RemoveClaim(identity.FindFirst(ClaimTypes.Role));
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            admin.SendAsync(ChatHandlers.AnnounceEvent, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "still here")));

        Assert.Contains("Only administrators", refused.Message, StringComparison.Ordinal);
        await main.BarrierAsync();
        Assert.Empty(main.Events.OfType<AnnouncementPosted>());
    }

    [Fact]
    public async Task Tenant_IsCreatedOnFirstConnectAndRemovedAfterItsLastConnectionLeaves()
    {
        Assert.DoesNotContain("/tenant-acme", _chat.NamespaceNames);

        var first = await _chat.ConnectAsync("user-ada", "Ada", "/tenant-acme");
        var second = await _chat.ConnectAsync("user-bob", "Bob", "/tenant-acme");
        Assert.Contains("/tenant-acme", _chat.NamespaceNames);
        Assert.Equal(ChatHandlers.TenantFamily, Assert.Single(_chat.Server.Families).Description);

        await first.DisconnectAsync();
        Assert.Contains("/tenant-acme", _chat.NamespaceNames);

        await second.DisconnectAsync();
        Assert.DoesNotContain("/tenant-acme", _chat.NamespaceNames);
        Assert.Contains(ChatServer.MainNamespace, _chat.NamespaceNames);
        Assert.Contains(ChatHandlers.AdminNamespace, _chat.NamespaceNames);
    }

    [Fact]
    public async Task Tenant_RunsTheChatHandlers()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada", "/tenant-acme");
        var bob = await _chat.ConnectAsync("user-bob", "Bob", "/tenant-acme");

        await ada.JoinRoomAsync("design");
        await bob.JoinRoomAsync("design");
        await ada.SendMessageAsync("design", "tenant hello");

        await bob.Events.WaitForMessageAsync("tenant hello");
        Assert.Equal("/tenant-acme", (await ada.Events.WaitForAsync<NamespaceWelcome>()).Namespace);
    }

    [Fact]
    public async Task AllowedTenants_RefusesOtherTenantsWithAReasonAndLeavesNoNamespaceBehind()
    {
        await _chat.DisposeAsync();
        _chat = new TestChat(allowedTenants: ["acme"]);

        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => _chat.ConnectAsync("user-ada", "Ada", "/tenant-evil"));
        var admitted = await _chat.ConnectAsync("user-bob", "Bob", "/tenant-acme");

        Assert.Equal("/tenant-evil", refused.Namespace);
        Assert.Contains("\"evil\"", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/tenant-evil", _chat.NamespaceNames);
        Assert.Equal("/tenant-acme", admitted.Socket.Namespace.Name);
    }

    [Fact]
    public async Task NamespaceOutsideAnyFamily_IsRefused()
    {
        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => _chat.ConnectAsync("user-ada", "Ada", "/elsewhere"));

        Assert.Contains("/elsewhere", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/elsewhere", _chat.NamespaceNames);
    }

    [Fact]
    public async Task MainAndTenant_KeepTheirPresenceRoomsAndMessagesApart()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob", "/tenant-x");

        var bobWelcome = await bob.Events.WaitForAsync<NamespaceWelcome>();
        Assert.Equal([bob.Person], bobWelcome.Online);
        Assert.Equal([new RoomSummary(RoomNames.General, 1)], bobWelcome.Rooms);

        await bob.JoinRoomAsync("secret");
        await bob.SendMessageAsync(RoomNames.General, "tenant general");
        await ada.SendMessageAsync(RoomNames.General, "main general");
        await bob.BarrierAsync();
        Assert.Equal(["tenant general"], bob.Events.Messages.Select(m => m.Text));
        await bob.DisconnectAsync();

        await ada.BarrierAsync();
        Assert.Equal(["main general"], ada.Events.Messages.Select(m => m.Text));
        Assert.Equal([ada.Person], ada.Events.OfType<PersonJoined>().Select(j => j.Person));
        Assert.Empty(ada.Events.OfType<PersonLeft>());
        Assert.DoesNotContain(ada.Events.OfType<RoomsChanged>(), r => r.Rooms.Any(room => room.Name == "secret"));
    }

    [Fact]
    public async Task Presence_IsPerNamespace_SoAPersonOnlineInMainIsAnnouncedWhenEnteringATenant()
    {
        await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob", "/tenant-x");

        await _chat.ConnectAsync("user-ada", "Ada", "/tenant-x");

        var joined = await bob.Events.WaitForAsync<PersonJoined>(j => j.Person != bob.Person);
        Assert.Equal(new PersonJoined("/tenant-x", new Person("user-ada", "Ada"), joined.At), joined);
    }

    [Theory]
    [InlineData("acme", "/tenant-acme")]
    [InlineData("  Team-1 ", "/tenant-team-1")]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("two words", null)]
    [InlineData("-leading", null)]
    [InlineData("a/b", null)]
    public void TenantNamespace_NormalizesValidNamesAndRejectsOthers(string? tenant, string? expected)
    {
        Assert.Equal(expected, ChatHandlers.TenantNamespace(tenant));
    }
}
