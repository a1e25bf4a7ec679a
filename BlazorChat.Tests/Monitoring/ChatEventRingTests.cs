using BlazorChat.Monitoring;
using BlazorChat.Realtime.Adapters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Monitoring;

/// <summary>The event feed: bounded, oldest first, subscribers told of new events, and fed by the server and the circuits.</summary>
public sealed class ChatEventRingTests
{
    [Fact]
    public void TheRing_KeepsOnlyTheLatestEvents_OldestFirst_AndCountsEveryOne()
    {
        var ring = new ChatEventRing(capacity: 3, TimeProvider.System);

        for (var i = 1; i <= 5; i++)
            ring.Record(ChatEventRing.Connected, "/", $"c.{i}");

        Assert.Equal(["c.3", "c.4", "c.5"], ring.Snapshot().Select(e => e.ConnectionId));
        Assert.Equal(5, ring.Total);
    }

    [Fact]
    public void Since_GivesWhatCameAfterTheTotalLastSeen_AtMostTheNewestMax_AndAllAfterARestart()
    {
        var ring = new ChatEventRing(capacity: 5, TimeProvider.System);
        for (var i = 1; i <= 3; i++)
            ring.Record(ChatEventRing.Connected, "/", $"c.{i}");

        var (first, total) = ring.Since(-1, 10);
        Assert.Equal(["c.1", "c.2", "c.3"], first.Select(e => e.ConnectionId));
        Assert.Equal(3, total);
        Assert.Empty(ring.Since(total, 10).Events);

        for (var i = 4; i <= 9; i++)
            ring.Record(ChatEventRing.Connected, "/", $"c.{i}");
        // Six new, five held: the oldest new one is gone. At most two asked for: the newest two.
        Assert.Equal(["c.5", "c.6", "c.7", "c.8", "c.9"], ring.Since(3, 10).Events.Select(e => e.ConnectionId));
        Assert.Equal(["c.8", "c.9"], ring.Since(3, 2).Events.Select(e => e.ConnectionId));
        Assert.Equal(["c.9"], ring.Since(8, 10).Events.Select(e => e.ConnectionId));
        // A reader that saw more than this ring ever recorded saw another life of the node: everything held is new.
        Assert.Equal(5, ring.Since(1_000, 10).Events.Count);
    }

    [Fact]
    public void ASubscriber_HearsNewEvents_UntilItsSubscriptionIsDisposed_AndABrokenOneStopsNobody()
    {
        var ring = new ChatEventRing(capacity: 10, TimeProvider.System);
        var heard = new List<string?>();
        using var broken = ring.Subscribe(_ => throw new InvalidOperationException("a dashboard that went away"));
        var subscription = ring.Subscribe(e => heard.Add(e.ConnectionId));

        ring.Record(ChatEventRing.Connected, "/", "c.1");
        subscription.Dispose();
        ring.Record(ChatEventRing.Connected, "/", "c.2");

        Assert.Equal(["c.1"], heard);
        Assert.Equal(2, ring.Snapshot().Count);
    }

    [Fact]
    public async Task TheServer_RecordsEachConnectAndDisconnect_WithItsPersonAndReason()
    {
        var ring = new ChatEventRing(capacity: 10, TimeProvider.System);
        var server = new ChatServer(new InMemoryAdapterFactory(), NullLoggerFactory.Instance, events: ring);

        var socket = await server.ConnectAsync(ChatServer.MainNamespace, new ConnectRequest("c.ada", TestChat.Principal("user-ada"), "user-ada", "Ada"),
            (_, _) => Task.CompletedTask);
        await socket.DisconnectAsync("tab closed");
        await socket.DisconnectAsync("again"); // already gone: nothing more to record

        Assert.Collection(ring.Snapshot(),
            e => Assert.Equal((ChatEventRing.Connected, "/", "c.ada", "user-ada", "Ada"), (e.Kind, e.Namespace, e.ConnectionId, e.PersonId, e.Detail)),
            e => Assert.Equal((ChatEventRing.Disconnected, "/", "c.ada", "user-ada", "tab closed"), (e.Kind, e.Namespace, e.ConnectionId, e.PersonId, e.Detail)));
    }

