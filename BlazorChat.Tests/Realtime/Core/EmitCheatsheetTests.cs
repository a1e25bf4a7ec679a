using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// socket.io's server-side emit cheatsheet, line by line, over one fixed world. In "/": A (room1),
/// B (room1, room2), C (room2, room3), D (no extra room) and F (A's second tab: same person, no extra room).
/// In "/news": E (room1) and G (no extra room; without G, "everyone in /news" and "room1 of /news" would be
/// the same set). Every emit sends the event "cheat"; each row names exactly who must receive it, once.
/// </summary>
public sealed class EmitCheatsheetTests : IAsyncLifetime
{
    private const string Cheat = "cheat";
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(5);

    private readonly ChatServer _server = TestClients.NewServer();
    private readonly Dictionary<string, TestClient> _clients = new(StringComparer.Ordinal);

    public static TheoryData<string, Func<ChatServer, ChatSocket, Task>, string[]> Rows => new()
    {
        { "socket.emit: the sender's own client only", (io, socket) => socket.EmitAsync(Cheat), ["A"] },
        { "socket.broadcast.emit: everyone in the namespace but the sender", (io, socket) => socket.Broadcast.EmitAsync(Cheat), ["B", "C", "D", "F"] },
        { "socket.to(\"room1\").emit: room1 but the sender", (io, socket) => socket.To("room1").EmitAsync(Cheat), ["B"] },
        { "socket.to([\"room1\", \"room2\"]).emit: the union, once each, but the sender", (io, socket) => socket.To("room1", "room2").EmitAsync(Cheat), ["B", "C"] },
        { "socket.to(\"room1\").to(\"room2\").emit: chained rooms are a union", (io, socket) => socket.To("room1").To("room2").EmitAsync(Cheat), ["B", "C"] },
        { "socket.to(otherSocketId).emit: a private message from the sender", (io, socket) => socket.To("C").EmitAsync(Cheat), ["C"] },
        { "socket.except(\"room2\").emit: everyone but the sender and room2", (io, socket) => socket.Except("room2").EmitAsync(Cheat), ["D", "F"] },
        { "io.in(\"room1\").emit: room1 including the sender", (io, socket) => io.Main.In("room1").EmitAsync(Cheat), ["A", "B"] },
        { "io.to([\"room1\", \"room2\"]).except(\"room3\").emit", (io, socket) => io.Main.To("room1", "room2").Except("room3").EmitAsync(Cheat), ["A", "B"] },
        { "io.except(\"room1\").emit: everyone outside room1", (io, socket) => io.Main.Except("room1").EmitAsync(Cheat), ["C", "D", "F"] },
        { "io.of(\"/news\").emit: every client of that namespace only", (io, socket) => io.Of("/news").EmitAsync(Cheat), ["E", "G"] },
        { "io.of(\"/news\").to(\"room1\").emit: room1 of /news, not room1 of /", (io, socket) => io.Of("/news").To("room1").EmitAsync(Cheat), ["E"] },
        { "io.to(socketId).emit: a private message", (io, socket) => io.Main.To("B").EmitAsync(Cheat), ["B"] },
        { "io.local.emit: every client on this node", (io, socket) => io.Main.Local.EmitAsync(Cheat), ["A", "B", "C", "D", "F"] },
        { "io.emit: every client of \"/\" and no other namespace", (io, socket) => io.Main.EmitAsync(Cheat), ["A", "B", "C", "D", "F"] },
        { "io.to(userRoom).emit: every tab of one person", (io, socket) => io.Main.To(ChatNamespace.UserRoomOf(socket.UserId)).EmitAsync(Cheat), ["A", "F"] },
        { "socket.to(userRoom).emit: the person's other tabs", (io, socket) => socket.To(socket.UserRoom).EmitAsync(Cheat), ["F"] },
        { "socket.to(socket.id).emit: reaches nobody (the cheatsheet's warning)", (io, socket) => socket.To(socket.Id).EmitAsync(Cheat), [] },
        { "socket.timeout(5s).emitWithAck: the client's answer comes back", SocketEmitWithAckAsync, ["A"] },
        { "io.timeout(5s).emitWithAck: every recipient's answer comes back", NamespaceEmitWithAckAsync, ["A", "B"] },
        { "socket.volatile.emit: an idle client gets it", (io, socket) => socket.Self.Volatile.EmitAsync(Cheat), ["A"] },
        { "io.volatile.emit: every idle client gets it", (io, socket) => io.Main.Volatile.EmitAsync(Cheat), ["A", "B", "C", "D", "F"] },
        { "io.serverSideEmit: for other servers, no client", (io, socket) => io.Main.ServerSideEmitAsync(Cheat), [] },
    };

    public async Task InitializeAsync()
    {
        _server.Of("/news"); // a static namespace exists once the server declares it (io.of("/news"))
        await AddAsync("/", "A", "user-a", "room1");
        await AddAsync("/", "B", "user-b", "room1", "room2");
        await AddAsync("/", "C", "user-c", "room2", "room3");
        await AddAsync("/", "D", "user-d");
        await AddAsync("/", "F", "user-a");
        await AddAsync("/news", "E", "user-e", "room1");
        await AddAsync("/news", "G", "user-g");
    }

    public Task DisposeAsync() => Task.WhenAll(_clients.Values.Select(c => c.Socket.DisconnectAsync("test over")));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task CheatsheetLine_ReachesExactlyItsReceivers(string line, Func<ChatServer, ChatSocket, Task> emit, string[] expected)
    {
        await Wait.ForAsync(emit(_server, _clients["A"].Socket), line);

        // First what must arrive (a volatile event must reach an idle client before anything else is queued
        // behind it), then a barrier to every client: what has not arrived by then was never sent.
        foreach (var id in expected)
            await _clients[id].Inbox.WaitForEventAsync(Cheat);
        await TestClients.SettleAsync(_clients.Values);

        var receivers = _clients.Values.Where(c => c.Inbox.HasReceived(Cheat)).Select(c => c.Id).Order().ToList();
        Assert.True(receivers.SequenceEqual(expected.Order()),
            $"{line}: expected [{string.Join(", ", expected.Order())}], reached [{string.Join(", ", receivers)}]");
        var duplicates = _clients.Values.Where(c => c.Inbox.CountOf(Cheat) > 1).Select(c => c.Id).ToList();
        Assert.True(duplicates.Count == 0, $"{line}: delivered more than once to [{string.Join(", ", duplicates)}]");
    }

    private static async Task SocketEmitWithAckAsync(ChatServer io, ChatSocket socket)
    {
        var answer = await socket.EmitWithAckAsync(Cheat, null, AckTimeout);

        Assert.Equal(new AckResponse(socket.Id, new ReplyData(socket.Id)), answer);
    }

    private static async Task NamespaceEmitWithAckAsync(ChatServer io, ChatSocket socket)
    {
        var result = await io.Main.In("room1").Timeout(AckTimeout).EmitWithAckAsync(Cheat);

        Assert.True(result.Complete);
        Assert.Equal(["A", "B"], result.Responses.Select(r => r.ConnectionId).Order());
        Assert.All(result.Responses, r => Assert.Equal(new ReplyData(r.ConnectionId), r.Data));
    }

    private async Task AddAsync(string @namespace, string id, string userId, params string[] rooms) =>
        _clients.Add(id, await _server.ConnectAsync(@namespace, id, userId, rooms));
}
