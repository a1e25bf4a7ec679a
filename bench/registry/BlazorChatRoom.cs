using System.Security.Claims;
using BlazorChat.Chat;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Bench.Registry;

/// <summary>
/// The BlazorChat side of the benchmark, and the only class that names the app's real-time API: a room of
/// members on a <see cref="ChatServer"/> with the in-process adapter, and a broadcast to it
/// (<c>namespace.To(room).EmitAsync(...)</c>, as the chat's handlers do).
/// </summary>
public sealed class BlazorChatRoom : IDisposable
{
    private const string Room = "general";

    private readonly ChatServer _server = new(new InMemoryAdapterFactory(), NullLoggerFactory.Instance);
    private readonly List<ChatSocket> _sockets = [];
    private readonly Person _sender = new("user-sender", "sender");
    private int _remaining;
    private TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BlazorChatRoom()
    {
    }

    private ChatNamespace Namespace => _server.Main;

    public static BlazorChatRoom Create(int members)
    {
        var room = new BlazorChatRoom();
        for (var i = 0; i < members; i++)
        {
            var request = new ConnectRequest($"c.{i}", new ClaimsPrincipal(new ClaimsIdentity()), $"user-{i}", $"member {i}");
            var socket = room.Namespace.ConnectAsync(request, room.DeliverAsync).GetAwaiter().GetResult();
            socket.JoinAsync(Room).GetAwaiter().GetResult();
            room._sockets.Add(socket);
        }
        return room;
    }

    /// <summary>The broadcast call alone: it enqueues into every member's outbox and returns.</summary>
    public void Broadcast(string text) =>
        Namespace.To(Room).EmitAsync(ChatEvents.Message, NewMessage(text)).GetAwaiter().GetResult();

    /// <summary>The broadcast, complete when every member's client handler has received it.</summary>
    public Task BroadcastAndWaitForDeliveryAsync(string text)
    {
        _delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, _sockets.Count);
        Broadcast(text);
        return _delivered.Task;
    }

    private MessagePosted NewMessage(string text) =>
        new(new ChatMessage(Guid.NewGuid(), Room, "c.sender", _sender, text, DateTimeOffset.UtcNow));

    // What a circuit's session would do first: look at the event. The count only serves the benchmark.
    private Task DeliverAsync(Packet packet, AckReply? ack)
    {
        if (packet.Data is MessagePosted && Interlocked.Decrement(ref _remaining) == 0)
            _delivered.TrySetResult();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
            socket.DisconnectAsync("benchmark over").GetAwaiter().GetResult();
    }
}