    [Fact]
    public async Task TheServer_RecordsEachRoomJoinAndLeave_ButNotARepeatedJoinOrALeaveOfARoomItWasNotIn()
    {
        var ring = new ChatEventRing(capacity: 10, TimeProvider.System);
        var server = new ChatServer(new InMemoryAdapterFactory(), NullLoggerFactory.Instance, events: ring);
        var socket = await server.ConnectAsync(ChatServer.MainNamespace, new ConnectRequest("c.ada", TestChat.Principal("user-ada"), "user-ada", "Ada"),
            (_, _) => Task.CompletedTask);

        await socket.JoinAsync("#general", "#random");
        await socket.JoinAsync("#general");
        await socket.LeaveAsync("#random");
        await socket.LeaveAsync("#never");

        Assert.Equal(
            [(ChatEventRing.Joined, "Ada joined #general"), (ChatEventRing.Joined, "Ada joined #random"), (ChatEventRing.Left, "Ada left #random")],
            ring.Snapshot().Where(e => e.Kind is ChatEventRing.Joined or ChatEventRing.Left).Select(e => (e.Kind, e.Detail)));
        Assert.All(ring.Snapshot(), e => Assert.Equal(("/", "c.ada", "user-ada"), (e.Namespace, e.ConnectionId, e.PersonId)));
    }

    [Fact]
    public async Task ARefusedConnection_IsRecordedWithTheReason()
    {
        var ring = new ChatEventRing(capacity: 10, TimeProvider.System);
        var server = new ChatServer(new InMemoryAdapterFactory(), NullLoggerFactory.Instance, events: ring);
        server.Of("/vip").Use((context, _) => context.Refuse("Members only."));

        await Assert.ThrowsAsync<ConnectRefusedException>(() => server.ConnectAsync("/vip",
            new ConnectRequest("c.eve", TestChat.Principal("user-eve"), "user-eve", "Eve"), (_, _) => Task.CompletedTask));

        var refused = Assert.Single(ring.Snapshot());
        Assert.Equal((ChatEventRing.Refused, "/vip", "c.eve", "user-eve", "Members only."),
            (refused.Kind, refused.Namespace, refused.ConnectionId, refused.PersonId, refused.Detail));
    }

    [Fact]
    public async Task CircuitsOpeningAndClosing_AndRateLimitRefusals_AreRecorded()
    {
        await using var chat = new TestChat();
        var ring = new ChatEventRing(capacity: 10, TimeProvider.System);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ChatMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ring);
        var session = chat.NewSession("user-ada");
        var handler = new ChatCircuitHandler(session, Options.Create(new ChatOptions()), TimeProvider.System,
            NullLogger<ChatCircuitHandler>.Instance, metrics, ring);
        var circuit = (Microsoft.AspNetCore.Components.Server.Circuits.Circuit)System.Runtime.CompilerServices.RuntimeHelpers
            .GetUninitializedObject(typeof(Microsoft.AspNetCore.Components.Server.Circuits.Circuit));

        await handler.OnCircuitOpenedAsync(circuit, CancellationToken.None);
        metrics.RateLimitRefused("message");
        await handler.OnCircuitClosedAsync(circuit, CancellationToken.None);

        Assert.Equal([ChatEventRing.CircuitOpened, ChatEventRing.RateLimited, ChatEventRing.CircuitClosed], ring.Snapshot().Select(e => e.Kind));
        Assert.All(ring.Snapshot().Where(e => e.Kind != ChatEventRing.RateLimited), e => Assert.Equal(session.TabId, e.ConnectionId));
        Assert.Equal("message", ring.Snapshot()[1].Detail);
    }
}
