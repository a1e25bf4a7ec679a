using BlazorChat.Persistence;
using BlazorChat.Tests.Persistence;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// The ordering promise through the real chat and store: many senders at once, every receiver sees the room's
/// sequence numbers 1, 2, 3… strictly increasing, with nothing lost or repeated, and the store holds exactly those.
/// </summary>
public sealed class ChatHandlersOrderingTests : IAsyncLifetime
{
    private const string Room = "burst";

    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task Send_FiftyConcurrentSendersOfAHundredEach_EveryTabSeesOneToFiveThousandInOrderAndTheStoreHoldsThem()
    {
        const int senders = 50;
        const int perSender = 100;
        const long total = senders * perSender;
        var receivers = new List<TestTab>();
        for (var i = 0; i < 3; i++)
        {
            var receiver = await _chat.ConnectAsync($"user-receiver{i}", $"receiver{i}");
            await receiver.JoinRoomAsync(Room);
            receivers.Add(receiver);
        }
        var senderTabs = new List<TestTab>();
        for (var i = 0; i < senders; i++)
        {
            var sender = await _chat.ConnectAsync($"user-sender{i}", $"sender{i}");
            await sender.JoinRoomAsync(Room);
            senderTabs.Add(sender);
        }

        // Released together so the senders really overlap; each sends its next message when the last was accepted.
        using var start = new ManualResetEventSlim();
        var sending = senderTabs.Select(tab => Task.Factory.StartNew(async () =>
        {
            start.Wait();
            var accepted = new List<(MessageAccepted Accepted, string Text)>();
            for (var i = 0; i < perSender; i++)
            {
                var text = $"{tab.Person.DisplayName}-{i}";
                accepted.Add((await tab.SendMessageAsync(Room, text), text));
            }
            return accepted;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        start.Set();
        var acceptedBySender = await Task.WhenAll(sending);

        // Every tab in the room receives every message, its own included: senders are receivers too.
        var everyone = receivers.Concat(senderTabs).ToList();
        foreach (var tab in everyone)
            await tab.Events.WaitForEventAsync(e => e is MessagePosted { Message.Sequence: total }, $"sequence {total} at {tab.Person.DisplayName}");
        await TestChat.BarrierAsync([.. everyone]);

        foreach (var tab in everyone)
        {
            var checker = new SequenceChecker();
            checker.ObserveAll(tab.Events.Messages.Where(m => m.Room == Room).Select(m => m.Sequence));
            Assert.True(checker.Report(total).IsClean, $"{tab.Person.DisplayName}: {checker.Report(total)}");
        }

        // Each acknowledgement's sequence is the one the store gave that message, and each sender's own messages
        // are numbered in the order it sent them.
        var stored = await ReadAllAsync(ChatHandlers.StoreKey(_chat.Server.Main, Room));
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), stored.Select(m => m.Sequence));
        var storedById = stored.ToDictionary(m => m.Id);
        Assert.Equal(total, storedById.Count);
        foreach (var accepted in acceptedBySender)
        {
            Assert.All(accepted, a =>
            {
                Assert.Equal(a.Accepted.Sequence, storedById[a.Accepted.Id].Sequence);
                Assert.Equal(a.Text, storedById[a.Accepted.Id].Text);
            });
            var sequences = accepted.Select(a => a.Accepted.Sequence).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    [Fact]
    public async Task Send_ConcurrentBurstsIntoTwoRooms_NumberEachRoomFromOneOnItsOwn()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var watcher = await _chat.ConnectAsync("user-watcher", "Watcher");
        foreach (var tab in new[] { ada, bob, watcher })
        {
            await tab.JoinRoomAsync("left");
            await tab.JoinRoomAsync("right");
        }

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < 100; i++)
                    await ada.SendMessageAsync("left", $"l{i}");
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < 100; i++)
                    await bob.SendMessageAsync("right", $"r{i}");
            }));
        await watcher.Events.WaitForEventAsync(e => e is MessagePosted { Message: { Room: "left", Sequence: 100 } }, "left 100");
        await watcher.Events.WaitForEventAsync(e => e is MessagePosted { Message: { Room: "right", Sequence: 100 } }, "right 100");
        await watcher.BarrierAsync();

        foreach (var room in new[] { "left", "right" })
        {
            var checker = new SequenceChecker();
            checker.ObserveAll(watcher.Events.Messages.Where(m => m.Room == room).Select(m => m.Sequence));
            Assert.Equal(SequenceReport.Clean, checker.Report(100));
        }
    }

    [Fact]
    public async Task Send_TheFirstMessagesOfFreshRoomsAllAtOnce_ArriveFromSequenceOneInOrder()
    {
        // The server has published nothing in these rooms yet: the first numbers must not be taken on first sight.
        const int rooms = 30;
        const int sendersPerRoom = 6;
        var watcher = await _chat.ConnectAsync("user-watcher", "Watcher");
        var senderTabs = new List<(TestTab Tab, string Room)>();
        for (var r = 0; r < rooms; r++)
        {
            await watcher.JoinRoomAsync($"fresh{r}");
            for (var s = 0; s < sendersPerRoom; s++)
            {
                var tab = await _chat.ConnectAsync($"user-s{r}-{s}", $"s{r}-{s}");
                await tab.JoinRoomAsync($"fresh{r}");
                senderTabs.Add((tab, $"fresh{r}"));
            }
        }

        using var start = new ManualResetEventSlim();
        var sending = senderTabs.Select(x => Task.Factory.StartNew(async () =>
        {
            start.Wait();
            await x.Tab.SendMessageAsync(x.Room, "first!");
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        start.Set();
        await Task.WhenAll(sending);
        for (var r = 0; r < rooms; r++)
        {
            var room = $"fresh{r}";
            await watcher.Events.WaitForEventAsync(e => e is MessagePosted m && m.Message.Room == room && m.Message.Sequence == sendersPerRoom, room);
        }
        await watcher.BarrierAsync();

        for (var r = 0; r < rooms; r++)
        {
            var checker = new SequenceChecker();
            checker.ObserveAll(watcher.Events.Messages.Where(m => m.Room == $"fresh{r}").Select(m => m.Sequence));
            Assert.True(checker.Report(sendersPerRoom).IsClean, $"fresh{r}: {checker.Report(sendersPerRoom)}");
        }
    }

    private async Task<IReadOnlyList<StoredMessage>> ReadAllAsync(string key)
    {
        var all = new List<StoredMessage>();
        while (true)
        {
            var page = await _chat.Store.ReadAfterAsync(key, all.Count > 0 ? all[^1].Sequence : 0, 1000);
            if (page.Count == 0)
                return all;
            all.AddRange(page);
        }
    }
}
