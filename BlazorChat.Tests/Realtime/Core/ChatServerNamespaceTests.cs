using System.Text.RegularExpressions;
using BlazorChat.Realtime.Server;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// The server's namespaces, after socket.io's namespace docs: static namespaces declared with
/// <see cref="ChatServer.Of(string)"/>, dynamic families that create their namespaces on first connect and
/// remove them when empty, and connect middleware that admits or refuses.
/// </summary>
public sealed partial class ChatServerNamespaceTests
{
    private readonly ChatServer _server = TestClients.NewServer();

    // ---- static namespaces ----

    [Fact]
    public async Task MainNamespace_AcceptsConnectionsBeforeAnyCodeConfiguredIt()
    {
        var client = await _server.ConnectAsync("/", "a");

        Assert.Same(_server.Main, client.Socket.Namespace);
        Assert.Contains(_server.Namespaces, n => n.Name == "/");
    }

    [Fact]
    public void Of_SameName_ReturnsTheSameNamespace()
    {
        Assert.Same(_server.Of("/admin"), _server.Of("/admin"));
        Assert.Same(_server.Main, _server.Of("/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("admin")]
    [InlineData("/with space")]
    [InlineData("/a?b")]
    public void Of_InvalidName_IsRejected(string name)
    {
        Assert.Throws<ArgumentException>(() => _server.Of(name));
    }

    [Fact]
    public async Task StaticNamespaces_KeepTheirRoomsApart()
    {
        _server.Of("/admin");
        var main = await _server.ConnectAsync("/", "m", rooms: "lobby");
        var admin = await _server.ConnectAsync("/admin", "x", rooms: "lobby");

        await _server.Main.To("lobby").EmitAsync("main-lobby");
        await _server.Of("/admin").To("lobby").EmitAsync("admin-lobby");
        await main.Inbox.WaitForEventAsync("main-lobby");
        await admin.Inbox.WaitForEventAsync("admin-lobby");
        await TestClients.SettleAsync(main, admin);

        Assert.False(main.Inbox.HasReceived("admin-lobby"));
        Assert.False(admin.Inbox.HasReceived("main-lobby"));
        Assert.Equal(1, _server.Main.Adapter.LocalRooms()["lobby"]);
        Assert.False(_server.Main.Adapter.LocalRooms().ContainsKey("x"));
        Assert.Empty(_server.Main.Adapter.RoomsOf("x"));
    }

    [Fact]
    public async Task StaticNamespaces_KeepTheirHandlersApart()
    {
        _server.Main.On("whoami", (_, _, _) => Task.FromResult<EventData?>(new TextData("main")));
        _server.Of("/admin").On("whoami", (_, _, _) => Task.FromResult<EventData?>(new TextData("admin")));
        _server.Of("/empty");
        var main = await _server.ConnectAsync("/", "m");
        var admin = await _server.ConnectAsync("/admin", "x");
        var empty = await _server.ConnectAsync("/empty", "e");

        Assert.Equal(new TextData("main"), await main.Socket.SendAsync("whoami"));
        Assert.Equal(new TextData("admin"), await admin.Socket.SendAsync("whoami"));
        await Assert.ThrowsAsync<ChatRefusedException>(() => empty.Socket.SendAsync("whoami"));
    }

    [Fact]
    public async Task UserRoom_ReachesThePersonsTabsOnlyInItsOwnNamespace()
    {
        _server.Of("/admin");
        var tab1 = await _server.ConnectAsync("/", "tab1", "ada");
        var tab2 = await _server.ConnectAsync("/", "tab2", "ada");
        var adminTab = await _server.ConnectAsync("/admin", "tab3", "ada");

        await _server.Main.To(ChatNamespace.UserRoomOf("ada")).EmitAsync("for-ada");
        await tab1.Inbox.WaitForEventAsync("for-ada");
        await tab2.Inbox.WaitForEventAsync("for-ada");
        await TestClients.SettleAsync(adminTab);

        Assert.False(adminTab.Inbox.HasReceived("for-ada"));
    }

    [Fact]
    public async Task StaticNamespace_StaysWhenItsLastConnectionLeaves()
    {
        _server.Of("/admin");
        var client = await _server.ConnectAsync("/admin", "x");

        await client.Socket.DisconnectAsync("bye");

        Assert.Contains(_server.Namespaces, n => n.Name == "/admin");
    }

    [Fact]
    public async Task ConnectAsync_UnknownNamespace_IsRefusedAndCreatesNothing()
    {
        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(
            () => _server.ConnectAsync("/nowhere", TestClients.Request("a"), new PacketRecorder("a").Handler));

        Assert.Equal("/nowhere", refused.Namespace);
        Assert.Contains("/nowhere", refused.Message);
        Assert.DoesNotContain(_server.Namespaces, n => n.Name == "/nowhere");
    }

    [Fact]
    public async Task ConnectAsync_InvalidNamespaceName_IsRefused()
    {
        await Assert.ThrowsAsync<ConnectRefusedException>(
            () => _server.ConnectAsync("no-slash", TestClients.Request("a"), new PacketRecorder("a").Handler));
    }

    // ---- dynamic families ----

    [Fact]
    public async Task DynamicFamily_FirstConnect_CreatesTheNamespaceAndRunsTheFamilyMiddleware()
    {
        var seen = new List<string>();
        var tenants = _server.Of(TenantName(), "/tenant-{name}").Use(async (context, next) =>
        {
            lock (seen)
                seen.Add($"{context.Namespace.Name}:{context.Request.ConnectionId}");
            await next();
        });
        Assert.DoesNotContain(_server.Namespaces, n => n.Name == "/tenant-acme");

        var client = await _server.ConnectAsync("/tenant-acme", "a");

        var acme = Assert.Single(_server.Namespaces, n => n.Name == "/tenant-acme");
        Assert.Same(tenants, acme.Family);
        Assert.Same(acme, client.Socket.Namespace);
        Assert.Equal([acme], tenants.Children);
        Assert.Equal(["/tenant-acme:a"], seen);
    }

    [Fact]
    public async Task DynamicFamily_ChildCreatedWithOfBeforeAnyoneConnected_RunsTheFamilyMiddlewareBeforeItsOwn()
    {
        var order = new List<string>();
        var tenants = _server.Of(TenantName(), "/tenant-{name}").Use(async (_, next) =>
        {
            order.Add("family");
            await next();
        });
        var x = _server.Of("/tenant-x").Use(async (_, next) =>
        {
            order.Add("own");
            await next();
        });

        var client = await _server.ConnectAsync("/tenant-x", "a");

        Assert.Same(tenants, x.Family);
        Assert.Same(x, client.Socket.Namespace);
        Assert.Equal(["family", "own"], order);
    }

    [Fact]
    public async Task DynamicFamily_MiddlewareRefusal_AppliesToAChildCreatedWithOf()
    {
        _server.Of(TenantName(), "/tenant-{name}").Use((context, next) =>
            context.Request.UserId == "member" ? next() : context.Refuse("Members only."));
        _server.Of("/tenant-x");

        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => _server.ConnectAsync("/tenant-x", "stranger"));
        var member = await _server.ConnectAsync("/tenant-x", "m", "member");

        Assert.Equal("Members only.", refused.Message);
        Assert.True(member.Socket.Connected);
    }

    [Fact]
    public async Task DynamicFamily_EmptyChild_IsRemovedAfterItsLastConnectionLeaves()
    {
        var tenants = _server.Of(TenantName(), "/tenant-{name}");
        var first = await _server.ConnectAsync("/tenant-acme", "a");
        var second = await _server.ConnectAsync("/tenant-acme", "b");

        await first.Socket.DisconnectAsync("bye");
        Assert.Contains(_server.Namespaces, n => n.Name == "/tenant-acme");

        await second.Socket.DisconnectAsync("bye");
        Assert.DoesNotContain(_server.Namespaces, n => n.Name == "/tenant-acme");
        Assert.Empty(tenants.Children);
    }

    [Fact]
    public async Task DynamicFamily_ChildRemovedWhenEmpty_IsCreatedAfreshOnTheNextConnect()
    {
        var admitted = 0;
        _server.Of(TenantName(), "/tenant-{name}").Use(async (_, next) =>
        {
            Interlocked.Increment(ref admitted);
            await next();
        });
        var first = await _server.ConnectAsync("/tenant-acme", "a");
        var before = first.Socket.Namespace;
        await first.Socket.DisconnectAsync("bye");

        var again = await _server.ConnectAsync("/tenant-acme", "b");

        Assert.NotSame(before, again.Socket.Namespace);
        Assert.NotNull(again.Socket.Namespace.Family);
        Assert.Equal(2, admitted);
    }

    [Fact]
    public async Task DynamicFamily_RefusedFirstConnection_LeavesNoNamespaceBehind()
    {
        _server.Of(TenantName(), "/tenant-{name}").Use((context, _) => context.Refuse("Closed."));

        await Assert.ThrowsAsync<ConnectRefusedException>(() => _server.ConnectAsync("/tenant-acme", "a"));

        Assert.DoesNotContain(_server.Namespaces, n => n.Name == "/tenant-acme");
    }

    [Fact]
    public async Task DynamicFamily_NameItDoesNotMatch_IsRefused()
    {
        _server.Of(TenantName(), "/tenant-{name}");

        await Assert.ThrowsAsync<ConnectRefusedException>(() => _server.ConnectAsync("/tenant-", "a"));
        await Assert.ThrowsAsync<ConnectRefusedException>(() => _server.ConnectAsync("/tenants", "b"));
        Assert.DoesNotContain(_server.Namespaces, n => n.Name.StartsWith("/tenant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DynamicFamily_HandlersAndHooks_ServeEveryChild()
    {
        var connected = new List<string>();
        _server.Of(TenantName(), "/tenant-{name}")
            .On("where", (socket, _, _) => Task.FromResult<EventData?>(new TextData(socket.Namespace.Name)))
            .OnConnection(socket =>
            {
                lock (connected)
                    connected.Add(socket.Namespace.Name);
                return Task.CompletedTask;
            });
        var acme = await _server.ConnectAsync("/tenant-acme", "a");
        var globex = await _server.ConnectAsync("/tenant-globex", "b");

        Assert.Equal(new TextData("/tenant-acme"), await acme.Socket.SendAsync("where"));
        Assert.Equal(new TextData("/tenant-globex"), await globex.Socket.SendAsync("where"));
        Assert.Equal(["/tenant-acme", "/tenant-globex"], connected.Order());
    }

    [Fact]
    public async Task DynamicFamily_Emit_ReachesEveryChildAndNoOtherNamespace()
    {
        var tenants = _server.Of(TenantName(), "/tenant-{name}");
        var acme = await _server.ConnectAsync("/tenant-acme", "a");
        var globex = await _server.ConnectAsync("/tenant-globex", "b");
        var main = await _server.ConnectAsync("/", "m");

        await tenants.EmitAsync("to-all-tenants");

        await acme.Inbox.WaitForEventAsync("to-all-tenants");
        await globex.Inbox.WaitForEventAsync("to-all-tenants");
        await TestClients.SettleAsync(main);
        Assert.False(main.Inbox.HasReceived("to-all-tenants"));
    }

    [Fact]
    public async Task PredicateFamily_CreatesTheNamespacesItAccepts()
    {
        var rooms = _server.Of(name => name.StartsWith("/room-", StringComparison.Ordinal) && name.Length > 6, "/room-{id}");

        var client = await _server.ConnectAsync("/room-42", "a");

        Assert.Same(rooms, client.Socket.Namespace.Family);
        Assert.Equal("/room-{id}", rooms.Description);
        await Assert.ThrowsAsync<ConnectRefusedException>(() => _server.ConnectAsync("/lobby", "b"));
    }

    // ---- middleware ----

    [Fact]
    public async Task Middleware_Refusal_CarriesTheReason_AndTheConnectionIsInNoRoomAndReceivesNothing()
    {
        _server.Main.Use((context, next) =>
            context.Request.ConnectionId == "intruder" ? context.Refuse("You are banned from this server.") : next());
        var witness = await _server.ConnectAsync("/", "w", rooms: "room1");
        var intruderInbox = new PacketRecorder("intruder");

        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(
            () => _server.ConnectAsync("/", TestClients.Request("intruder", "bad-user"), intruderInbox.Handler));
        await _server.Main.EmitAsync("to-everyone");
        await _server.Main.To("intruder").EmitAsync("to-intruder");
        await _server.Main.To(ChatNamespace.UserRoomOf("bad-user")).EmitAsync("to-bad-user");
        await TestClients.SettleAsync(witness);

        Assert.Equal("You are banned from this server.", refused.Message);
        Assert.Equal("/", refused.Namespace);
        Assert.Empty(_server.Main.Adapter.RoomsOf("intruder"));
        Assert.False(_server.Main.Adapter.LocalRooms().ContainsKey(ChatNamespace.UserRoomOf("bad-user")));
        Assert.DoesNotContain(_server.Main.Connections, s => s.Id == "intruder");
        Assert.DoesNotContain(await _server.Main.Operator.FetchConnectionsAsync(), c => c.Id == "intruder");
        Assert.True(witness.Inbox.HasReceived("to-everyone"));
        Assert.Empty(intruderInbox.Packets);
    }

    [Fact]
    public async Task Middleware_ThatNeverCallsNext_RefusesTheConnection()
    {
        var connections = 0;
        _server.Main.Use((_, _) => Task.CompletedTask)
            .OnConnection(_ =>
            {
                Interlocked.Increment(ref connections);
                return Task.CompletedTask;
            });

        var refused = await Assert.ThrowsAsync<ConnectRefusedException>(() => _server.ConnectAsync("/", "a"));

        Assert.Equal("/", refused.Namespace);
        Assert.Equal(0, _server.Main.ConnectionCount);
        Assert.Empty(_server.Main.Adapter.RoomsOf("a"));
        Assert.Equal(0, connections);
    }

    [Fact]
    public async Task Middleware_RunsInOrder_AndLaterMiddlewareSeesEarlierItems()
    {
        var order = new List<string>();
        object? seen = null;
        _server.Main
            .Use(async (context, next) =>
            {
                order.Add("first");
                context.Items["tenant"] = "acme";
                await next();
            })
            .Use(async (context, next) =>
            {
                order.Add("second");
                seen = context.Items["tenant"];
                await next();
            });

        await _server.ConnectAsync("/", "a");

        Assert.Equal(["first", "second"], order);
        Assert.Equal("acme", seen);
    }

    [Fact]
    public async Task Middleware_Refusal_DoesNotKeepTheConnectionIdFromConnectingLater()
    {
        var open = false;
        _server.Main.Use((context, next) => Volatile.Read(ref open) ? next() : context.Refuse("Not yet."));

        await Assert.ThrowsAsync<ConnectRefusedException>(() => _server.ConnectAsync("/", "a"));
        Volatile.Write(ref open, true);
        var client = await _server.ConnectAsync("/", "a");

        Assert.True(client.Socket.Connected);
        Assert.Equal(["a", ChatNamespace.UserRoomOf("user-a")], client.Socket.Rooms.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConnectAsync_CancelledWhileMiddlewareRuns_AdmitsNothing()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Main.Use(async (_, next) =>
        {
            entered.SetResult();
            await gate.Task;
            await next();
        });
        using var cancellation = new CancellationTokenSource();

        var connecting = _server.ConnectAsync("/", TestClients.Request("a"), new PacketRecorder("a").Handler, cancellation.Token);
        await Wait.ForAsync(entered.Task, "the middleware");
        cancellation.Cancel();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(connecting, "the cancelled connect"));
        Assert.Equal(0, _server.Main.ConnectionCount);
        Assert.Empty(_server.Main.Adapter.RoomsOf("a"));
    }

    [GeneratedRegex(@"^/tenant-[a-z0-9]+$")]
    private static partial Regex TenantName();
}
