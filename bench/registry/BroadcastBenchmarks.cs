using BenchmarkDotNet.Attributes;

namespace BlazorChat.Bench.Registry;

/// <summary>
/// One message to a room of <see cref="Members"/> connections, in process: BlazorChat's delivery beside
/// SignalR's <c>DefaultHubLifetimeManager.SendGroupAsync</c> to a group of in-memory connections.
/// </summary>
/// <remarks>
/// SignalR serializes the message once and writes the bytes into each connection's transport pipe (here a
/// pipe that discards, as in SignalR's own DefaultHubLifetimeManagerBenchmark), synchronously. BlazorChat
/// enqueues the event into each member's outbox under its registry lock; a per-connection pump then calls
/// that member's subscriber. So BlazorChat is measured twice: the broadcast call alone (enqueue), and until
/// every member's subscriber has run (delivered), which is the fair match for SignalR's group send.
/// </remarks>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private BlazorChatRoom _blazorChat = null!;
    private SignalRGroup _signalR = null!;

    [Params(1000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _blazorChat = BlazorChatRoom.Create(Members);
        _signalR = SignalRGroup.CreateAsync(Members).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _blazorChat.Dispose();

    [Benchmark(Baseline = true, Description = "SignalR SendGroupAsync")]
    public Task SignalRSendGroupAsync() => _signalR.SendAsync("hello, room");

    [Benchmark(Description = "BlazorChat broadcast, all delivered")]
    public Task BlazorChatBroadcastDeliveredAsync() => _blazorChat.BroadcastAndWaitForDeliveryAsync("hello, room");

    [Benchmark(Description = "BlazorChat broadcast, enqueue only")]
    public void BlazorChatBroadcastEnqueue() => _blazorChat.Broadcast("hello, room");
}
