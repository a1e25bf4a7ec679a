using System.Security.Claims;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Tests.Realtime.Core.Support;

/// <summary>A connection made by a test: the server's socket and the client's inbox.</summary>
public sealed record TestClient(ChatSocket Socket, PacketRecorder Inbox)
{
    public string Id => Socket.Id;
}

/// <summary>Connects test clients to a <see cref="ChatServer"/>.</summary>
public static class TestClients
{
    private static int _barriers;

    public static ChatServer NewServer() => new(new InMemoryAdapterFactory(), NullLoggerFactory.Instance);

    /// <summary>A connect request whose user id defaults to one person per connection.</summary>
    public static ConnectRequest Request(string connectionId, string? userId = null) =>
        new(connectionId, new ClaimsPrincipal(new ClaimsIdentity()), userId ?? "user-" + connectionId, "Name " + connectionId);

    /// <summary>Connects through the server (so families and refusals apply), then joins <paramref name="rooms"/>.</summary>
    public static async Task<TestClient> ConnectAsync(
        this ChatServer server, string @namespace, string connectionId, string? userId = null, params string[] rooms)
    {
        var inbox = new PacketRecorder(connectionId);
        var socket = await server.ConnectAsync(@namespace, Request(connectionId, userId), inbox.Handler);
        if (rooms.Length > 0)
            await socket.JoinAsync(rooms);
        return new TestClient(socket, inbox);
    }

    /// <summary>
    /// Sends every client a fresh barrier event and waits until each has it. A connection receives in order,
    /// so whatever was sent to it before the barrier has arrived by then: what is missing was never sent.
    /// </summary>
    public static async Task SettleAsync(params IEnumerable<TestClient> clients)
    {
        var barrier = "barrier-" + Interlocked.Increment(ref _barriers);
        var connected = clients.Where(c => c.Socket.Connected).ToList();
        foreach (var client in connected)
            await client.Socket.EmitAsync(barrier);
        foreach (var client in connected)
            await client.Inbox.WaitForEventAsync(barrier);
    }
}
