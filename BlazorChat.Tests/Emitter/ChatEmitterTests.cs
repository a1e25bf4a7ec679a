using BlazorChat.Emitter;
using BlazorChat.Persistence;
using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Tests.Persistence;
using BlazorChat.Tests.Realtime.Cluster;
using BlazorChat.Tests.Realtime.Postgres;

namespace BlazorChat.Tests.Emitter;

/// <summary>
/// The emitter against a real cluster: two app nodes (handlers, PostgreSQL adapter, PostgreSQL stores on one database of
/// the tests' own server) and an emitter on the same database and channel prefix, which is not a node. What it posts is
/// stored as a node stores it and reaches every tab it is for, on both nodes, once, in sequence order.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ChatEmitterTests(PostgresServer server) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private TestDatabase _database = null!;
    private PostgresAdapterOptions _options = null!;
    private TestChat _first = null!;
    private TestChat _second = null!;
    private PostgresNode _stores = null!;
    private ChatEmitter _emitter = null!;

    public async Task InitializeAsync()
    {
        _database = await server.CreateDatabaseAsync();
        _options = PostgresWorlds.Options(_database.ConnectionString);
        _first = Node();
        _second = Node();
        await ClusterWorlds.WaitForServerCountAsync(_first.Server.Main.Adapter, 2);
        await ClusterWorlds.WaitForServerCountAsync(_second.Server.Main.Adapter, 2);
        _stores = new PostgresNode(_database);
        _owned.Add(_stores);
        _emitter = NewEmitter();
    }

    public async Task DisposeAsync()
    {
        _owned.Reverse();
        foreach (var owned in _owned)
            await owned.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ARoomMessage_ReachesATabOnEachNode_Once_AfterEarlierMessages_AndIsInTheStoresHistory()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        var bob = await _second.ConnectAsync("user-bob", "Bob");
        // Each delivered everywhere before the next: a node's broadcast goes out after its sender's "sent".
        await alice.SendMessageAsync(RoomNames.General, "m1");
        await Task.WhenAll(alice.Events.WaitForMessageAsync("m1"), bob.Events.WaitForMessageAsync("m1"));
        await bob.SendMessageAsync(RoomNames.General, "m2");
        await Task.WhenAll(alice.Events.WaitForMessageAsync("m2"), bob.Events.WaitForMessageAsync("m2"));

        var posted = await _emitter.PostToRoomAsync(RoomNames.General, "  The nightly backup is done.  ");

        Assert.Equal(new EmitResult("/", RoomNames.General, 3, posted.Id, posted.SentAt, Duplicate: false), posted);
        foreach (var tab in (TestTab[])[alice, bob])
        {
            await tab.Events.WaitForMessageAsync("The nightly backup is done.");
            await FenceAsync(tab);
            var messages = tab.Events.Messages;
            Assert.Equal([1L, 2L, 3L, 4L], messages.Select(m => m.Sequence)); // the fence is 4
            var emitted = Assert.Single(messages, m => m.Id == posted.Id);
            Assert.Equal(new Person(SystemSender.UserId, "System"), emitted.Sender);
            Assert.Equal(RoomNames.General, emitted.Room);
        }
        var history = await _stores.Messages.ReadAfterAsync(ChatHandlers.StoreKey("/", RoomNames.General), 0, 10);
        Assert.Equal(["m1", "m2", "The nightly backup is done.", "fence"], history.Select(m => m.Text));
        Assert.Equal((3L, posted.Id, SystemSender.UserId, "System"), (history[2].Sequence, history[2].Id, history[2].SenderId, history[2].SenderName));
        // Not a node: no node counts it.
        Assert.Equal(2, await _first.Server.Main.Adapter.ServerCountAsync());
        Assert.Equal(2, await _second.Server.Main.Adapter.ServerCountAsync());
    }

    [Fact]
    public async Task ARetryWithTheSameId_StoresAndDeliversNothingNew()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        var bob = await _second.ConnectAsync("user-bob", "Bob");
        var id = ChatEmitter.MessageIdFor("nightly-backup 2026-12-05");

        var first = await _emitter.PostToRoomAsync(RoomNames.General, "Backup done", messageId: id);
        await using (var again = NewEmitter()) // a cron job that runs again: another process
        {
            var retry = await again.PostToRoomAsync(RoomNames.General, "Backup done", messageId: ChatEmitter.MessageIdFor("nightly-backup 2026-12-05"));
            Assert.Equal(first with { Duplicate = true }, retry);
        }

        Assert.Equal(1, await _stores.Messages.LatestSequenceAsync(ChatHandlers.StoreKey("/", RoomNames.General)));
        foreach (var tab in (TestTab[])[alice, bob])
        {
            await FenceAsync(tab);
            Assert.Single(tab.Events.Messages, m => m.Id == id);
            Assert.Equal([1L, 2L], tab.Events.Messages.Select(m => m.Sequence));
        }
    }

    [Fact]
    public async Task APrivateMessage_ReachesAllOfThePersonsTabs_OnBothNodes_AndWaitsInTheStoreForThem()
    {
        var bobHere = await _first.ConnectAsync("user-bob", "Bob");
        var bobThere = await _second.ConnectAsync("user-bob", "Bob");
        var alice = await _first.ConnectAsync("user-alice", "Alice");

        var posted = await _emitter.PostToPersonAsync("user-bob", "Your export is ready.");

        var conversation = RoomNames.DirectConversation(SystemSender.UserId, "user-bob");
        Assert.Equal((conversation, 1L, false), (posted.Conversation, posted.Sequence, posted.Duplicate));
        foreach (var tab in (TestTab[])[bobHere, bobThere])
        {
            var direct = await tab.Events.WaitForAsync<DirectPosted>();
            Assert.Equal((posted.Id, conversation, "Your export is ready.", 1L), (direct.Message.Id, direct.Message.Room, direct.Message.Text, direct.Message.Sequence));
            Assert.Equal(new Person(SystemSender.UserId, "System"), direct.Message.Sender);
            await FenceAsync(tab);
            Assert.Single(tab.Events.Directs);
        }
        await FenceAsync(alice);
        Assert.Empty(alice.Events.Directs);
        // In the store for Bob: his history, and unread for his next visit.
        var position = Assert.Single(await _stores.Messages.ConversationsOfAsync("user-bob"), p => p.Conversation == ChatHandlers.StoreKey("/", conversation));
        Assert.Equal(1, position.Unread);
        var stored = Assert.Single(await _stores.Messages.ReadAfterAsync(position.Conversation, 0, 10));
        Assert.Equal("Your export is ready.", stored.Text);

        // A tab that opens later is welcomed with it unread, from the system sender.
        var later = await _second.ConnectAsync("user-bob", "Bob");
        var welcome = await later.Events.WaitForAsync<NamespaceWelcome>();
        var unread = Assert.Single(welcome.Unread!, u => u.Conversation == conversation);
        Assert.Equal((new Person(SystemSender.UserId, "System"), 1L), (unread.With, unread.Unread));
    }

    [Fact]
    public async Task APersonCannotAnswerTheSystemSender()
    {
        var bob = await _first.ConnectAsync("user-bob", "Bob");
        await _emitter.PostToPersonAsync("user-bob", "Your export is ready.");
        await bob.Events.WaitForAsync<DirectPosted>();

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => bob.SendDirectAsync(SystemSender.UserId, "thanks"));

        Assert.Equal(SystemSender.CannotAnswer, refused.Message);
        Assert.Equal(1, await _stores.Messages.LatestSequenceAsync(ChatHandlers.StoreKey("/", RoomNames.DirectConversation(SystemSender.UserId, "user-bob"))));
    }

    [Fact]
    public async Task BadInput_IsRefusedWithTheServersReason_AndNothingIsStoredOrDelivered()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        var bob = await _second.ConnectAsync("user-bob", "Bob");
        await alice.SendMessageAsync(RoomNames.General, "m1");
        var taken = await _emitter.PostToPersonAsync("user-bob", "Your export is ready.");
        var tooLong = new string('a', ChatRules.MaxMessageLength + 1);

        var cases = new (Func<Task> Post, string Reason)[]
        {
            (() => _emitter.PostToRoomAsync(RoomNames.General, " \u200B\u2060 \n"), ChatRules.EmptyMessageReason),
            (() => _emitter.PostToRoomAsync(RoomNames.General, tooLong), ChatRules.ValidateMessage(tooLong, out _)!),
            (() => _emitter.PostToPersonAsync("user-bob", ""), ChatRules.EmptyMessageReason),
            (() => _emitter.PostToRoomAsync("Not a room!", "hello"), RoomNames.Validate("Not a room!", out _)!),
            (() => _emitter.PostToRoomAsync(RoomNames.General, "hello", "/nowhere"), "There is no namespace \"/nowhere\""),
            (() => _emitter.PostToPersonAsync(SystemSender.UserId, "hello"), "the system sender's own id"),
            (() => _emitter.PostToPersonAsync("user bob", "hello"), "is not a user id"),
            (() => _emitter.PostToRoomAsync(RoomNames.General, "hello", messageId: taken.Id), "already taken"),
        };
        foreach (var (post, reason) in cases)
        {
            var refused = await Assert.ThrowsAsync<EmitRefusedException>(post);
            Assert.Contains(reason, refused.Message);
        }
        var badSender = Assert.Throws<EmitRefusedException>(() => new ChatEmitter(new ChatEmitterOptions
        {
            ConnectionString = _database.ConnectionString,
            ChannelPrefix = _options.ChannelPrefix,
            SenderName = "\u202Eevil",
        }));
        Assert.StartsWith("The sender name:", badSender.Message);

        Assert.Equal(1, await _stores.Messages.LatestSequenceAsync(ChatHandlers.StoreKey("/", RoomNames.General)));
        Assert.Equal(1, await _stores.Messages.LatestSequenceAsync(ChatHandlers.StoreKey("/", taken.Conversation)));
        foreach (var tab in (TestTab[])[alice, bob])
        {
            await FenceAsync(tab);
            Assert.Equal(["m1", "fence"], tab.Events.Messages.Select(m => m.Text));
        }
    }

    [Fact]
    public async Task ALongMessage_TravelsThroughTheAttachmentTable_AndReachesBothNodes()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice");
        var bob = await _second.ConnectAsync("user-bob", "Bob");
        var text = string.Concat(Enumerable.Repeat("🙂", ChatRules.MaxMessageLength)); // 16,000 bytes: over NOTIFY's limit

        await _emitter.PostToRoomAsync(RoomNames.General, text);

        await Task.WhenAll(alice.Events.WaitForMessageAsync(text), bob.Events.WaitForMessageAsync(text));
        await using var dataSource = _database.OpenDataSource();
        await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {PostgresBus.AttachmentTable}");
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ATeamSpacesRoom_HearsIt_AndTheSameRoomOfAnotherNamespaceDoesNot()
    {
        var alice = await _first.ConnectAsync("user-alice", "Alice", "/tenant-acme");
        var bob = await _second.ConnectAsync("user-bob", "Bob", "/tenant-acme");
        var carol = await _second.ConnectAsync("user-carol", "Carol");
        await ClusterWorlds.WaitForServerCountAsync(_first.Server.Of("/tenant-acme").Adapter, 2);

        var posted = await _emitter.PostToRoomAsync(RoomNames.General, "Acme only", "tenant-acme");

        Assert.Equal("/tenant-acme", posted.Namespace);
        await Task.WhenAll(alice.Events.WaitForMessageAsync("Acme only"), bob.Events.WaitForMessageAsync("Acme only"));
        await FenceAsync(carol);
        Assert.DoesNotContain(carol.Events.Messages, m => m.Text == "Acme only");
        Assert.Equal(1, await _stores.Messages.LatestSequenceAsync(ChatHandlers.StoreKey("/tenant-acme", RoomNames.General)));
    }

    [Fact]
    public async Task TheCommandLine_Posts_SaysSo_AndRefusesBadInputWithItsReason()
    {
        var bob = await _second.ConnectAsync("user-bob", "Bob");
        string[] options = ["--connection", _database.ConnectionString, "--channel-prefix", _options.ChannelPrefix];

        var (code, output, error) = await RunAsync([.. options, "--sender", "Backup bot", "--id", "backup-1", "room", "#General", "Backup done"]);
        Assert.Equal((0, ""), (code, error));
        Assert.StartsWith("Posted message 1 in #general of /", output);
        var message = (await bob.Events.WaitForMessageAsync("Backup done")).OfType<MessagePosted>().Single().Message;
        Assert.Equal((ChatEmitter.MessageIdFor("backup-1"), new Person(SystemSender.UserId, "Backup bot")), (message.Id, message.Sender));

        (code, output, _) = await RunAsync([.. options, "--id", "backup-1", "room", "general", "Backup done"]);
        Assert.Equal(0, code);
        Assert.StartsWith("Already posted: message 1", output);

        (code, output, error) = await RunAsync([.. options, "room", "general", "   "]);
        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"Refused: {ChatRules.EmptyMessageReason} Nothing was sent.", error.Trim());

        (code, _, error) = await RunAsync(["room", "general", "hello"]);
        Assert.Equal(2, code);
        Assert.Contains("--connection", error);

        (code, output, _) = await RunAsync([.. options, "person", "user-bob", "-"], input: "From standard input\n");
        Assert.Equal(0, code);
        Assert.Equal("From standard input", (await bob.Events.WaitForAsync<DirectPosted>()).Message.Text);
        Assert.Equal(1, await _stores.Messages.LatestSequenceAsync(ChatHandlers.StoreKey("/", RoomNames.General)));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string input = "")
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await EmitterCommand.RunAsync(args, output, error, new StringReader(input), environment: _ => null);
        return (code, output.ToString(), error.ToString());
    }

    // A message posted after everything else, waited for: what the tab has then is all it will get of what came before
    // (the emitter's notifications arrive in commit order, and each node hands them on in order).
    private async Task FenceAsync(TestTab tab)
    {
        var fence = $"fence";
        if (!tab.Events.Messages.Any(m => m.Text == fence))
            await _emitter.PostToRoomAsync(RoomNames.General, fence, tab.Socket.Namespace.Name, ChatEmitter.MessageIdFor(fence + tab.Socket.Namespace.Name));
        await tab.Events.WaitForMessageAsync(fence);
    }

    private ChatEmitter NewEmitter()
    {
        var emitter = new ChatEmitter(new ChatEmitterOptions { ConnectionString = _database.ConnectionString, ChannelPrefix = _options.ChannelPrefix });
        _owned.Add(emitter);
        return emitter;
    }

    private TestChat Node()
    {
        var factory = new PostgresAdapterFactory(_options, ClusterWorlds.Codec, NullLoggerFactory.Instance);
        var stores = new PostgresNode(_database);
        var chat = new TestChat(adapters: factory, stores: (stores.Messages, stores.Rooms));
        // Disposed in reverse: the chat, then its adapters, then its stores.
        _owned.Add(stores);
        _owned.Add(factory);
        _owned.Add(chat);
        return chat;
    }
}
