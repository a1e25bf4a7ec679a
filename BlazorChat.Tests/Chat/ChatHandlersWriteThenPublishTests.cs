using BlazorChat.Tests.Persistence;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// Write, then publish: nobody receives a message the store does not hold yet, and a refused message leaves the
/// store as it was.
/// </summary>
public sealed class ChatHandlersWriteThenPublishTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();
    private readonly List<TestTab> _ownTabs = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var tab in _ownTabs)
            await tab.DisconnectAsync();
        await _chat.DisposeAsync();
    }

    private string Key(string conversation) => ChatHandlers.StoreKey(_chat.Server.Main, conversation);

    [Fact]
    public async Task Send_EveryMessageAReceiverGets_IsAlreadyInTheStore()
    {
        const int senders = 10;
        const int perSender = 30;
        var checkedMessages = 0;
        var notYetStored = new List<long>();
        // The receiver asks the store, from inside its own delivery handler, how far the room goes.
        var receiver = await ConnectCheckingAsync("user-receiver", "Receiver", async message =>
        {
            var latest = await _chat.Store.LatestSequenceAsync(Key(message.Room));
            Interlocked.Increment(ref checkedMessages);
            if (latest < message.Sequence)
            {
                lock (notYetStored)
                    notYetStored.Add(message.Sequence);
            }
        });
        var tabs = new List<TestTab>();
        for (var i = 0; i < senders; i++)
            tabs.Add(await _chat.ConnectAsync($"user-s{i}", $"s{i}"));

        await Task.WhenAll(tabs.Select(tab => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++)
                await tab.SendMessageAsync(RoomNames.General, $"{tab.Person.DisplayName}-{i}");
        })));
        await receiver.Events.WaitForEventAsync(e => e is MessagePosted { Message.Sequence: senders * perSender }, "the last message");
        await receiver.BarrierAsync();

        Assert.Equal(senders * perSender, Volatile.Read(ref checkedMessages));
        lock (notYetStored)
            Assert.Empty(notYetStored);
        var checker = new SequenceChecker();
        checker.ObserveAll(receiver.Events.Messages.Select(m => m.Sequence));
        Assert.Equal(SequenceReport.Clean, checker.Report(senders * perSender));
    }

    [Fact]
    public async Task Direct_EveryPrivateMessageTheRecipientGets_IsAlreadyInTheStore()
    {
        var notYetStored = 0;
        var checkedMessages = 0;
        var bob = await ConnectCheckingAsync("user-bob", "Bob", async message =>
        {
            if (await _chat.Store.LatestSequenceAsync(Key(message.Room)) < message.Sequence)
                Interlocked.Increment(ref notYetStored);
            Interlocked.Increment(ref checkedMessages);
        });
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => ada.SendDirectAsync(bob, $"d{i}")));
        await bob.Events.WaitForEventAsync(e => e is DirectPosted { Message.Sequence: 50 }, "the last private message");
        await bob.BarrierAsync();

        Assert.Equal((50, 0), (Volatile.Read(ref checkedMessages), Volatile.Read(ref notYetStored)));
    }

    [Fact]
    public async Task Send_ToARoomThatDoesNotExist_IsRefusedAndStoresNothing()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync("nowhere", "hello?"));

        Assert.Contains("not in the room \"nowhere\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(Key("nowhere")));
        Assert.Empty(await _chat.Store.ConversationsOfAsync("user-ada"));
    }

    [Theory]
    [InlineData("user:user-ada")]
    [InlineData("Not A Room!")]
    [InlineData("")]
    public async Task Send_ToSomethingThatIsNotARoom_IsRefusedAndStoresNothing(string room)
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync(room, "hello?"));
        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync(ada.Id, "to my own connection room"));

        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(Key(room)));
        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(Key(ada.Id)));
        Assert.Empty(await _chat.Store.ConversationsOfAsync("user-ada"));
    }

    [Fact]
    public async Task Send_ToARoomTheSenderIsNotIn_IsRefusedAndTheRoomsHistoryIsUnchanged()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");
        await bob.SendMessageAsync("design", "members only");

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync("design", "let me in"));

        var stored = Assert.Single(await _chat.Store.ReadAfterAsync(Key("design"), 0, 10));
        Assert.Equal("members only", stored.Text);
        await bob.BarrierAsync();
        Assert.DoesNotContain(bob.Events.Messages, m => m.Text == "let me in");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Send_WithoutText_IsRefusedAndTheRoomsLatestSequenceIsUnchanged(string? text)
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await ada.SendMessageAsync(RoomNames.General, "before");

        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            ada.SendAsync(ChatEvents.SendMessage, new SendMessageRequest(Guid.NewGuid(), RoomNames.General, text!)));

        Assert.Equal(1, await _chat.Store.LatestSequenceAsync(Key(RoomNames.General)));
    }

    [Fact]
    public async Task Send_LongerThanTheLimit_IsRefusedAndTheRoomsLatestSequenceIsUnchanged()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await ada.SendMessageAsync(RoomNames.General, "before");
        var id = Guid.NewGuid();

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync(RoomNames.General, new string('x', ChatRules.MaxMessageLength + 1), id));

        Assert.Equal(1, await _chat.Store.LatestSequenceAsync(Key(RoomNames.General)));
        // The refused id was not used up: a corrected message may take it.
        var corrected = await ada.SendMessageAsync(RoomNames.General, "shorter", id);
        Assert.Equal(2, corrected.Sequence);
    }

    [Fact]
    public async Task Direct_Refused_StoresNothing()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var adaBob = Key(RoomNames.DirectConversation("user-ada", "user-bob"));

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync(bob, "   "));
        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync(bob, new string('x', ChatRules.MaxMessageLength + 1)));
        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync("user-nobody", "hello?"));
        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync(ada, "note to self"));

        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(adaBob));
        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(Key(RoomNames.DirectConversation("user-ada", "user-nobody"))));
        Assert.Empty(await _chat.Store.ConversationsOfAsync("user-ada"));
    }

    // A raw connection whose handler runs a check on each message before recording it, on the connection's own pump.
    private async Task<TestTab> ConnectCheckingAsync(string userId, string name, Func<ChatMessage, Task> check)
    {
        var events = new EventRecorder();
        var request = new ConnectRequest("c." + Guid.NewGuid().ToString("N")[..16], TestChat.Principal(userId), userId, name);
        var socket = await _chat.Server.ConnectAsync(ChatServer.MainNamespace, request, async (packet, ack) =>
        {
            if (packet.Data is MessagePosted { Message: var posted })
                await check(posted);
            else if (packet.Data is DirectPosted { Message: var direct })
                await check(direct);
            await events.DeliverAsync(packet, ack);
        });
        var tab = new TestTab(socket, events);
        _ownTabs.Add(tab);
        return tab;
    }
}
