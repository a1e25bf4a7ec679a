using BlazorChat.Chat;
using BlazorChat.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Bench.Registry;

/// <summary>
/// The BlazorChat side of the benchmark, and the only class that names the app's real-time API: a room of
/// members and a broadcast to it. The app is moving from <c>ChatRegistry</c> (Connect/Broadcast) to
/// <c>ChatServer</c> + <c>InMemoryAdapter</c> (<c>namespace.To(room).EmitAsync(...)</c>); switching is a
/// change of <see cref="Create"/>, <see cref="Broadcast"/> and the field below, nothing else.
/// </summary>
public sealed class BlazorChatRoom : IDisposable
{
    private const string Room = ChatRegistry.GeneralRoom;

    private readonly ChatRegistry _registry = new(NullLogger<ChatRegistry>.Instance, TimeProvider.System);
    private readonly List<ChatConnection> _connections = [];
    private readonly Person _sender = new("user-sender", "sender");
    private int _remaining;
    private TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BlazorChatRoom()
    {
    }

    public static BlazorChatRoom Create(int members)
    {
        var room = new BlazorChatRoom();
        for (var i = 0; i < members; i++)
            room._connections.Add(room._registry.Connect($"connection-{i}", new Person($"user-{i}", $"member {i}"), room.DeliverAsync));
        // Connecting sends join notices to everyone already in the room: let the pumps drain them.
        Thread.Sleep(500);
        return room;
    }

    /// <summary>The broadcast call alone: it enqueues into every member's outbox and returns.</summary>
    public void Broadcast(string text) =>
        _registry.Broadcast(NewMessage(text), BroadcastTarget.ToRooms(Room));

    /// <summary>The broadcast, complete when every member's subscriber has received it.</summary>
    public Task BroadcastAndWaitForDeliveryAsync(string text)
    {
        _delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _remaining, _connections.Count);
        Broadcast(text);
        return _delivered.Task;
    }

    private MessagePosted NewMessage(string text) =>
        new(new ChatMessage(Guid.NewGuid(), Room, "connection-sender", _sender, text, DateTimeOffset.UtcNow));

    // What a circuit's subscriber would do first: look at the event. The count only serves the benchmark.
    private Task DeliverAsync(ChatEvent evt)
    {
        if (evt is MessagePosted && Interlocked.Decrement(ref _remaining) == 0)
            _delivered.TrySetResult();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
            connection.Dispose();
    }
}
