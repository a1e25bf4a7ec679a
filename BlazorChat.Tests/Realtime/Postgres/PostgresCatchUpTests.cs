using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Tests.Persistence;
using BlazorChat.Tests.Realtime.Cluster;
using Npgsql;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>
/// The store is the log, end to end: two app nodes (handlers, PostgreSQL adapter, PostgreSQL stores on one database),
/// a person on one node sending, a tab on the other modelled as the page runs it (ChatView, HistoryLoader, and the
/// catch-ups ChatPage starts). The receiving node's way to the database goes through a <see cref="LoopbackProxy"/>, so
/// the test can take its listening connection away while messages are sent, the last of them with nothing after.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCatchUpTests(PostgresServer server) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly TestPage _page = new();
    private readonly ChatView _view = new();
    private TestDatabase _database = null!;
    private LoopbackProxy _proxy = null!;
    private HistoryLoader _history = null!;
    private readonly CancellationTokenSource _stop = new();
    private Task? _pump;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _proxy = new LoopbackProxy(server.Port);
        _history = new HistoryLoader(_view, _page.Send, _page.Page, () => { }, () => { });
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pump is not null)
            await _pump;
        _owned.Reverse();
        foreach (var owned in _owned)
            await owned.DisposeAsync();
        await _proxy.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task MessagesSentWhileANodeDidNotListen_ReachItsTabFromTheStore_InOrder_EachOnce()
    {
        var (alice, bob, _) = await StartAsync();

        for (var i = 1; i <= 30; i++)
            await alice.SendMessageAsync(RoomNames.General, $"m{i}");
        await WaitUntilShownAsync(30);

        _proxy.Interrupt(); // the receiving node's connections to the database drop, and it cannot listen again yet
        await Task.Delay(300);
        for (var i = 31; i <= 50; i++)
            await alice.SendMessageAsync(RoomNames.General, $"m{i}");
        _proxy.Resume(); // nothing is sent after this: only the store can bring m31..m50

        await WaitUntilShownAsync(50);
        Assert.Single(bob.Events.OfType<DeliveriesMissed>());
        await AssertShownInOrderOnceAsync(50);
    }

    [Fact]
    public async Task ListeningBackendTerminatedDuringABurst_TheTabEndsWithEveryMessage_InOrder_EachOnce()
    {
        var (alice, bob, receiver) = await StartAsync();

        for (var i = 1; i <= 200; i++)
        {
            await alice.SendMessageAsync(RoomNames.General, $"m{i}");
            if (i == 100)
            {
                await using var dataSource = _database.OpenDataSource();
                await using var terminate = dataSource.CreateCommand(
                    $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{PostgresBus.ListenerName}{receiver.Server.ServerId}'");
                Assert.Equal(1L, await terminate.ExecuteScalarAsync());
            }
        }

        await WaitUntilShownAsync(200);
        await bob.Events.WaitForAsync<DeliveriesMissed>();
        await AssertShownInOrderOnceAsync(200);
    }

    private async Task<(TestTab Alice, TestTab Bob, TestChat Receiver)> StartAsync()
    {
        var options = PostgresWorlds.Options(_database.ConnectionString);
        options.HeartbeatTimeout = TimeSpan.FromSeconds(30); // an outage is not a node leaving
        var viaProxy = PostgresWorlds.Options(
            new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = _proxy.Port }.ToString(), options.ChannelPrefix);
        viaProxy.HeartbeatTimeout = options.HeartbeatTimeout;
        var sender = Node(options);
        var receiver = Node(viaProxy);
        await ClusterWorlds.WaitForServerCountAsync(sender.Server.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(receiver.Server.Main.Adapter, 2);

        var alice = await sender.ConnectAsync("user-alice", "Alice");
        var bob = await receiver.ConnectAsync("user-bob", "Bob");
        _page.Answer = async (eventName, request) =>
        {
            try
            {
                return (await bob.SendAsync(eventName, request), null);
            }
            catch (ChatRefusedException refused)
            {
                return (null, refused.Message);
            }
        };
        _pump = Task.Run(() => RunTabAsync(bob, _stop.Token));
        return (alice, bob, receiver);
    }

    private async Task AssertShownInOrderOnceAsync(int count)
    {
        await _stop.CancelAsync();
        await _pump!;
        var messages = _view.Find(RoomNames.General)!.Lines.Select(ChatLines.MessageOf).OfType<ChatMessage>().ToList();
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"m{i}"), messages.Select(m => m.Text));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), messages.Select(m => m.Sequence));
    }

    private TestChat Node(PostgresAdapterOptions options)
    {
        var factory = new PostgresAdapterFactory(options, ClusterWorlds.Codec, NullLoggerFactory.Instance);
        var stores = new PostgresNode(_database);
        var chat = new TestChat(adapters: factory, stores: (stores.Messages, stores.Rooms));
        // Disposed in reverse: the chat, then its adapters, then its stores.
        _owned.Add(stores);
        _owned.Add(factory);
        _owned.Add(chat);
        return chat;
    }

    // The tab as ChatPage runs it: every event applied in order, the latest page loaded after the welcome, and a
    // catch-up after a live message (a gap) and after DeliveriesMissed.
    private async Task RunTabAsync(TestTab tab, CancellationToken stop)
    {
        var applied = 0;
        while (!stop.IsCancellationRequested)
        {
            var events = tab.Events.ChatEvents;
            for (; applied < events.Count; applied++)
            {
                var evt = events[applied];
                await _page.RunAsync(async () =>
                {
                    _view.Apply(evt, DateTimeOffset.UtcNow);
                    switch (evt)
                    {
                        case NamespaceWelcome:
                            await _history.LoadLatestAsync(RoomNames.General);
                            break;
                        case MessagePosted posted:
                            await _history.CatchUpAsync(posted.Message.Room);
                            break;
                        case DeliveriesMissed:
                            foreach (var conversation in _view.ConversationsToCatchUp)
                                await _history.CatchUpAsync(conversation);
                            break;
                    }
                });
            }
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private async Task WaitUntilShownAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await _page.Dispatcher.InvokeAsync(() => _view.Find(RoomNames.General)?.LastSequence ?? 0) < count)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"the tab shows up to m{_view.Find(RoomNames.General)?.LastSequence} after 30 s, not m{count}");
            await Task.Delay(20);
        }
    }
}
