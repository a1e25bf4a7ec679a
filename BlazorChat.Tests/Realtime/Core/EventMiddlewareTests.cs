using System.Text.RegularExpressions;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// socket.io's per-packet middleware (<c>socket.use</c>), per namespace and per family: it runs before every
/// handler, in order (the family's first), and a refusal stops the event before any handler sees it.
/// </summary>
public sealed partial class EventMiddlewareTests
{
    private readonly ChatServer _server = TestClients.NewServer();

    [Fact]
    public async Task UseEvents_RunsBeforeEveryHandler_InOrder_AndSeesTheSocketAndTheEvent()
    {
        var seen = new List<string>();
        _server.Main.UseEvents(async (context, next) =>
        {
            seen.Add($"first {context.Packet.Event} {context.Socket.Id}");
            await next();
        });
        _server.Main.UseEvents(async (_, next) =>
        {
            seen.Add("second");
            await next();
        });
        _server.Main.On("ping", (_, _, _) =>
        {
            seen.Add("handler");
            return Task.FromResult<EventData?>(new TextData("pong"));
        });
        var client = await _server.ConnectAsync("/", "a");

        var ack = await client.Socket.SendAsync("ping");

        Assert.Equal(new TextData("pong"), ack);
        Assert.Equal(["first ping a", "second", "handler"], seen);
    }

    [Fact]
    public async Task EventsOfOneConnection_AreHandledOneAtATime_InTheOrderTheyCame_EvenWhenMiddlewareWaits()
    {
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new List<string>();
        _server.Main.UseEvents(async (context, next) =>
        {
            // The first event's access check is slow (a database, say); the second's is instant.
            if (context.Packet.Data is TextData { Value: "first" })
                await firstHeld.Task;
            await next();
        });
        _server.Main.On("say", (_, data, _) =>
        {
            lock (handled)
                handled.Add(((TextData)data!).Value);
            return Task.FromResult<EventData?>(null);
        });
        var client = await _server.ConnectAsync("/", "a");
        var other = await _server.ConnectAsync("/", "b");

        var first = client.Socket.SendAsync("say", new TextData("first"));
        var second = client.Socket.SendAsync("say", new TextData("second"));
        await other.Socket.SendAsync("say", new TextData("another connection is not held up"));
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        firstHeld.SetResult();
        await Task.WhenAll(first, second);

        Assert.Equal(["another connection is not held up", "first", "second"], handled);
    }

    [Fact]
    public async Task UseEvents_Refusal_StopsTheEventBeforeTheHandler_WithItsReason()
    {
        var handled = 0;
        _server.Main.UseEvents((context, next) =>
            context.Packet.Event == "secret" ? throw new ChatRefusedException("Not for you.") : next());
        _server.Main.On("secret", (_, _, _) => { handled++; return Task.FromResult<EventData?>(null); });
        _server.Main.On("open", (_, _, _) => { handled++; return Task.FromResult<EventData?>(null); });
        var client = await _server.ConnectAsync("/", "a");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => client.Socket.SendAsync("secret"));
        await client.Socket.SendAsync("open");

        Assert.Equal("Not for you.", refused.Message);
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task UseEvents_ThatNeverCallsNext_IsARefusal_NotASilentSuccess()
    {
        _server.Main.UseEvents((_, _) => Task.CompletedTask);
        _server.Main.On("ping", (_, _, _) => Task.FromResult<EventData?>(new TextData("pong")));
        var client = await _server.ConnectAsync("/", "a");

        await Assert.ThrowsAsync<ChatRefusedException>(() => client.Socket.SendAsync("ping"));
    }

    [Fact]
    public async Task UseEvents_OnAFamily_RunsForEveryChild_BeforeTheChildsOwn()
    {
        var seen = new List<string>();
        var family = _server.Of(TenantPattern(), "/tenant-{name}");
        family.UseEvents(async (context, next) =>
        {
            seen.Add("family " + context.Socket.Namespace.Name);
            await next();
        });
        family.On("ping", (_, _, _) => Task.FromResult<EventData?>(null));
        _server.Of("/tenant-b").UseEvents(async (_, next) =>
        {
            seen.Add("own");
            await next();
        });
        var a = await _server.ConnectAsync("/tenant-a", "a");
        var b = await _server.ConnectAsync("/tenant-b", "b");

        await a.Socket.SendAsync("ping");
        await b.Socket.SendAsync("ping");

        Assert.Equal(["family /tenant-a", "family /tenant-b", "own"], seen);
    }

    [GeneratedRegex("^/tenant-[a-z]+$")]
    private static partial Regex TenantPattern();
}
