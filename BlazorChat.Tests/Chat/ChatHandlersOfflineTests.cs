using BlazorChat.Tests.Persistence;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// The offline queue: private messages to someone who is away are stored, counted as unread in their next welcome,
/// readable in order from history, and cleared by <c>read</c>; all of it survives a restart on the same database.
/// </summary>
public sealed class ChatHandlersOfflineTests : IAsyncLifetime
{
    private static readonly string AdaBob = RoomNames.DirectConversation("user-ada", "user-bob");

    private readonly TempDatabaseFolder _folder = new();
    private TestChat _chat;

    public ChatHandlersOfflineTests() => _chat = new TestChat(databasePath: _folder.DatabasePath);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _chat.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Direct_ToSomeoneWhoLeftAfterReading_IsAcceptedAndStaysSentWithNobodyToDeliverTo()
    {
        var (ada, _) = await BobReadsOneThenLeavesAsync();
        var view = new ChatView();
        foreach (var evt in ada.Events.ChatEvents)
            view.Apply(evt, DateTimeOffset.UnixEpoch);

        var accepted = new List<MessageAccepted>();
        for (var i = 1; i <= 3; i++)
        {
            var id = Guid.NewGuid();
            view.Track(new OutgoingMessage(id, AdaBob, $"while away {i}", DeliveryState.Sending));
            accepted.Add(await ada.SendAsync(ChatEvents.SendDirect, new SendDirectRequest(id, "user-bob", $"while away {i}")) as MessageAccepted
                ?? throw new InvalidOperationException("not accepted"));
            view.Track(view.Outgoing[id] with { State = DeliveryState.Sent });
        }

        Assert.Equal([2L, 3L, 4L], accepted.Select(a => a.Sequence));
        foreach (var a in accepted)
        {
            var report = await ada.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == a.Id);
            Assert.Equal(0, report.Recipients);
            view.Apply(report, DateTimeOffset.UnixEpoch);
            Assert.Equal(DeliveryState.Sent, view.Outgoing[a.Id].State);
        }
        // Ada's own tab still shows them, in order.
        await ada.BarrierAsync();
        foreach (var evt in ada.Events.ChatEvents.OfType<DirectPosted>())
            view.Apply(evt, DateTimeOffset.UnixEpoch);
        Assert.Equal(["hello", "while away 1", "while away 2", "while away 3"],
            ChatLines.Texts(view.Find(AdaBob)!.Lines));
    }

    [Fact]
    public async Task Welcome_AfterPrivateMessagesWhileAway_ListsTheConversationWithItsUnreadCountAndWho()
    {
        var (ada, _) = await BobReadsOneThenLeavesAsync();
        for (var i = 1; i <= 3; i++)
            await ada.SendDirectAsync("user-bob", $"while away {i}");

        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var welcome = await bob.Events.WaitForAsync<NamespaceWelcome>();

        var unread = Assert.Single(welcome.Unread ?? []);
        Assert.Equal(new UnreadConversation(AdaBob, new Person("user-ada", "Ada"), Unread: 3, ReadUpTo: 1), unread);
    }

    [Fact]
    public async Task History_AfterComingBack_ReturnsWhatWasMissedInOrder()
    {
        var (ada, _) = await BobReadsOneThenLeavesAsync();
        for (var i = 1; i <= 3; i++)
            await ada.SendDirectAsync("user-bob", $"while away {i}");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var readUpTo = Assert.Single((await bob.Events.WaitForAsync<NamespaceWelcome>()).Unread ?? []).ReadUpTo;

        var missed = Assert.IsType<HistoryPage>(await bob.SendAsync(ChatEvents.History, new HistoryRequest(AdaBob, After: readUpTo)));
        var latest = Assert.IsType<HistoryPage>(await bob.SendAsync(ChatEvents.History, new HistoryRequest(AdaBob)));

        Assert.Equal(["while away 1", "while away 2", "while away 3"], missed.Messages.Select(m => m.Text));
        Assert.Equal([2L, 3L, 4L], missed.Messages.Select(m => m.Sequence));
        Assert.All(missed.Messages, m => Assert.Equal(new Person("user-ada", "Ada"), m.Sender));
        Assert.Equal(["hello", "while away 1", "while away 2", "while away 3"], latest.Messages.Select(m => m.Text));
        Assert.False(latest.HasOlder);
    }

    [Fact]
    public async Task Read_UpToTheLatest_ClearsTheUnreadOfTheNextWelcome()
    {
        var (ada, _) = await BobReadsOneThenLeavesAsync();
        for (var i = 1; i <= 3; i++)
            await ada.SendDirectAsync("user-bob", $"while away {i}");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.Events.WaitForAsync<NamespaceWelcome>();

        Assert.Null(await bob.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(AdaBob, 4)));
        await bob.DisconnectAsync();
        var again = await _chat.ConnectAsync("user-bob", "Bob");

        Assert.Empty((await again.Events.WaitForAsync<NamespaceWelcome>()).Unread ?? []);
    }

    [Fact]
    public async Task Read_NeverMovesBack()
    {
        var (ada, bob) = await BobReadsOneThenLeavesAsync();
        for (var i = 1; i <= 3; i++)
            await ada.SendDirectAsync("user-bob", $"while away {i}");
        bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(AdaBob, 3));

        await bob.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(AdaBob, 1));
        var again = await _chat.ConnectAsync("user-bob", "Bob");

        var unread = Assert.Single((await again.Events.WaitForAsync<NamespaceWelcome>()).Unread ?? []);
        Assert.Equal((1L, 3L), (unread.Unread, unread.ReadUpTo));
    }

    [Fact]
    public async Task Read_OfSomeoneElsesPrivateConversation_IsRefusedAndMovesNothing()
    {
        var (ada, _) = await BobReadsOneThenLeavesAsync();
        await ada.SendDirectAsync("user-bob", "while away 1");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");

        await Assert.ThrowsAsync<ChatRefusedException>(() => carol.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(AdaBob, 2)));

        Assert.DoesNotContain(await _chat.Store.ConversationsOfAsync("user-carol"), p => p.Conversation.EndsWith(AdaBob, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Welcome_ListsRoomsWithUnreadOnlyWhenTheTabIsInThem()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");
        await ada.JoinRoomAsync("design");
        var first = await ada.SendMessageAsync("design", "d1");
        await bob.Events.WaitForEventAsync(e => e is MessagePosted { Message.Id: var id } && id == first.Id, "d1");
        await bob.SendAsync(ChatEvents.MarkRead, new MarkReadRequest("design", 1));
        await bob.DisconnectAsync();
        await ada.SendMessageAsync("design", "d2");
        await ada.SendMessageAsync("design", "d3");

        // Bob still belongs to design: his new tab is in it again, with its two unread messages.
        var backInDesign = await _chat.ConnectAsync("user-bob", "Bob");
        var welcome = await backInDesign.Events.WaitForAsync<NamespaceWelcome>();
        Assert.Contains("design", welcome.Joined);
        Assert.Equal([new UnreadConversation("design", null, 2, 1)], welcome.Unread ?? []);
        // Once he left it, a room he is not in is not listed, though the cursor exists.
        await backInDesign.LeaveRoomAsync("design");
        await backInDesign.DisconnectAsync();
        var notInDesign = await _chat.ConnectAsync("user-bob", "Bob");
        Assert.Empty((await notInDesign.Events.WaitForAsync<NamespaceWelcome>()).Unread ?? []);
        // Ada sent them: what you send, you have read.
        var adaAgain = await _chat.ConnectAsync("user-ada", "Ada");
        Assert.Empty((await adaAgain.Events.WaitForAsync<NamespaceWelcome>()).Unread ?? []);
    }

    [Fact]
    public async Task Restart_OnTheSameDatabase_KeepsTheUnreadCountsAndTheMessages()
    {
        var (ada, _) = await BobReadsOneThenLeavesAsync();
        for (var i = 1; i <= 3; i++)
            await ada.SendDirectAsync("user-bob", $"while away {i}");
        var before = await _chat.ConnectAsync("user-bob", "Bob");
        var unreadBefore = (await before.Events.WaitForAsync<NamespaceWelcome>()).Unread;

        await RestartAsync();
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var welcome = await bob.Events.WaitForAsync<NamespaceWelcome>();

        // Ada is not connected to the new server: her name comes from what she wrote.
        Assert.Equal(unreadBefore, welcome.Unread);
        Assert.Equal(new UnreadConversation(AdaBob, new Person("user-ada", "Ada"), 3, 1), Assert.Single(welcome.Unread ?? []));
        var page = Assert.IsType<HistoryPage>(await bob.SendAsync(ChatEvents.History, new HistoryRequest(AdaBob)));
        Assert.Equal([1L, 2L, 3L, 4L], page.Messages.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Restart_ThenSendingAgain_ContinuesEachConversationsNumbering()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        for (var i = 0; i < 5; i++)
            await ada.SendMessageAsync(RoomNames.General, $"before {i}");
        await bob.SendDirectAsync("user-ada", "dm before");
        await ada.SendDirectAsync("user-bob", "dm reply");

        await RestartAsync();
        var watcher = await _chat.ConnectAsync("user-watcher", "Watcher");
        var bobAgain = await _chat.ConnectAsync("user-bob", "Bob");
        var afterGeneral = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => bobAgain.SendMessageAsync(RoomNames.General, $"after {i}")));
        // Ada is away, and this server has not seen her, but she wrote in this conversation: the message waits for her.
        var afterDirect = await bobAgain.SendDirectAsync("user-ada", "dm after");

        Assert.Equal([6L, 7L, 8L, 9L, 10L], afterGeneral.Select(a => a.Sequence).Order());
        Assert.Equal(3, afterDirect.Sequence);
        await watcher.Events.WaitForEventAsync(e => e is MessagePosted { Message.Sequence: 10 }, "sequence 10");
        await watcher.BarrierAsync();
        var checker = new SequenceChecker(firstExpected: 6);
        checker.ObserveAll(watcher.Events.Messages.Select(m => m.Sequence));
        Assert.Equal(SequenceReport.Clean, checker.Report(10));
    }

    [Fact]
    public async Task Direct_ToSomeoneWhoWasHereAndLeft_IsStoredForThem()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        await carol.DisconnectAsync();

        var accepted = await ada.SendDirectAsync("user-carol", "for when you are back");

        var back = await _chat.ConnectAsync("user-carol", "Carol");
        var unread = Assert.Single((await back.Events.WaitForAsync<NamespaceWelcome>()).Unread ?? []);
        Assert.Equal(new UnreadConversation(RoomNames.DirectConversation("user-ada", "user-carol"), new Person("user-ada", "Ada"), 1, 0), unread);
        Assert.Equal(1, accepted.Sequence);
    }

    [Fact]
    public async Task Direct_AfterARestart_ToSomeoneAwayWhoNeverWroteToTheSender_IsRefusedAndStoresNothing()
    {
        await _chat.ConnectAsync("user-carol", "Carol");
        await RestartAsync();
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        // This server has not seen Carol, and the store has nothing she wrote to Ada: nobody to queue for.
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync("user-carol", "hi?"));

        Assert.Contains("nobody by that id", refused.Message, StringComparison.Ordinal);
        var key = ChatHandlers.StoreKey(_chat.Server.Main, RoomNames.DirectConversation("user-ada", "user-carol"));
        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(key));
        Assert.Empty(await _chat.Store.ConversationsOfAsync("user-ada"));
    }

    // Ada writes to Bob while he is here; he reads it (as his page would) and closes his only tab.
    private async Task<(TestTab Ada, TestTab Bob)> BobReadsOneThenLeavesAsync()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var hello = await ada.SendDirectAsync(bob, "hello");
        await bob.Events.WaitForAsync<DirectPosted>(d => d.Message.Id == hello.Id);
        await bob.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(AdaBob, hello.Sequence));
        await bob.DisconnectAsync();
        return (ada, bob);
    }

    private async Task RestartAsync()
    {
        await _chat.DisposeAsync();
        _chat = new TestChat(databasePath: _folder.DatabasePath);
    }
}
