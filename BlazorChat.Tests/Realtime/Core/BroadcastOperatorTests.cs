using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// socket.io's broadcast operator as an immutable record: every modifier returns a new operator and leaves the
/// one it started from as it was, so a shared operator (a namespace's, a socket's) can be reused safely.
/// </summary>
public sealed class BroadcastOperatorTests
{
    private readonly ChatServer _server = TestClients.NewServer();

    [Fact]
    public void Modifiers_ReturnNewOperators_AndLeaveTheOriginalUnchanged()
    {
        var room1 = _server.Main.To("room1");

        var both = room1.To("room2");
        var quiet = room1.Volatile;
        var local = room1.Local;
        var patient = room1.Timeout(TimeSpan.FromSeconds(3));
        var but = room1.Except("room3");

        Assert.Equal(["room1"], room1.Rooms);
        Assert.Empty(room1.ExceptRooms);
        Assert.Equal(BroadcastFlags.None, room1.Flags);
        Assert.Equal(["room1", "room2"], both.Rooms.Order(StringComparer.Ordinal));
        Assert.True(quiet.Flags.Volatile);
        Assert.True(local.Flags.Local);
        Assert.Equal(TimeSpan.FromSeconds(3), patient.Flags.Timeout);
        Assert.Equal(["room3"], but.ExceptRooms);
        Assert.Empty(_server.Main.Operator.Rooms);
    }

    [Fact]
    public void In_IsTheSameAsTo()
    {
        Assert.Equal(_server.Main.To("a", "b").Options.Rooms.Order(), _server.Main.In("a", "b").Options.Rooms.Order());
    }

    [Fact]
    public void Options_CarryRoomsExceptAndFlags()
    {
        var options = _server.Main.To("room1").Except("room2").Volatile.Timeout(TimeSpan.FromSeconds(1)).Options;

        Assert.Equal(["room1"], options.Rooms);
        Assert.Equal(["room2"], options.Except);
        Assert.Equal(new BroadcastFlags { Volatile = true, Timeout = TimeSpan.FromSeconds(1) }, options.Flags);
    }

    [Fact]
    public async Task SocketOperators_AlwaysLeaveOutTheSocketItself_EvenAfterFurtherModifiers()
    {
        var a = await _server.ConnectAsync("/", "a", rooms: "room1");

        Assert.Contains("a", a.Socket.Broadcast.ExceptRooms);
        Assert.Contains("a", a.Socket.To("room1").Volatile.ExceptRooms);
        Assert.Contains("a", a.Socket.Except("room2").ExceptRooms);
        Assert.Equal(["a"], a.Socket.Self.Rooms);
        Assert.Empty(a.Socket.Self.ExceptRooms);
    }

    [Fact]
    public async Task JoinAndLeave_OnAnOperator_MoveTheSelectedConnections()
    {
        var a = await _server.ConnectAsync("/", "a", rooms: "room1");
        var b = await _server.ConnectAsync("/", "b", rooms: "room1");
        var c = await _server.ConnectAsync("/", "c");

        await _server.Main.In("room1").JoinAsync("vip");
        await _server.Main.In("vip").Except("b").LeaveAsync("room1");

        Assert.Equal(["a", "b"], (await _server.Main.In("vip").FetchConnectionsAsync()).Select(x => x.Id).Order());
        Assert.DoesNotContain("room1", a.Socket.Rooms);
        Assert.Contains("room1", b.Socket.Rooms);
        Assert.DoesNotContain("vip", c.Socket.Rooms);
    }
}
