using System.Diagnostics;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// How events reach clients: through each connection's own ordered outbox and pump. Order is the same at
/// every receiver, a broken client breaks only its own delivery, and volatile events are dropped rather than
/// queued for a client that is busy, backlogged or not writable.
/// </summary>
/// <remarks>
/// A blocked client is a handler awaiting a gate (a <see cref="TaskCompletionSource"/>): while it waits, the
/// connection's pump is busy and later events pile up in its outbox.
/// </remarks>
public sealed class ChatSocketDeliveryTests
{
    private readonly ChatServer _server = TestClients.NewServer();

    // ---- order ----

    [Fact]
    public async Task ConcurrentEmitters_EveryReceiverGetsEveryEventInTheSameOrder()
    {
        const int Emitters = 4;
        const int PerEmitter = 250;
        TestClient[] receivers =
        [
            await _server.ConnectAsync("/", "r1"),
            await _server.ConnectAsync("/", "r2"),
            await _server.ConnectAsync("/", "r3"),
        ];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var emitters = Enumerable.Range(0, Emitters).Select(emitter => Task.Run(async () =>
        {
            await start.Task;
            for (var n = 0; n < PerEmitter; n++)
                await _server.Main.EmitAsync("seq", new SequenceData(emitter, n));
        })).ToArray();
        start.SetResult();
        await Wait.ForAsync(Task.WhenAll(emitters), "the emitters");

        var sequences = new List<SequenceData[]>();
        foreach (var receiver in receivers)
        {
            var packets = await receiver.Inbox.WaitForCountAsync(Emitters * PerEmitter);
            sequences.Add([.. packets.Select(p => (SequenceData)p.Data!)]);
        }
        Assert.All(sequences, s => Assert.Equal(Emitters * PerEmitter, s.Length));
        Assert.Equal(sequences[0], sequences[1]);
        Assert.Equal(sequences[0], sequences[2]);
        Assert.Equal(Emitters * PerEmitter, sequences[0].Distinct().Count());
        for (var emitter = 0; emitter < Emitters; emitter++)
        {
            var own = sequences[0].Where(s => s.Emitter == emitter).Select(s => s.Number);
            Assert.Equal(Enumerable.Range(0, PerEmitter), own);
        }
    }

