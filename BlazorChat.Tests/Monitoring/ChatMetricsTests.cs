using BlazorChat.Monitoring;
using BlazorChat.Persistence;
using BlazorChat.Persistence.Sqlite;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Persistence;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Monitoring;

/// <summary>
/// The chat's instruments are recorded where the work happens: a message sent counts once and delivers once per tab in
/// its conversation; connections and circuits move their gauges; acknowledgements, store commits and outbox backlog
/// are measured; each listened to on a meter of the test's own (<see cref="MetricsProbe"/>).
/// </summary>
public sealed class ChatMetricsTests : IAsyncDisposable
{
    private const string Messages = "blazorchat.messages", Deliveries = "blazorchat.deliveries", Connections = "blazorchat.connections",
        Circuits = "blazorchat.circuits", AckDuration = "blazorchat.message.ack.duration", Commits = "blazorchat.store.commit.duration",
        Backlog = "blazorchat.outbox.backlog", Refusals = "blazorchat.ratelimit.refusals";

    private readonly MetricsProbe _probe = new();
    private readonly TestChat _chat;

    public ChatMetricsTests() => _chat = new TestChat(metrics: _probe.Metrics);

    [Fact]
    public async Task SendingARoomMessage_CountsOneMessage_AndOneDeliveryPerTabInTheRoom()
    {
        var tabs = new[]
        {
            await _chat.ConnectAsync("user-ada", "Ada"),
            await _chat.ConnectAsync("user-ada", "Ada"),
            await _chat.ConnectAsync("user-bob", "Bob"),
            await _chat.ConnectAsync("user-cy", "Cy"),
        };
        var inRoom = await _chat.Server.Main.In(RoomNames.General).FetchConnectionsAsync();
        Assert.Equal(tabs.Length, inRoom.Count);
        Assert.Equal(0, _probe.Sum(Messages));

        var sent = await tabs[0].SendMessageAsync(RoomNames.General, "hello");
        foreach (var tab in tabs)
            await tab.Events.WaitForEventAsync(e => e is MessagePosted posted && posted.Message.Id == sent.Id, "the message");
        await TestChat.BarrierAsync(tabs);

        Assert.Equal(1, _probe.Sum(Messages, ("kind", ChatMetrics.RoomMessage)));
        Assert.Equal(0, _probe.Sum(Messages, ("kind", ChatMetrics.DirectMessage)));
        Assert.Equal(tabs.Length, _probe.Sum(Deliveries, ("event", ChatEvents.Message)));
    }

    [Fact]
    public async Task SendingAPrivateMessage_CountsADirectMessage_DeliveredToEveryTabOfBothPeople_AndNobodyElse()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var adaAgain = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var cy = await _chat.ConnectAsync("user-cy", "Cy");

        var sent = await ada.SendDirectAsync(bob, "psst");
        foreach (var tab in new[] { ada, adaAgain, bob })
            await tab.Events.WaitForEventAsync(e => e is DirectPosted posted && posted.Message.Id == sent.Id, "the private message");
        await TestChat.BarrierAsync(ada, adaAgain, bob, cy);

