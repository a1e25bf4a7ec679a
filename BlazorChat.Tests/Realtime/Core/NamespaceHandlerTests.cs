using BlazorChat.Realtime.Server;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// What a namespace does with what clients send and with connections coming and going: event handlers whose
/// return value is the acknowledgement, the catch-all listener, the connection and disconnect hooks, and the
/// reserved event names nobody may listen to or emit.
/// </summary>
public sealed class NamespaceHandlerTests
{
    private readonly ChatServer _server = TestClients.NewServer();

    public static TheoryData<string> ReservedNames => [.. ReservedEvents.Names];

    // ---- client events ----

    [Fact]
    public async Task On_HandlersReturnValue_IsTheClientsAcknowledgement()
    {
        _server.Main.On("add", (_, data, _) =>
        {
            var numbers = (SequenceData)data!;
            return Task.FromResult<EventData?>(new TextData((numbers.Emitter + numbers.Number).ToString()));
        });
        var client = await _server.ConnectAsync("/", "a");

        var ack = await client.Socket.SendAsync("add", new SequenceData(2, 3));

        Assert.Equal(new TextData("5"), ack);
    }

    [Fact]
    public async Task On_Handler_SeesTheSendingSocket()
    {
        ChatSocket? sender = null;
        _server.Main.On("hello", (socket, _, _) =>
        {
            sender = socket;
            return Task.FromResult<EventData?>(null);
        });
        await _server.ConnectAsync("/", "a");
        var b = await _server.ConnectAsync("/", "b");

        var ack = await b.Socket.SendAsync("hello");

        Assert.Null(ack);
        Assert.Same(b.Socket, sender);
    }

    [Fact]
    public async Task SendAsync_EventWithoutHandler_IsRefusedWithChatRefusedException()
    {
        _server.Main.On("known", (_, _, _) => Task.FromResult<EventData?>(null));
        var client = await _server.ConnectAsync("/", "a");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => client.Socket.SendAsync("unknown"));

