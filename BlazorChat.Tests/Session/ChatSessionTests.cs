using Microsoft.Extensions.Hosting;

namespace BlazorChat.Tests.Session;

/// <summary>One circuit's session on a real server: identity, names, namespaces, sending and subscribers.</summary>
public sealed class ChatSessionTests : IAsyncLifetime
{
    private TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    private int MainConnections => _chat.Server.Main.ConnectionCount;

    [Fact]
    public async Task JoinAsync_UsesTheUserIdFromTheAuthenticationStateAndClaimsTheName()
    {
        var session = _chat.NewSession("user-42");
        var received = new EventRecorder();
        using var subscription = session.Subscribe(received.DeliverAsync);

        var reason = await session.JoinAsync("  Ada  ");

        Assert.Null(reason);
        Assert.True(session.IsJoined);
        Assert.Equal("user-42", session.UserId);
        Assert.Equal("Ada", session.DisplayName);
        Assert.Equal(ChatServer.MainNamespace, session.Namespace);
        Assert.Equal("Ada", await _chat.Names.NameOfAsync("user-42"));
        var welcome = await received.WaitForAsync<NamespaceWelcome>();
        Assert.Equal(new Person("user-42", "Ada"), welcome.You);
        Assert.Equal(session.ConnectionId, welcome.ConnectionId);
        Assert.Equal(1, MainConnections);
    }

    [Fact]
    public async Task SendAsync_FromATabsDispatcher_RunsTheServersSideOffIt_AndAnswersOnIt()
    {
        var serverSawTheDispatcher = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _chat.Server.Main.UseEvents(async (context, next) =>
        {
            await Task.Yield(); // comes back to whatever context the server's side runs under
            serverSawTheDispatcher.TrySetResult(SynchronizationContext.Current is OneThreadDispatcher);
            await next();
        });
        var session = _chat.NewSession("user-42");
        Assert.Null(await session.JoinAsync("Ada"));
        using var dispatcher = new OneThreadDispatcher();

        var (error, answeredOnTheDispatcher) = await dispatcher.RunAsync(async () =>
        {
            var (_, error) = await session.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(RoomNames.General, 1));
            return (error, SynchronizationContext.Current == dispatcher);
        });