    [Fact]
    public async Task AnEventEmittedJustAsTheLastOneIsHandled_IsNeverLeftQueuedWithNobodyToDeliverIt()
    {
        // Each event is emitted the moment the handler has taken the previous one, and the handler lingers a random few
        // hundred nanoseconds before returning: the emit races the end of that drain, the race a lost wake-up needs,
        // ten thousand times over.
        const int Connections = 1;
        const int Rounds = 10_000;
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(async () =>
        {
            var handled = 0;
            var random = new Random(c);
            var socket = await _server.ConnectAsync("/", TestClients.Request($"racer-{c}"), (_, _) =>
            {
                Interlocked.Increment(ref handled);
                Thread.SpinWait(random.Next(0, 64));
                return Task.CompletedTask;
            });
            for (var round = 0; round < Rounds; round++)
            {
                await socket.EmitAsync("tick");
                var waited = Stopwatch.StartNew();
                while (Volatile.Read(ref handled) <= round)
                {
                    Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"connection {c}: event {round} was never delivered");
                    Thread.SpinWait(1);
                }
            }
        })));
    }

    [Fact]
    public async Task HandlersThatSometimesCompleteLater_StillGetEveryEventOnceInOrder_OneAtATime()
    {
        // A circuit's handler usually completes at once, but not always (its dispatcher is busy): the outbox must then
        // wait for it before the next event, and resume, without losing or repeating one, under concurrent emitters.
        const int Emitters = 4;
        const int PerEmitter = 300;
        var inFlight = 0;
        var overlapped = false;
        var received = new List<SequenceData>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Later(int number)
        {
            await Task.Yield();
            if (number % 3 == 0)
                await Task.Delay(1);
        }
        Task Handler(Packet packet, AckReply? ack)
        {
            if (Interlocked.Increment(ref inFlight) != 1)
                overlapped = true;
            var data = (SequenceData)packet.Data!;
            lock (received)
            {
                received.Add(data);
                if (received.Count == Emitters * PerEmitter)
                    all.TrySetResult();
            }
            if (data.Number % 2 == 0)
            {
                Interlocked.Decrement(ref inFlight);
                return Task.CompletedTask;
            }
            return Later(data.Number).ContinueWith(_ => Interlocked.Decrement(ref inFlight), TaskScheduler.Default);
        }
        await _server.ConnectAsync("/", TestClients.Request("mixed"), Handler);

        await Task.WhenAll(Enumerable.Range(0, Emitters).Select(emitter => Task.Run(async () =>
        {
            for (var n = 0; n < PerEmitter; n++)
                await _server.Main.EmitAsync("seq", new SequenceData(emitter, n));
        })));
        await Wait.ForAsync(all.Task, "every event");

        Assert.False(overlapped, "two events were in the handler at once");
        Assert.Equal(Emitters * PerEmitter, received.Distinct().Count());
        for (var emitter = 0; emitter < Emitters; emitter++)
            Assert.Equal(Enumerable.Range(0, PerEmitter), received.Where(s => s.Emitter == emitter).Select(s => s.Number));
    }

    [Fact]
    public async Task SocketsEmittingToEachOther_EachReceiverSeesEverySendersEventsInTheOrderSent()
    {
        var clients = new[]
        {
            await _server.ConnectAsync("/", "a", rooms: "room"),
            await _server.ConnectAsync("/", "b", rooms: "room"),
            await _server.ConnectAsync("/", "c", rooms: "room"),
        };

        await Wait.ForAsync(Task.WhenAll(clients.Select((sender, index) => Task.Run(async () =>
        {
            for (var n = 0; n < 200; n++)
                await sender.Socket.To("room").EmitAsync("seq", new SequenceData(index, n));
        }))), "the senders");

        foreach (var receiver in clients)
        {
            var received = (await receiver.Inbox.WaitForCountAsync(400)).Select(p => (SequenceData)p.Data!).ToList();
            var self = Array.IndexOf(clients, receiver);
            Assert.DoesNotContain(received, s => s.Emitter == self);
            foreach (var sender in Enumerable.Range(0, clients.Length).Where(i => i != self))
                Assert.Equal(Enumerable.Range(0, 200), received.Where(s => s.Emitter == sender).Select(s => s.Number));
        }
    }

    // ---- a broken client ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThrowingClientHandler_AffectsNeitherOtherReceiversNorItsOwnLaterEvents(bool throwsSynchronously)
    {
        var brokenInbox = new PacketRecorder("broken");
        ClientHandler broken = throwsSynchronously
            ? (packet, _) =>
            {
                brokenInbox.Record(packet);
                return packet.Event == "boom" ? throw new InvalidOperationException("client broke") : Task.CompletedTask;
            }
            : async (packet, _) =>
            {
                brokenInbox.Record(packet);
                await Task.Yield();
                if (packet.Event == "boom")
                    throw new InvalidOperationException("client broke");
            };
        var before = await _server.ConnectAsync("/", "before");
        await _server.ConnectAsync("/", TestClients.Request("broken"), broken);
        var after = await _server.ConnectAsync("/", "after");

        await _server.Main.EmitAsync("boom");
        await _server.Main.EmitAsync("next-1");
        await _server.Main.EmitAsync("next-2");

        await brokenInbox.WaitForEventAsync("next-2");
        await before.Inbox.WaitForEventAsync("next-2");
        await after.Inbox.WaitForEventAsync("next-2");
        Assert.Equal(["boom", "next-1", "next-2"], brokenInbox.Events);
        Assert.Equal(["boom", "next-1", "next-2"], before.Inbox.Events);
        Assert.Equal(["boom", "next-1", "next-2"], after.Inbox.Events);
    }

    [Fact]
    public async Task BlockedClient_DelaysOnlyItself()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowInbox = new PacketRecorder("slow", (packet, _) => packet.Event == "first" ? gate.Task : Task.CompletedTask);
        await _server.ConnectAsync("/", TestClients.Request("slow"), slowInbox.Handler);
        var fast = await _server.ConnectAsync("/", "fast");

        await _server.Main.EmitAsync("first");
        await _server.Main.EmitAsync("second");

        await fast.Inbox.WaitForEventAsync("second");
        await slowInbox.WaitForEventAsync("first");
        Assert.False(slowInbox.HasReceived("second"));
        gate.SetResult();
        await slowInbox.WaitForEventAsync("second");
    }

    [Fact]
    public async Task AClientHandlerThatBlocksItsThread_DelaysTheOthersOfItsBroadcastOnlyBriefly()
    {
        // A broadcast drains its recipients in chunks on the thread pool; one whose handler blocks the thread (it should
        // not) holds up the rest of its chunk until the watchdog hands them to another thread.
        using var release = new ManualResetEventSlim();
        var blocking = new PacketRecorder("blocking", (_, _) =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return Task.CompletedTask;
        });
        await _server.ConnectAsync("/", TestClients.Request("blocking"), blocking.Handler);
        var others = new List<TestClient>();
        for (var i = 0; i < 2 * DeliveryBatch.ChunkSize; i++)
            others.Add(await _server.ConnectAsync("/", $"other-{i}"));

        var sent = Stopwatch.StartNew();
        await _server.Main.EmitAsync("hello");
        foreach (var other in others)
            await other.Inbox.WaitForEventAsync("hello");
        sent.Stop();
        release.Set();

        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(5), $"the others waited {sent.Elapsed.TotalMilliseconds:F0} ms");
        await blocking.WaitForEventAsync("hello");
    }

    // ---- volatile ----

    [Fact]
    public async Task Volatile_ToAnIdleConnection_IsDelivered()
    {
        var client = await _server.ConnectAsync("/", "a");

        await client.Socket.Self.Volatile.EmitAsync("position", new TextData("x=1"));

        var received = await client.Inbox.WaitForEventAsync("position");
        Assert.Equal([new Packet("position", new TextData("x=1"))], received);
    }

    [Fact]
    public async Task Volatile_ToABackloggedConnection_IsDroppedAndItsNormalEventsArriveInOrder()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new PacketRecorder("slow", (packet, _) => packet.Event == "first" ? gate.Task : Task.CompletedTask);
        var socket = await _server.ConnectAsync("/", TestClients.Request("slow"), slow.Handler);

        await socket.EmitAsync("first");
        await slow.WaitForEventAsync("first"); // its client is now busy with "first"
        await socket.Self.Volatile.EmitAsync("volatile-while-busy");
        await socket.EmitAsync("n1");
        await socket.EmitAsync("n2");
        await socket.Self.Volatile.EmitAsync("volatile-while-backlogged");
        await _server.Main.Volatile.EmitAsync("volatile-to-everyone");
        await socket.EmitAsync("n3");
        gate.SetResult();

        await slow.WaitForEventAsync("n3");
        Assert.Equal(["first", "n1", "n2", "n3"], slow.Events);
    }

    [Fact]
    public async Task Volatile_WhileTheClientIsBusyWithAnEarlierEvent_IsDropped()
    {
        // Opened without RunContinuationsAsynchronously on purpose: SetResult runs the pump's next steps inline,
        // so a volatile event wrongly kept for later would be handed over before "marker" is even sent.
        var gate = new TaskCompletionSource();
        var slow = new PacketRecorder("slow", (packet, _) => packet.Event == "first" ? gate.Task : Task.CompletedTask);
        var socket = await _server.ConnectAsync("/", TestClients.Request("slow"), slow.Handler);
        await socket.EmitAsync("first");
        await slow.WaitForEventAsync("first");

        await socket.Self.Volatile.EmitAsync("volatile-while-busy");
        gate.SetResult();
        await socket.EmitAsync("marker");

        await slow.WaitForEventAsync("marker");
        Assert.Equal(["first", "marker"], slow.Events);
    }

    [Fact]
    public async Task Volatile_ToARoom_ReachesTheIdleMembersAndSkipsTheBackloggedOne()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new PacketRecorder("slow", (packet, _) => packet.Event == "first" ? gate.Task : Task.CompletedTask);
        var slowSocket = await _server.ConnectAsync("/", TestClients.Request("slow"), slow.Handler);
        await slowSocket.JoinAsync("room");
        var idle = await _server.ConnectAsync("/", "idle", rooms: "room");

        await slowSocket.EmitAsync("first");
        await slow.WaitForEventAsync("first");
        await _server.Main.To("room").Volatile.EmitAsync("tick");

        await idle.Inbox.WaitForEventAsync("tick");
        gate.SetResult();
        await slowSocket.EmitAsync("marker");
        await slow.WaitForEventAsync("marker");
        Assert.Equal(["first", "marker"], slow.Events);
    }

    [Fact]
    public async Task Volatile_NeverOvertakesNorDelaysTheNormalEventsSentAfterIt()
    {
        const int Rounds = 300;
        var client = await _server.ConnectAsync("/", "a");

        for (var round = 0; round < Rounds; round++)
        {
            await client.Socket.Self.Volatile.EmitAsync("v" + round);
            await client.Socket.EmitAsync("n" + round);
        }

        // Every normal event arrives; a volatile one either arrives in its place in the sending order
        // (before the normal event sent after it) or not at all.
        var received = (await client.Inbox.WaitUntilAsync(p => p.Any(x => x.Event == "n" + (Rounds - 1)), "the last normal event"))
            .Select(p => p.Event).ToList();
        var sent = Enumerable.Range(0, Rounds).SelectMany(round => new[] { "v" + round, "n" + round }).ToList();
        Assert.Equal(sent.Where(e => e[0] == 'n'), received.Where(e => e[0] == 'n'));
        Assert.True(IsSubsequence(received, sent), "received out of sending order: " + string.Join(" ", received));
    }

    [Fact]
    public async Task Volatile_WhileTheClientIsNotWritable_IsDropped()
    {
        var client = await _server.ConnectAsync("/", "a");
        var writable = false;
        client.Socket.IsClientWritable = () => Volatile.Read(ref writable);

        await client.Socket.Self.Volatile.EmitAsync("dropped");
        await client.Socket.EmitAsync("marker");
        await client.Inbox.WaitForEventAsync("marker");
        Volatile.Write(ref writable, true);
        await client.Socket.Self.Volatile.EmitAsync("delivered");

        await client.Inbox.WaitForEventAsync("delivered");
        Assert.Equal(["marker", "delivered"], client.Inbox.Events);
    }

    [Fact]
    public async Task NotWritableClient_StillGetsNormalEvents()
    {
        var client = await _server.ConnectAsync("/", "a");
        client.Socket.IsClientWritable = static () => false;

        await _server.Main.EmitAsync("normal");

        await client.Inbox.WaitForEventAsync("normal");
    }

    // ---- acknowledgements ----

    [Fact]
    public async Task PlainEmit_GivesTheClientNoAcknowledgementHandle_EmitWithAckDoes()
    {
        var handles = new List<bool>();
        var inbox = new PacketRecorder("a", (_, ack) =>
        {
            lock (handles)
                handles.Add(ack is not null);
            return Task.CompletedTask;
        });
        var socket = await _server.ConnectAsync("/", TestClients.Request("a"), inbox.Handler);

        await socket.EmitAsync("plain");
        var answer = await Wait.ForAsync(socket.EmitWithAckAsync("question", null, TimeSpan.FromSeconds(30)), "the answer");

        Assert.Equal([false, true], handles);
        Assert.Equal(new AckResponse("a", new ReplyData("a")), answer);
    }

    [Fact]
    public async Task EmitWithAck_ClientThatNeverAnswers_GivesNullAfterTheTimeout()
    {
        var client = await _server.ConnectAsync("/", "a");
        client.Inbox.AnswersAcks = false;

        var answer = await Wait.ForAsync(client.Socket.EmitWithAckAsync("question", null, TimeSpan.FromMilliseconds(200)), "the timeout");

        Assert.Null(answer);
        Assert.True(client.Inbox.HasReceived("question"));
    }

    [Fact]
    public async Task EmitWithAck_ToABigRoom_CostsTheEmitterLittleMorePerRecipientThanItsReplyHandle()
    {
        // Everyone in "big", a fifth of them in "small" too: what grows with the room is the cost per recipient.
        var clients = new List<TestClient>();
        for (var i = 0; i < 250; i++)
            clients.Add(await _server.ConnectAsync("/", $"c{i}", null, i < 50 ? ["big", "small"] : ["big"]));
        var pending = new List<Task>();

        // On this thread, up to the emit's first wait: the delivery to every recipient (their acknowledgements come on
        // their own outboxes' threads). The least of a few rounds.
        long Bytes(string room)
        {
            var least = long.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var emitted = _server.Main.To(room).Timeout(TimeSpan.FromSeconds(30)).EmitWithAckAsync("question");
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                pending.Add(emitted);
            }
            return least;
        }

        Bytes("big");
        var perRecipient = (Bytes("big") - Bytes("small")) / 200;
        await Wait.ForAsync(Task.WhenAll(pending), "the answers");

        // Each recipient's reply handle (40 bytes), its place in the list of recipients and in the answers awaited: 134
        // bytes here. A closure and its delegate in each handle (the recipient's id and where its reply goes) made 215.
        Assert.True(perRecipient < 170, $"{perRecipient} bytes per recipient");
    }

    // ---- after disconnect ----

    [Fact]
    public async Task DisconnectedConnection_DoesNotReceiveWhatWasQueuedBeforeItLeft()
    {
        // Opened without RunContinuationsAsynchronously on purpose: SetResult then runs the blocked handler's
        // continuation and the pump's next step inline, so when it returns the pump has either handed "queued"
        // to the client or stopped.
        var gate = new TaskCompletionSource();
        var slow = new PacketRecorder("slow", (packet, _) => packet.Event == "first" ? gate.Task : Task.CompletedTask);
        var socket = await _server.ConnectAsync("/", TestClients.Request("slow"), slow.Handler);
        await socket.EmitAsync("first");
        await slow.WaitForEventAsync("first");
        await socket.EmitAsync("queued");

        await socket.DisconnectAsync("bye");
        gate.SetResult();

        Assert.Equal(["first"], slow.Events);
    }

    [Fact]
    public async Task DisconnectedConnection_IsNoLongerReachedByAnyBroadcast()
    {
        var leaver = await _server.ConnectAsync("/", "leaver", rooms: "room");
        var stayer = await _server.ConnectAsync("/", "stayer", rooms: "room");
        await leaver.Socket.DisconnectAsync("bye");

        await _server.Main.EmitAsync("everyone");
        await _server.Main.To("room").EmitAsync("room");
        await _server.Main.To("leaver").EmitAsync("direct");
        var ack = await _server.Main.To("leaver").Timeout(TimeSpan.FromSeconds(30)).EmitWithAckAsync("question");

        await TestClients.SettleAsync(stayer);
        Assert.Equal(["everyone", "room"], stayer.Inbox.Events.Where(e => !e.StartsWith("barrier", StringComparison.Ordinal)));
        Assert.Empty(leaver.Inbox.Packets);
        Assert.True(ack.Complete);
        Assert.Empty(ack.Responses);
    }

    private static bool IsSubsequence(IReadOnlyList<string> candidate, IReadOnlyList<string> sequence)
    {
        var position = 0;
        foreach (var item in candidate)
        {
            while (position < sequence.Count && sequence[position] != item)
                position++;
            if (position == sequence.Count)
                return false;
            position++;
        }
        return true;
    }
}