        Assert.Equal(1, _probe.Sum(Messages, ("kind", ChatMetrics.DirectMessage)));
        Assert.Equal(0, _probe.Sum(Messages, ("kind", ChatMetrics.RoomMessage)));
        Assert.Equal(3, _probe.Sum(Deliveries, ("event", ChatEvents.Direct)));
        Assert.Empty(cy.Events.Directs);
    }

    [Fact]
    public async Task ARefusedMessage_CountsNoMessage_AndDeliversNothing()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync(RoomNames.General, "   "));
        await ada.BarrierAsync();

        Assert.Equal(0, _probe.Sum(Messages));
        Assert.Equal(0, _probe.Sum(Deliveries, ("event", ChatEvents.Message)));
    }

    [Fact]
    public async Task ConnectingAndDisconnecting_MovesTheConnectionsGauge()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        Assert.Equal(2, _probe.Sum(Connections));

        await ada.DisconnectAsync();
        await ada.DisconnectAsync(); // a second disconnect is a no-op: it must not count again

        Assert.Equal(1, _probe.Sum(Connections));
        Assert.Equal(_chat.Server.Main.ConnectionCount, _probe.Sum(Connections));
        await bob.DisconnectAsync();
        Assert.Equal(0, _probe.Sum(Connections));
    }

    [Fact]
    public async Task AMessageEveryTabRendered_RecordsItsAcknowledgementLatency_AsAll()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-bob", "Bob");

        await ada.SendMessageAsync(RoomNames.General, "hello");
        await ada.Events.WaitForAsync<DeliveryReport>();

        Assert.Equal(1, _probe.Records(AckDuration, ("outcome", ChatMetrics.AllAcknowledged)));
        Assert.Equal(0, _probe.Records(AckDuration, ("outcome", ChatMetrics.SomeMissing)));
        Assert.InRange(_probe.Sum(AckDuration), 0, TestChat.DefaultAckTimeout.TotalSeconds);
    }

    [Fact]
    public async Task AMessageATabNeverConfirms_RecordsTheWaitUntilTheTimeout_AsPartial()
    {
        var timeout = TimeSpan.FromMilliseconds(300);
        await using var chat = new TestChat(ackTimeout: timeout, metrics: _probe.Metrics);
        var ada = await chat.ConnectAsync("user-ada", "Ada");
        var bob = await chat.ConnectAsync("user-bob", "Bob");
        bob.Events.AutoAck = false;

        await ada.SendMessageAsync(RoomNames.General, "anyone?");
        await ada.Events.WaitForAsync<DeliveryReport>();

        Assert.Equal(1, _probe.Records(AckDuration, ("outcome", ChatMetrics.SomeMissing)));
        Assert.Equal(0, _probe.Records(AckDuration, ("outcome", ChatMetrics.AllAcknowledged)));
        Assert.True(_probe.Sum(AckDuration) >= timeout.TotalSeconds * 0.9, $"recorded {_probe.Sum(AckDuration)} s");
    }

    [Fact]
    public async Task EveryStoreCommit_IsTimed_WithItsEngine()
    {
        using var folder = new TempDatabaseFolder();
        await using var store = new SqliteMessageStore(folder.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance, _probe.Metrics);

        await store.AppendAsync(new NewMessage(Guid.NewGuid(), "/#general", "user-ada", "Ada", "one", DateTimeOffset.UtcNow, []));
        await store.AppendAsync(new NewMessage(Guid.NewGuid(), "/#general", "user-ada", "Ada", "two", DateTimeOffset.UtcNow, []));

        Assert.Equal(2, _probe.Records(Commits, ("store", ChatMetrics.SqliteStore)));
        Assert.True(_probe.Sum(Commits) > 0);
    }

    [Fact]
    public async Task TheOutboxBacklog_CountsEventsWaitingBehindATabThatHasNotTakenItsLast()
    {
        var server = new ChatServer(new InMemoryAdapterFactory(), NullLoggerFactory.Instance, _probe.Metrics);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var taken = 0;
        var slow = await server.ConnectAsync(ChatServer.MainNamespace, new ConnectRequest("c.slow", TestChat.Principal("u"), "u", "Slow"),
            (_, _) => { Interlocked.Increment(ref taken); return release.Task; });
        Assert.Equal(0, _probe.Observe(Backlog));

        for (var i = 0; i < 4; i++)
            await slow.EmitAsync("test:event");
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref taken) == 1)); // the first is with the tab

        Assert.Equal(3, _probe.Observe(Backlog));
        release.SetResult();
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref taken) == 4));
        Assert.Equal(0, _probe.Observe(Backlog));
        await slow.DisconnectAsync("test over");
    }

    [Fact]
    public async Task TheCircuitHandler_MovesTheCircuitsGauge_OnceForEachOpenAndClose()
    {
        var first = CircuitHandler(_chat.NewSession("user-ada"), NullLogger<ChatCircuitHandler>.Instance);
        var second = CircuitHandler(_chat.NewSession("user-bob"), NullLogger<ChatCircuitHandler>.Instance);
        var circuit = UninitializedCircuit();

        await first.OnCircuitOpenedAsync(circuit, CancellationToken.None);
        await second.OnCircuitOpenedAsync(circuit, CancellationToken.None);
        Assert.Equal(2, _probe.Sum(Circuits));

        await first.OnCircuitClosedAsync(circuit, CancellationToken.None);
        await first.OnCircuitClosedAsync(circuit, CancellationToken.None);
        Assert.Equal(1, _probe.Sum(Circuits));

        await second.OnCircuitClosedAsync(circuit, CancellationToken.None);
        Assert.Equal(0, _probe.Sum(Circuits));
    }

    [Fact]
    public async Task WhatACircuitHandles_IsLoggedUnderItsConnectionAndPersonIds()
    {
        var logs = new ScopeRecordingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var session = _chat.NewSession("user-ada");
        var handler = CircuitHandler(session, factory.CreateLogger<ChatCircuitHandler>());
        var inside = factory.CreateLogger("BlazorChat.Test");
        var activity = handler.CreateInboundActivityHandler(async _ =>
        {
            await Task.Yield(); // logged after an await: the scope flows with the activity, not only its first step
            inside.LogInformation("an event of the tab");
        });

        Assert.Null(await session.JoinAsync("Ada"));
        await activity(null!);

        var logged = Assert.Single(logs.Entries, e => e.Message == "an event of the tab");
        Assert.Equal(session.TabId, logged.Scope[ConnectionLogScope.ConnectionIdKey]);
        Assert.Equal("user-ada", logged.Scope[ConnectionLogScope.PersonIdKey]);
        inside.LogInformation("outside any activity");
        Assert.Empty(Assert.Single(logs.Entries, e => e.Message == "outside any activity").Scope);
    }

    [Fact]
    public void ARateLimitRefusal_IsCountedByWhatWasLimited()
    {
        _probe.Metrics.RateLimitRefused("message");
        _probe.Metrics.RateLimitRefused("message");
        _probe.Metrics.RateLimitRefused("join");

        Assert.Equal(2, _probe.Sum(Refusals, ("kind", "message")));
        Assert.Equal(1, _probe.Sum(Refusals, ("kind", "join")));
    }

    private ChatCircuitHandler CircuitHandler(ChatSession session, ILogger<ChatCircuitHandler> logger) =>
        new(session, Options.Create(new ChatOptions()), TimeProvider.System, logger, _probe.Metrics);

    // Circuit's constructor is internal; the handler only passes it on.
    private static Circuit UninitializedCircuit() =>
        (Circuit)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(Circuit));

    public async ValueTask DisposeAsync()
    {
        await _chat.DisposeAsync();
        _probe.Dispose();
    }

    [Fact]
    public void AMultiNodeAdaptersQueue_IsTheClusterPublishBacklog_AndZeroWithoutOne()
    {
        var factory = new QueueingAdapterFactory { Backlog = 7 };

        _ = new ChatServer(factory, NullLoggerFactory.Instance, _probe.Metrics);

        Assert.Equal(7, _probe.Observe("blazorchat.cluster.publish.backlog"));
        factory.Backlog = 2;
        Assert.Equal(2, _probe.Observe("blazorchat.cluster.publish.backlog"));
    }

    [Fact]
    public void OneNode_HasNoClusterPublishBacklog()
    {
        _ = new ChatServer(new InMemoryAdapterFactory(), NullLoggerFactory.Instance, _probe.Metrics);

        Assert.Equal(0, _probe.Observe("blazorchat.cluster.publish.backlog"));
    }

    private sealed class QueueingAdapterFactory : IChatAdapterFactory, IBacklogSource
    {
        public long Backlog { get; set; }

        public IChatAdapter Create(string @namespace, ILocalConnections connections) => new InMemoryAdapter(@namespace, connections);
    }
}