        Assert.Null(error);
        Assert.False(await serverSawTheDispatcher.Task, "the server's side of the request ran on the tab's dispatcher");
        Assert.True(answeredOnTheDispatcher, "the page's await did not come back to its dispatcher");
    }

    /// <summary>A dispatcher like a circuit's: what is posted to it runs on its one thread, in order.</summary>
    private sealed class OneThreadDispatcher : SynchronizationContext, IDisposable
    {
        private readonly System.Collections.Concurrent.BlockingCollection<(SendOrPostCallback Work, object? State)> _queue = [];

        public OneThreadDispatcher()
        {
            var thread = new Thread(() =>
            {
                SetSynchronizationContext(this);
                foreach (var (work, state) in _queue.GetConsumingEnumerable())
                    work(state);
            }) { IsBackground = true };
            thread.Start();
        }

        public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

        public Task<T> RunAsync<T>(Func<Task<T>> work)
        {
            var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(_ => started.SetResult(work()), null);
            return started.Task.Unwrap();
        }

        public void Dispose() => _queue.CompleteAdding();
    }

    [Fact]
    public async Task JoinAsync_WithoutANameIdentifier_IsRefusedAndClaimsNothing()
    {
        var session = _chat.NewSession(FixedAuthenticationStateProvider.WithoutUserId());

        var reason = await session.JoinAsync("Ada");

        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.False(session.IsJoined);
        Assert.Null(session.UserId);
        Assert.Equal(0, MainConnections);
        Assert.Null(await _chat.Names.ClaimAsync("user-other", "Ada"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("line\nbreak")]
    public async Task JoinAsync_InvalidName_IsRefusedAndDoesNotConnect(string? name)
    {
        var session = _chat.NewSession("user-42");

        Assert.NotNull(await session.JoinAsync(name));

        Assert.False(session.IsJoined);
        Assert.Equal(0, MainConnections);
        Assert.Null(await _chat.Names.NameOfAsync("user-42"));
    }

    [Fact]
    public async Task JoinAsync_NameAnotherPersonUses_IsRefusedIgnoringCase()
    {
        var ada = _chat.NewSession("user-1");
        var impostor = _chat.NewSession("user-2");
        await ada.JoinAsync("Ada");

        var reason = await impostor.JoinAsync("ADA");

        Assert.NotNull(reason);
        Assert.Contains("already called", reason, StringComparison.Ordinal);
        Assert.False(impostor.IsJoined);
        Assert.Equal(1, MainConnections);
    }

    [Fact]
    public async Task JoinAsync_TwoTabsOfOnePerson_AreOnePersonOnline()
    {
        var tab1 = _chat.NewSession("user-42");
        var tab2 = _chat.NewSession("user-42");

        Assert.Null(await tab1.JoinAsync("Ada"));
        Assert.Null(await tab2.JoinAsync("Ada"));

        Assert.NotEqual(tab1.ConnectionId, tab2.ConnectionId);
        Assert.Equal(2, MainConnections);
        var observer = await _chat.ConnectAsync("user-obs", "Observer");
        var welcome = await observer.Events.WaitForAsync<NamespaceWelcome>();
        Assert.Single(welcome.Online, p => p.UserId == "user-42");
    }

    [Fact]
    public async Task JoinAsync_SecondTabUnderAnotherName_IsRefused()
    {
        var tab1 = _chat.NewSession("user-42");
        var tab2 = _chat.NewSession("user-42");
        await tab1.JoinAsync("Ada");

        var reason = await tab2.JoinAsync("Countess");

        Assert.NotNull(reason);
        Assert.False(tab2.IsJoined);
        Assert.Equal(1, MainConnections);
    }

    [Fact]
    public async Task SendAsync_ThatFindsTheStoreClosed_OnceTheServerIsStopping_IsToldSo_AndLogsNoError()
    {
        var log = new RecordingLogger<ChatSession>();
        var lifetime = new StoppableLifetime();
        var session = _chat.NewSession(FixedAuthenticationStateProvider.ForUser("user-42"), log, lifetime);
        await session.JoinAsync("Ada");
        await _chat.Store.DisposeAsync();

        // Before the host stops, a closed store is a failure on the server: an error in the log, and the general answer.
        var (_, early) = await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "early"));
        Assert.Equal("Something went wrong on the server, and this was not done. Try again in a moment.", early);
        Assert.Single(log.Warnings);

        lifetime.StopApplication();
        var (reply, error) = await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "late"));

        Assert.Null(reply);
        Assert.Equal(ChatSession.ShuttingDown, error);
        Assert.Single(log.Warnings);
        Assert.Contains(log.Messages, m => m.Contains("the server is shutting down", StringComparison.Ordinal));
    }

    private sealed class StoppableLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }

    [Fact]
    public async Task SendAsync_BeforeJoining_IsRefused()
    {
        var session = _chat.NewSession("user-42");

        var (reply, error) = await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "hello"));

        Assert.Null(reply);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task SendAsync_AfterJoining_ReturnsTheAcknowledgementAndReachesOthers()
    {
        var session = _chat.NewSession("user-42");
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var id = Guid.NewGuid();

        var (reply, error) = await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(id, RoomNames.General, "  hello  "));

        Assert.Null(error);
        Assert.Equal(id, Assert.IsType<MessageAccepted>(reply).Id);
        var received = (await bob.Events.WaitForMessageAsync("hello")).OfType<MessagePosted>().Single();
        Assert.Equal(new Person("user-42", "Ada"), received.Message.Sender);
    }

    [Fact]
    public async Task SendAsync_RefusedByTheNamespace_ReturnsTheReasonAndDeliversNothing()
    {
        var session = _chat.NewSession("user-42");
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        var (reply, error) = await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "   "));

        Assert.Null(reply);
        Assert.False(string.IsNullOrWhiteSpace(error));
        await bob.BarrierAsync();
        Assert.Empty(bob.Events.Messages);
    }

    [Fact]
    public async Task SwitchNamespaceAsync_ToAdminAsAGuest_ReturnsTheReasonAndStaysInMain()
    {
        var session = _chat.NewSession("user-42");
        var received = new EventRecorder();
        using var subscription = session.Subscribe(received.DeliverAsync);
        await session.JoinAsync("Ada");
        var before = session.ConnectionId;

        var reason = await session.SwitchNamespaceAsync(ChatHandlers.AdminNamespace);

        Assert.NotNull(reason);
        Assert.Contains("Only administrators", reason, StringComparison.Ordinal);
        Assert.Equal(ChatServer.MainNamespace, session.Namespace);
        Assert.Equal(before, session.ConnectionId);
        Assert.Equal(1, MainConnections);
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "still here?");
        await received.WaitForMessageAsync("still here?");
    }

    [Fact]
    public async Task SwitchNamespaceAsync_ToAdminAsAnAdmin_Moves()
    {
        var session = _chat.NewSession(FixedAuthenticationStateProvider.ForUser("user-root", ChatHandlers.AdminRole));
        await session.JoinAsync("Root");

        Assert.Null(await session.SwitchNamespaceAsync(ChatHandlers.AdminNamespace));

        Assert.Equal(ChatHandlers.AdminNamespace, session.Namespace);
        Assert.Equal(0, MainConnections);
    }

    [Fact]
    public async Task SwitchNamespaceAsync_ToATenant_MovesAndDisconnectsTheOldConnection()
    {
        var session = _chat.NewSession("user-42");
        var received = new EventRecorder();
        using var subscription = session.Subscribe(received.DeliverAsync);
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var before = session.ConnectionId;

        Assert.Null(await session.SwitchNamespaceAsync("/tenant-x"));

        Assert.Equal("/tenant-x", session.Namespace);
        Assert.NotEqual(before, session.ConnectionId);
        Assert.Equal([bob.Id], _chat.Server.Main.Connections.Select(c => c.Id));
        Assert.Equal(1, _chat.Server.Of("/tenant-x").ConnectionCount);
        Assert.Equal("Ada", await _chat.Names.NameOfAsync("user-42")); // The name belongs to the circuit, not the namespace.
        await received.WaitForAsync<NamespaceWelcome>(w => w.Namespace == "/tenant-x");
        var left = await bob.Events.WaitForAsync<PersonLeft>();
        Assert.Equal("user-42", left.Person.UserId);
    }

    [Fact]
    public async Task SwitchNamespaceAsync_ToTheCurrentNamespace_DoesNothing()
    {
        var session = _chat.NewSession("user-42");
        await session.JoinAsync("Ada");
        var before = session.ConnectionId;

        Assert.Null(await session.SwitchNamespaceAsync(ChatServer.MainNamespace));

        Assert.Equal(before, session.ConnectionId);
    }

    [Fact]
    public async Task SwitchNamespaceAsync_BeforeJoining_IsRefused()
    {
        var session = _chat.NewSession("user-42");

        Assert.NotNull(await session.SwitchNamespaceAsync("/tenant-x"));

        Assert.DoesNotContain("/tenant-x", _chat.NamespaceNames);
    }

    [Fact]
    public async Task EachNewConnection_IsAnnouncedToSubscribersBeforeItsFirstEvent()
    {
        var session = _chat.NewSession("user-42");
        var events = new List<string>();
        var tenantWelcome = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var mainWelcome = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = session.Subscribe((packet, ack) =>
        {
            lock (events)
                events.Add(packet.Data is NamespaceWelcome w ? $"welcome {w.Namespace}" : packet.Event);
            ack?.Send();
            if (packet.Data is NamespaceWelcome { Namespace: "/tenant-x" })
                tenantWelcome.TrySetResult();
            if (packet.Data is NamespaceWelcome { Namespace: "/" })
                mainWelcome.TrySetResult();
            return Task.CompletedTask;
        });

        await session.JoinAsync("Ada");
        await mainWelcome.Task.WaitAsync(EventRecorder.Timeout);
        Assert.Null(await session.SwitchNamespaceAsync("/tenant-x"));
        await tenantWelcome.Task.WaitAsync(EventRecorder.Timeout);

        List<string> seen;
        lock (events)
            seen = [.. events];
        var starts = seen.Select((e, i) => (e, i)).Where(x => x.e == ChatSession.ConnectionStartedEvent).Select(x => x.i).ToList();
        Assert.True(starts.Count == 2, string.Join(", ", seen));
        Assert.Equal(0, starts[0]);
        Assert.True(starts[1] < seen.IndexOf("welcome /tenant-x"), string.Join(", ", seen));
        Assert.True(starts[1] > seen.IndexOf("welcome /"), string.Join(", ", seen));
    }

    [Fact]
    public async Task SwitchNamespaceAsync_WhatTheOldConnectionStillHadQueued_IsNeverDelivered()
    {
        await _chat.DisposeAsync();
        _chat = new TestChat(ackTimeout: TimeSpan.FromSeconds(1));
        var session = _chat.NewSession("user-42");
        var received = new EventRecorder();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = session.Subscribe(async (packet, ack) =>
        {
            await received.DeliverAsync(packet, ack);
            if (packet.Data is MessagePosted { Message.Text: "hold" })
            {
                holding.TrySetResult();
                await release.Task; // A slow circuit: the next event waits in the old connection's queue.
            }
        });
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "hold");
        var late = await bob.SendMessageAsync(RoomNames.General, "from the namespace being left");
        await holding.Task.WaitAsync(EventRecorder.Timeout);

        // The old connection is stuck delivering "hold" while the tab moves: what it still had queued ("late")
        // must never reach the page once the switch is done.
        Assert.Null(await session.SwitchNamespaceAsync("/tenant-x"));
        release.SetResult();
        await received.WaitForAsync<NamespaceWelcome>(w => w.Namespace == "/tenant-x");

        // Had it reached the subscribers, they would have acknowledged it: its report comes when the wait for that ends.
        var report = await bob.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == late.Id);
        Assert.Equal(0, report.Acknowledged);
        Assert.DoesNotContain(received.Messages, m => m.Text == "from the namespace being left");
    }

    [Fact]
    public async Task LeaveAsync_LeavesTheNamespaceAndReleasesTheName()
    {
        var session = _chat.NewSession("user-42");
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await session.LeaveAsync("test");

        Assert.False(session.IsJoined);
        Assert.Equal(1, MainConnections);
        Assert.Null(await _chat.Names.NameOfAsync("user-42"));
        Assert.Equal("user-42", (await bob.Events.WaitForAsync<PersonLeft>()).Person.UserId);
        var other = _chat.NewSession("user-other");
        Assert.Null(await other.JoinAsync("ada"));
    }

    [Fact]
    public async Task LeaveAsync_OfOneOfTwoTabs_KeepsTheNameAndThePerson()
    {
        var tab1 = _chat.NewSession("user-42");
        var tab2 = _chat.NewSession("user-42");
        await tab1.JoinAsync("Ada");
        await tab2.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await tab1.LeaveAsync("test");

        Assert.Equal("Ada", await _chat.Names.NameOfAsync("user-42"));
        await bob.BarrierAsync();
        Assert.Empty(bob.Events.OfType<PersonLeft>());
    }

    [Fact]
    public async Task LeaveAsync_Twice_ReleasesTheNameOnce()
    {
        var tab1 = _chat.NewSession("user-42");
        var tab2 = _chat.NewSession("user-42");
        await tab1.JoinAsync("Ada");
        await tab2.JoinAsync("Ada");

        await tab1.LeaveAsync("first");
        await tab1.LeaveAsync("again");

        Assert.Equal("Ada", await _chat.Names.NameOfAsync("user-42"));
    }

    [Fact]
    public async Task LeaveAsync_ThenJoinAgain_Reconnects()
    {
        var session = _chat.NewSession("user-42");
        await session.JoinAsync("Ada");
        await session.LeaveAsync("test");

        Assert.Null(await session.JoinAsync("Ada"));

        Assert.Equal(1, MainConnections);
        Assert.True(session.IsJoined);
    }

    [Fact]
    public async Task DisposeAsync_LeavesTheChat()
    {
        var session = _chat.NewSession("user-42");
        await session.JoinAsync("Ada");

        await session.DisposeAsync();

        Assert.Equal(0, MainConnections);
        Assert.Null(await _chat.Names.NameOfAsync("user-42"));
    }

    [Fact]
    public void Subscribe_AndDispose_ChangeSubscriberCount()
    {
        var session = _chat.NewSession("user-42");
        Assert.Equal(0, session.SubscriberCount);

        var first = session.Subscribe((_, _) => Task.CompletedTask);
        var second = session.Subscribe((_, _) => Task.CompletedTask);
        Assert.Equal(2, session.SubscriberCount);

        first.Dispose();
        first.Dispose(); // A second dispose must not remove anyone else.
        Assert.Equal(1, session.SubscriberCount);

        second.Dispose();
        Assert.Equal(0, session.SubscriberCount);
    }

    [Fact]
    public async Task Subscribe_DisposedHandler_ReceivesNothingMore()
    {
        var session = _chat.NewSession("user-42");
        var gone = new EventRecorder();
        var staying = new EventRecorder();
        var goneSubscription = session.Subscribe(gone.DeliverAsync);
        using var stayingSubscription = session.Subscribe(staying.DeliverAsync);
        await session.JoinAsync("Ada");
        await gone.WaitForAsync<NamespaceWelcome>();

        goneSubscription.Dispose();
        await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "after unsubscribe"));

        await staying.WaitForMessageAsync("after unsubscribe");
        Assert.Empty(gone.Messages);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Deliver_WhenOneSubscriberThrows_TheOthersStillReceive(bool throwsSynchronously)
    {
        var session = _chat.NewSession("user-42");
        var failure = new InvalidOperationException("subscriber bug");
        using var broken = session.Subscribe((_, _) => throwsSynchronously ? throw failure : Task.FromException(failure));
        var staying = new EventRecorder();
        using var stayingSubscription = session.Subscribe(staying.DeliverAsync);
        await session.JoinAsync("Ada");

        await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "first"));
        await session.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, "second"));

        await staying.WaitForMessageAsync("second");
        Assert.Equal(["first", "second"], staying.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task IsClientWritable_False_DropsVolatileEventsForThisTab()
    {
        var session = _chat.NewSession("user-42");
        var received = new EventRecorder();
        using var subscription = session.Subscribe(received.DeliverAsync);
        var toSession = new VolatileProbe(writable: false);
        session.IsClientWritable = toSession.IsWritable;
        await session.JoinAsync("Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        var toCarol = carol.ProbeVolatile();
        await carol.BarrierAsync();

        // Repeated while a recipient was still busy with earlier events (then it was not even offered it).
        for (var i = 0; i < 20 && (toSession.Offered == 0 || toCarol.Offered == 0); i++)
        {
            await bob.SendAsync(ChatEvents.Typing, new TypingRequest(RoomNames.General, IsTyping: true));
            if (toCarol.Offered == 0)
                await carol.BarrierAsync();
            if (toSession.Offered == 0)
                await SessionBarrierAsync(session, received);
        }

        Assert.True(toSession.Offered > 0, "the session's connection was never offered the typing event");
        await carol.Events.WaitForAsync<TypingChanged>();
        await SessionBarrierAsync(session, received);
        Assert.Empty(received.OfType<TypingChanged>());
    }

    private async Task SessionBarrierAsync(ChatSession session, EventRecorder received)
    {
        var barrier = new TestBarrier(Guid.NewGuid());
        await _chat.Server.Of(session.Namespace!).To(session.ConnectionId!).EmitAsync("test:barrier", barrier);
        await received.WaitForEventAsync(e => e == barrier, "the barrier to the session");
    }
}