        Assert.Contains("unknown", refused.Message);
    }

    [Fact]
    public async Task SendAsync_HandlerThatRefuses_PassesTheRefusalToTheClient()
    {
        _server.Main.On("post", (_, _, _) => throw new ChatRefusedException("Messages are limited to 500 characters."));
        var client = await _server.ConnectAsync("/", "a");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => client.Socket.SendAsync("post", new TextData("...")));

        Assert.Equal("Messages are limited to 500 characters.", refused.Message);
    }

    [Fact]
    public async Task SendAsync_AfterDisconnect_IsRefusedWithoutRunningTheHandler()
    {
        var calls = 0;
        _server.Main.On("post", (_, _, _) =>
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult<EventData?>(null);
        });
        var client = await _server.ConnectAsync("/", "a");
        await client.Socket.DisconnectAsync("bye");

        await Assert.ThrowsAsync<ChatRefusedException>(() => client.Socket.SendAsync("post"));

        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task OnAny_SeesEveryClientEvent_HandledOrNot_InOrder()
    {
        var seen = new List<string>();
        _server.Main
            .On("known", (_, _, _) => Task.FromResult<EventData?>(null))
            .OnAny((socket, packet) =>
            {
                lock (seen)
                    seen.Add($"{socket.Id}:{packet.Event}:{(packet.Data as TextData)?.Value}");
            });
        var client = await _server.ConnectAsync("/", "a");

        await client.Socket.SendAsync("known", new TextData("1"));
        await Assert.ThrowsAsync<ChatRefusedException>(() => client.Socket.SendAsync("unknown", new TextData("2")));
        await client.Socket.SendAsync("known", new TextData("3"));

        Assert.Equal(["a:known:1", "a:unknown:2", "a:known:3"], seen);
    }

    [Fact]
    public async Task OnAny_ListenerThatThrows_DoesNotKeepTheEventFromItsHandler()
    {
        _server.Main
            .OnAny((_, _) => throw new InvalidOperationException("logging is down"))
            .On("known", (_, _, _) => Task.FromResult<EventData?>(new TextData("handled")));
        var client = await _server.ConnectAsync("/", "a");

        Assert.Equal(new TextData("handled"), await client.Socket.SendAsync("known"));
    }

    // ---- connection lifecycle ----

    [Fact]
    public async Task OnConnection_SeesTheSocketAlreadyInItsOwnAndUserRooms()
    {
        IReadOnlySet<string>? rooms = null;
        _server.Main.OnConnection(socket =>
        {
            rooms = socket.Rooms;
            return Task.CompletedTask;
        });

        await _server.ConnectAsync("/", "a", "ada");

        Assert.Equal(["a", ChatNamespace.UserRoomOf("ada")], rooms!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OnConnection_EmitToTheNewSocket_ReachesItsClient()
    {
        _server.Main.OnConnection(socket => socket.EmitAsync("welcome", new TextData(socket.DisplayName)));

        var client = await _server.ConnectAsync("/", "a");

        var received = await client.Inbox.WaitForEventAsync("welcome");
        Assert.Equal(new TextData("Name a"), received.Single(p => p.Event == "welcome").Data);
    }

    [Fact]
    public async Task OnConnection_HandlerThatThrows_FailsTheConnectAndLeavesNoGhostConnection()
    {
        var disconnects = new List<string>();
        _server.Main
            .OnConnection(_ => throw new InvalidOperationException("profile store is down"))
            .OnDisconnect((socket, _) =>
            {
                lock (disconnects)
                    disconnects.Add(socket.Id);
                return Task.CompletedTask;
            });
        var inbox = new PacketRecorder("a");

        // The caller never gets the socket, so nobody could disconnect it later.
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => _server.ConnectAsync("/", TestClients.Request("a"), inbox.Handler));

        Assert.Equal("profile store is down", failure.Message);
        Assert.Equal(0, _server.Main.ConnectionCount);
        Assert.Empty(_server.Main.Adapter.LocalRooms());
        Assert.Empty(await _server.Main.Operator.FetchConnectionsAsync());
        Assert.Equal(["a"], disconnects);
    }

    [Fact]
    public async Task JoinAsync_AfterDisconnect_LeavesNoRoomBehind()
    {
        var client = await _server.ConnectAsync("/", "a");
        var stayer = await _server.ConnectAsync("/", "b");
        await client.Socket.DisconnectAsync("transport close");

        // A handler that finished its slow work after the client left (socket.io issue #4380).
        await client.Socket.JoinAsync("late-room");

        Assert.False(_server.Main.Adapter.LocalRooms().ContainsKey("late-room"));
        Assert.Empty(_server.Main.Adapter.RoomsOf("a"));
        Assert.Equal([stayer.Id], (await _server.Main.Operator.FetchConnectionsAsync()).Select(c => c.Id));
    }

    [Fact]
    public async Task Disconnecting_SeesTheRoomsStillJoined_ThenDisconnectRunsWithTheReasonAndNoRooms()
    {
        var log = new List<string>();
        void Add(string entry)
        {
            lock (log)
                log.Add(entry);
        }
        _server.Main
            .OnDisconnecting((socket, reason) =>
            {
                Add($"namespace disconnecting {reason} [{string.Join(",", socket.Rooms.Order(StringComparer.Ordinal))}] connected={socket.Connected}");
                return Task.CompletedTask;
            })
            .OnDisconnect((socket, reason) =>
            {
                Add($"namespace disconnect {reason} [{string.Join(",", socket.Rooms)}] connected={socket.Connected}");
                return Task.CompletedTask;
            });
        var client = await _server.ConnectAsync("/", "a", "ada", "room1");
        client.Socket.OnDisconnecting((socket, reason) =>
        {
            Add($"socket disconnecting {reason} rooms={socket.Rooms.Count}");
            return Task.CompletedTask;
        });
        client.Socket.OnDisconnect((socket, reason) =>
        {
            Add($"socket disconnect {reason} rooms={socket.Rooms.Count}");
            return Task.CompletedTask;
        });

        await client.Socket.DisconnectAsync("transport close");

        // Every "disconnecting" hook (rooms still there) runs before any "disconnect" hook (rooms gone).
        Assert.Equal(
        [
            "namespace disconnecting transport close [a,room1,user:ada] connected=False",
            "socket disconnecting transport close rooms=3",
        ], log.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal(
        [
            "namespace disconnect transport close [] connected=False",
            "socket disconnect transport close rooms=0",
        ], log.Skip(2).Order(StringComparer.Ordinal));
        Assert.False(_server.Main.Adapter.LocalRooms().ContainsKey("room1"));
        Assert.Equal(0, _server.Main.ConnectionCount);
    }

    [Fact]
    public async Task DisconnectAsync_Twice_RunsTheHooksOnce()
    {
        var disconnects = 0;
        _server.Main.OnDisconnect((_, _) =>
        {
            Interlocked.Increment(ref disconnects);
            return Task.CompletedTask;
        });
        var client = await _server.ConnectAsync("/", "a");

        await client.Socket.DisconnectAsync("first");
        await client.Socket.DisconnectAsync("second");

        Assert.Equal(1, disconnects);
    }

    [Fact]
    public async Task DisconnectingHook_ThatThrows_StillLeavesTheConnectionFullyDisconnected()
    {
        string? reasonSeen = null;
        _server.Main
            .OnDisconnecting((_, _) => throw new InvalidOperationException("hook broke"))
            .OnDisconnect((_, reason) =>
            {
                reasonSeen = reason;
                return Task.CompletedTask;
            });
        var client = await _server.ConnectAsync("/", "a", rooms: "room1");

        await client.Socket.DisconnectAsync("bye");

        Assert.Equal("bye", reasonSeen);
        Assert.Empty(client.Socket.Rooms);
        Assert.Equal(0, _server.Main.ConnectionCount);
    }

    // ---- reserved event names ----

    [Fact]
    public void ReservedEvents_AreSocketIosSixLifecycleNames()
    {
        Assert.Equal(
            ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"],
            ReservedEvents.Names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public void On_ReservedName_IsRefused(string name)
    {
        var refused = Assert.Throws<ReservedEventException>(() => _server.Main.On(name, (_, _, _) => Task.FromResult<EventData?>(null)));

        Assert.Equal(name, refused.EventName);
    }

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public void FamilyOn_ReservedName_IsRefused(string name)
    {
        var family = _server.Of(n => n.StartsWith("/t-", StringComparison.Ordinal), "/t-{name}");

        Assert.Throws<ReservedEventException>(() => family.On(name, (_, _, _) => Task.FromResult<EventData?>(null)));
    }

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public async Task EmitAsync_ReservedName_IsRefusedAndDeliversNothing(string name)
    {
        var a = await _server.ConnectAsync("/", "a", rooms: "room1");
        var b = await _server.ConnectAsync("/", "b", rooms: "room1");

        await Assert.ThrowsAsync<ReservedEventException>(() => a.Socket.EmitAsync(name));
        await Assert.ThrowsAsync<ReservedEventException>(() => a.Socket.Broadcast.EmitAsync(name));
        await Assert.ThrowsAsync<ReservedEventException>(() => a.Socket.Self.Volatile.EmitAsync(name));
        await Assert.ThrowsAsync<ReservedEventException>(() => _server.Main.EmitAsync(name));
        await Assert.ThrowsAsync<ReservedEventException>(() => _server.Main.To("room1").EmitAsync(name));

        await TestClients.SettleAsync(a, b);
        Assert.False(a.Inbox.HasReceived(name));
        Assert.False(b.Inbox.HasReceived(name));
    }

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public async Task EmitWithAckAsync_ReservedName_IsRefused(string name)
    {
        var a = await _server.ConnectAsync("/", "a", rooms: "room1");

        await Assert.ThrowsAsync<ReservedEventException>(() => a.Socket.EmitWithAckAsync(name, null, TimeSpan.FromSeconds(5)));
        await Assert.ThrowsAsync<ReservedEventException>(() => _server.Main.To("room1").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync(name));

        await TestClients.SettleAsync(a);
        Assert.False(a.Inbox.HasReceived(name));
    }

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public async Task SendAsync_ReservedName_IsRefusedBeforeAnyListenerSeesIt(string name)
    {
        var seen = 0;
        _server.Main.OnAny((_, _) => Interlocked.Increment(ref seen));
        var a = await _server.ConnectAsync("/", "a");

        await Assert.ThrowsAsync<ReservedEventException>(() => a.Socket.SendAsync(name));

        Assert.Equal(0, seen);
    }

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public async Task ServerSideEmitAsync_ReservedName_IsRefused(string name)
    {
        await Assert.ThrowsAsync<ReservedEventException>(() => _server.Main.ServerSideEmitAsync(name));
    }
}
