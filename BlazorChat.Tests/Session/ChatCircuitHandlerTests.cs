using BlazorChat.Accounts;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Session;

public sealed class ChatCircuitHandlerTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();
    private readonly ManualTimeProvider _time = new();
    private readonly RecordingLogger<ChatCircuitHandler> _log = new();
    private static readonly TimeSpan Grace = new ChatOptions().AwayAfterTransportLoss;

    // The handler shows nothing of its wait for the transport to come back: the tests read the source it holds.
    private static readonly FieldInfo AwayField =
        typeof(ChatCircuitHandler).GetField("_away", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("ChatCircuitHandler no longer keeps its wait in _away: update these tests.");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task CircuitClosed_TakesTheTabOutOfTheChatAtOnce()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var handler = NewHandler(session);

        await handler.OnCircuitClosedAsync(AnyCircuit(), CancellationToken.None);

        Assert.False(session.IsJoined);
        Assert.Null(await _chat.Names.NameOfAsync("user-ada"));
        Assert.Equal("user-ada", (await bob.Events.WaitForAsync<PersonLeft>()).Person.UserId);
    }

    [Fact]
    public async Task ConnectionDown_KeepsTheTabInTheChatForItsReconnect()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var handler = NewHandler(session);

        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);

        Assert.True(session.IsJoined);
        Assert.Equal(1, _chat.Server.Main.ConnectionCount);
    }

    [Fact]
    public async Task CircuitClosed_BeforeJoining_IsHarmless()
    {
        var session = _chat.NewSession("user-ada");
        var handler = NewHandler(session);

        await handler.OnCircuitClosedAsync(AnyCircuit(), CancellationToken.None);

        Assert.False(session.IsJoined);
    }

    [Fact]
    public async Task TransportAwayPastTheGrace_TakesThePersonOfflineForOthers_ButKeepsTheTabReadyToResume()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var handler = NewHandler(session);

        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        await TestChat.BarrierAsync(bob);
        Assert.Equal(2, _chat.Server.Main.ConnectionCount);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("user-ada", (await bob.Events.WaitForAsync<PersonLeft>()).Person.UserId);
        Assert.Equal(1, _chat.Server.Main.ConnectionCount);
        Assert.True(session.IsSuspended);
        Assert.True(session.IsJoined);
        Assert.Equal("Ada", await _chat.Names.NameOfAsync("user-ada")); // nobody else can take the name meanwhile
        Assert.Contains(_log.Messages, m => m.StartsWith("user disconnected: tab", StringComparison.Ordinal) && m.Contains("(Ada)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TransportBackWithinTheGrace_ChangesNothing()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var connectionId = session.ConnectionId;
        var handler = NewHandler(session);

        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        _time.Advance(Grace / 2);
        await handler.OnConnectionUpAsync(AnyCircuit(), CancellationToken.None);
        _time.Advance(Grace * 2);
        await TestChat.BarrierAsync(bob);

        Assert.False(session.IsSuspended);
        Assert.Equal(connectionId, session.ConnectionId);
        Assert.DoesNotContain(bob.Events.ChatEvents, e => e is PersonLeft);
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public async Task TransportBackAfterTheGrace_RejoinsTheSameNamespaceAndRooms_AndStartsTheTabAfresh()
    {
        var session = _chat.NewSession("user-ada");
        var received = new EventRecorder();
        using var subscription = session.Subscribe(received.DeliverAsync);
        await session.JoinAsync("Ada");
        await session.SendAsync(ChatEvents.JoinRoom, new JoinRoomRequest("design"));
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");
        var handler = NewHandler(session);
        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        _time.Advance(Grace);
        await bob.Events.WaitForAsync<PersonLeft>();

        await handler.OnConnectionUpAsync(AnyCircuit(), CancellationToken.None);

        Assert.False(session.IsSuspended);
        Assert.Equal(ChatServer.MainNamespace, session.Namespace);
        await bob.Events.WaitForAsync<PersonJoined>(j => j.Person.UserId == "user-ada");
        await received.WaitForAsync<NamespaceWelcome>(w => w.ConnectionId == session.ConnectionId);
        var ada = Assert.Single(await _chat.Server.Main.In("design").FetchConnectionsAsync(), c => c.UserId == "user-ada");
        Assert.Equal(session.ConnectionId, ada.Id);
        await bob.SendMessageAsync("design", "welcome back");
        Assert.Equal("welcome back", (await received.WaitForAsync<MessagePosted>()).Message.Text);
    }

    [Fact]
    public async Task CircuitClosedWhileSuspended_FreesTheName()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var handler = NewHandler(session);
        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        _time.Advance(Grace);
        await WaitUntilAsync(() => session.IsSuspended);

        await handler.OnCircuitClosedAsync(AnyCircuit(), CancellationToken.None);

        Assert.False(session.IsJoined);
        Assert.Null(await _chat.Names.NameOfAsync("user-ada"));
    }

    [Fact]
    public async Task TransportBackWithinTheGrace_DisposesTheWaitItEnds()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var handler = NewHandler(session);
        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        var away = WaitOf(handler);
        Assert.False(IsDisposed(away));

        await handler.OnConnectionUpAsync(AnyCircuit(), CancellationToken.None);

        Assert.True(IsDisposed(away));
        Assert.Null(WaitOrNullOf(handler));
    }

    [Fact]
    public async Task TransportDownAgain_DisposesTheWaitItReplaces_AndTheCloseDisposesTheNewOne()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var handler = NewHandler(session);
        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        var first = WaitOf(handler);

        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        var second = WaitOf(handler);
        Assert.True(IsDisposed(first));
        Assert.False(IsDisposed(second));
        await handler.OnCircuitClosedAsync(AnyCircuit(), CancellationToken.None);

        Assert.True(IsDisposed(second));
        Assert.Null(WaitOrNullOf(handler));
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public async Task TransportAwayPastTheGrace_DisposesTheWaitOnceItRanOut_AndTheReconnectStillResumes()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");
        var handler = NewHandler(session);
        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        var away = WaitOf(handler);

        _time.Advance(Grace);
        await WaitUntilAsync(() => session.IsSuspended && IsDisposed(away));
        Assert.Null(WaitOrNullOf(handler));
        await handler.OnConnectionUpAsync(AnyCircuit(), CancellationToken.None);

        Assert.False(session.IsSuspended);
    }

    [Fact]
    public async Task TransportAwayPastTheGrace_GivesTheTabsPlaceBack_SoATabItsPersonOpensInsteadIsNotRefused()
    {
        OnePlacePerPerson();
        var lost = _chat.NewSession("user-ada");
        var handler = NewHandler(lost);
        await handler.OnCircuitOpenedAsync(AnyCircuit(), CancellationToken.None);
        await lost.JoinAsync("Ada");
        var fresh = _chat.NewSession("user-ada");
        Assert.False(await fresh.TakeCircuitPlaceAsync()); // the lost tab still holds the only place

        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None); // killed: no goodbye, the circuit stays
        _time.Advance(Grace - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Equal(1, _chat.Circuits.CountOf("user-ada"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntilAsync(() => _chat.Circuits.CountOf("user-ada") == 0);

        Assert.True(await fresh.TakeCircuitPlaceAsync());
        Assert.Null(await fresh.JoinAsync("Ada"));
        Assert.Null(fresh.Notice);
    }

    [Fact]
    public async Task TransportBackAfterTheGrace_TakesThePlaceAgain_AndResumes()
    {
        var session = _chat.NewSession("user-ada");
        var handler = NewHandler(session);
        await handler.OnCircuitOpenedAsync(AnyCircuit(), CancellationToken.None);
        await session.JoinAsync("Ada");
        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        _time.Advance(Grace);
        await WaitUntilAsync(() => session.IsSuspended && _chat.Circuits.CountOf("user-ada") == 0);

        await handler.OnConnectionUpAsync(AnyCircuit(), CancellationToken.None);

        Assert.Equal(1, _chat.Circuits.CountOf("user-ada"));
        Assert.False(session.IsSuspended);
        Assert.True(session.IsJoined);
        await handler.OnCircuitClosedAsync(AnyCircuit(), CancellationToken.None);
        Assert.Equal(0, _chat.Circuits.CountOf("user-ada")); // given back once, not twice
    }

    [Fact]
    public async Task TransportBackAfterTheGrace_WithEveryPlaceTakenMeanwhile_StaysOutOfTheChat_SaysWhy_AndJoinsOnceATabCloses()
    {
        OnePlacePerPerson();
        var back = _chat.NewSession("user-ada");
        var told = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var subscription = back.Subscribe((packet, _) =>
        {
            told.Enqueue(packet.Event);
            return Task.CompletedTask;
        });
        var handler = NewHandler(back);
        await handler.OnCircuitOpenedAsync(AnyCircuit(), CancellationToken.None);
        await back.JoinAsync("Ada");
        await handler.OnConnectionDownAsync(AnyCircuit(), CancellationToken.None);
        _time.Advance(Grace);
        await WaitUntilAsync(() => _chat.Circuits.CountOf("user-ada") == 0);
        var other = _chat.NewSession("user-ada"); // the tab its person opened instead
        Assert.True(await other.TakeCircuitPlaceAsync());
        Assert.Null(await other.JoinAsync("Ada"));

        await handler.OnConnectionUpAsync(AnyCircuit(), CancellationToken.None);

        const string Refusal = "You already have a BlazorChat tab open. Close it to chat here.";
        Assert.Equal(Refusal, back.Notice);
        Assert.False(back.IsJoined);
        Assert.False(back.IsSuspended);
        Assert.Equal(1, _chat.Circuits.CountOf("user-ada"));
        Assert.Equal(1, _chat.Server.Main.ConnectionCount); // the other tab's
        await WaitUntilAsync(() => told.Contains(ChatSession.AccessChangedEvent)); // the page shows the notice
        Assert.Contains(_log.Messages, m => m.Contains("could not rejoin: " + Refusal, StringComparison.Ordinal));

        await other.DisposeAsync();

        Assert.Null(await back.JoinAsync("Ada"));
        Assert.Null(back.Notice);
        Assert.Equal(1, _chat.Circuits.CountOf("user-ada"));
    }

    [Fact]
    public async Task AfterItsInboundActivities_TheCircuitLetsGoOfTheRenderBatchesTheBrowserConfirmed()
    {
        var renderer = RealRenderer.Create();
        var handler = NewHandler(_chat.NewSession("user-ada"));
        await handler.OnCircuitOpenedAsync(renderer.Circuit, default);
        // Each activity a confirmation, of a batch the renderer queued on its dispatcher before it.
        var activity = handler.CreateInboundActivityHandler(_ => Task.CompletedTask);
        var queue = renderer.Queue;
        for (var id = 1; id <= ConfirmedRenderBatches.RenewEvery; id++)
        {
            var batchId = id;
            await renderer.Dispatcher.InvokeAsync(() => renderer.Render(batchId));
            await renderer.ConfirmAsync(id);
            await activity(null!);
        }
        await renderer.Dispatcher.InvokeAsync(() => { });
        Assert.NotSame(queue, renderer.Queue);
        Assert.Equal(0, renderer.Unconfirmed);

        // A closed circuit's queue is left to the framework.
        await handler.OnCircuitClosedAsync(renderer.Circuit, default);
        queue = renderer.Queue;
        for (var i = 0; i < ConfirmedRenderBatches.RenewEvery * 2; i++)
            await activity(null!);
        await renderer.Dispatcher.InvokeAsync(() => { });
        Assert.Same(queue, renderer.Queue);
    }

    private void OnePlacePerPerson() =>
        _chat.Circuits = new InMemoryCircuitPlaces(new FixedOptionsMonitor<AccountOptions>(new AccountOptions { MaxCircuitsPerPerson = 1 }));

    private ChatCircuitHandler NewHandler(ChatSession session) =>
        new(session, Options.Create(new ChatOptions()), _time, _log);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }

    private static CancellationTokenSource WaitOf(ChatCircuitHandler handler) =>
        Assert.IsType<CancellationTokenSource>(AwayField.GetValue(handler));

    private static CancellationTokenSource? WaitOrNullOf(ChatCircuitHandler handler) =>
        (CancellationTokenSource?)AwayField.GetValue(handler);

    // A disposed source refuses to hand out its token; a live one (cancelled or not) still does.
    private static bool IsDisposed(CancellationTokenSource source)
    {
        try
        {
            _ = source.Token;
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    // Circuit has no public constructor; the handler never looks inside it.
    private static Circuit AnyCircuit() => (Circuit)RuntimeHelpers.GetUninitializedObject(typeof(Circuit));
}
