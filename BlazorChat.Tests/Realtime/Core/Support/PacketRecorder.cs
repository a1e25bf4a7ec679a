using BlazorChat.Realtime.Server;

namespace BlazorChat.Tests.Realtime.Core.Support;

/// <summary>
/// The client end of one connection in a test: records every packet it is handed, in order, and answers
/// acknowledgements with <see cref="ReplyData"/> carrying its <see cref="Name"/>. An optional behaviour runs
/// after recording, so a test can make the client throw or block (the packet still counts as received).
/// </summary>
public sealed class PacketRecorder(string name, Func<Packet, AckReply?, Task>? behaviour = null)
{
    private readonly Lock _gate = new();
    private readonly List<Packet> _packets = [];
    private readonly List<(Func<IReadOnlyList<Packet>, bool> Done, TaskCompletionSource Signal)> _waiters = [];

    public string Name { get; } = name;

    /// <summary>Whether acknowledgement requests are answered; a client that never answers sets this false.</summary>
    public bool AnswersAcks { get; set; } = true;

    /// <summary>Hand this to <c>ConnectAsync</c> as the connection's client.</summary>
    public ClientHandler Handler => HandleAsync;

    public IReadOnlyList<Packet> Packets
    {
        get
        {
            lock (_gate)
                return [.. _packets];
        }
    }

    public IReadOnlyList<string> Events => [.. Packets.Select(p => p.Event)];

    public int CountOf(string eventName) => Packets.Count(p => p.Event == eventName);

    public bool HasReceived(string eventName) => CountOf(eventName) > 0;

    public void Record(Packet packet)
    {
        lock (_gate)
        {
            _packets.Add(packet);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Done(_packets))
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes once <paramref name="done"/> holds for what arrived so far; fails after <see cref="Wait.Timeout"/>.</summary>
    public async Task<IReadOnlyList<Packet>> WaitUntilAsync(Func<IReadOnlyList<Packet>, bool> done, string what)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (done(_packets))
                return [.. _packets];
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((done, signal));
        }
        try
        {
            await signal.Task.WaitAsync(Wait.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{Name} waited {Wait.Timeout.TotalSeconds:0}s for {what}; it received {Packets.Count} packets, the last: "
                + string.Join(", ", Events.TakeLast(20)));
        }
        return Packets;
    }

    public Task<IReadOnlyList<Packet>> WaitForEventAsync(string eventName) =>
        WaitUntilAsync(packets => packets.Any(p => p.Event == eventName), $"\"{eventName}\"");

    public Task<IReadOnlyList<Packet>> WaitForCountAsync(int count) =>
        WaitUntilAsync(packets => packets.Count >= count, $"{count} packets");

    private async Task HandleAsync(Packet packet, AckReply? ack)
    {
        Record(packet);
        if (behaviour is not null)
            await behaviour(packet, ack);
        if (ack is not null && AnswersAcks)
            ack.Send(new ReplyData(Name));
    }
}
