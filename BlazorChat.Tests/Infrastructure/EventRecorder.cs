using BlazorChat.Realtime.Server;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// Records the events one connection receives, in order, and acknowledges every event that asks for it (unless
/// <see cref="AutoAck"/> is off: a tab that never confirms anything). The server delivers on a background pump per
/// connection, so tests wait on a condition (completed by the pump through a TaskCompletionSource), never on a sleep.
/// </summary>
public sealed class EventRecorder
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<ChatEvent> _events = [];
    private readonly List<(Func<IReadOnlyList<ChatEvent>, bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<(Func<ChatEvent, bool> Match, TaskCompletionSource Signal)> _eventWaiters = [];
    private int _acksAsked;

    /// <summary>Whether events sent with an acknowledgement are acknowledged as soon as they are recorded.</summary>
    public bool AutoAck { get; set; } = true;

    /// <summary>How many of the received events asked for an acknowledgement.</summary>
    public int AcksAsked => Volatile.Read(ref _acksAsked);

    /// <summary>Pass this as the connection's <see cref="ClientHandler"/>.</summary>
    public Task DeliverAsync(Packet packet, AckReply? ack)
    {
        if (packet.Data is ChatEvent evt)
            Record(evt);
        if (ack is not null)
        {
            Interlocked.Increment(ref _acksAsked);
            if (AutoAck)
                ack.Send();
        }
        return Task.CompletedTask;
    }

    public void Record(ChatEvent evt)
    {
        // A digest of who came and went is recorded as what it stands for, in order (PresenceDigest): each arrival or
        // departure, then the rooms' counts after them. The digest itself is recorded too, for tests of the digests.
        if (evt is PeopleChanged people)
        {
            foreach (var change in people.Changes)
                Record(change.Online ? new PersonJoined(people.Namespace, change.Person, people.At) : new PersonLeft(people.Namespace, change.Person, people.At));
            if (people.Rooms is { } rooms)
                Record(new RoomsChanged(rooms));
        }
        lock (_gate)
        {
            _events.Add(evt);
            for (var i = _eventWaiters.Count - 1; i >= 0; i--)
            {
                if (_eventWaiters[i].Match(evt))
                {
                    _eventWaiters[i].Signal.TrySetResult();
                    _eventWaiters.RemoveAt(i);
                }
            }
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Done(_events))
                {
                    _waiters[i].Signal.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    public IReadOnlyList<ChatEvent> Events
    {
        get
        {
            lock (_gate)
                return [.. _events];
        }
    }

    /// <summary>Events other than the test's own barriers.</summary>
    public IReadOnlyList<ChatEvent> ChatEvents => [.. Events.Where(e => e is not TestBarrier)];

    public IReadOnlyList<T> OfType<T>() where T : ChatEvent => [.. Events.OfType<T>()];

    public IReadOnlyList<ChatMessage> Messages => [.. Events.OfType<MessagePosted>().Select(m => m.Message)];

    public IReadOnlyList<ChatMessage> Directs => [.. Events.OfType<DirectPosted>().Select(m => m.Message)];

    /// <summary>Completes once <paramref name="done"/> holds for the events received so far; fails after <see cref="Timeout"/>.</summary>
    public async Task<IReadOnlyList<ChatEvent>> WaitUntilAsync(Func<IReadOnlyList<ChatEvent>, bool> done, string what)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (done(_events))
                return [.. _events];
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((done, signal));
        }
        return await WaitAsync(signal, what);
    }

    /// <summary>
    /// Completes once an event matching <paramref name="match"/> has been received. Each new event is checked once,
    /// so this stays cheap when thousands of events arrive.
    /// </summary>
    public Task<IReadOnlyList<ChatEvent>> WaitForEventAsync(Func<ChatEvent, bool> match, string what)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            if (_events.Any(match))
                return Task.FromResult<IReadOnlyList<ChatEvent>>([.. _events]);
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _eventWaiters.Add((match, signal));
        }
        return WaitAsync(signal, what);
    }

    /// <summary>Completes with the first received event of type <typeparamref name="T"/> that matches.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, string? what = null) where T : ChatEvent
    {
        match ??= static _ => true;
        var events = await WaitForEventAsync(e => e is T t && match(t), what ?? typeof(T).Name);
        return events.OfType<T>().First(match);
    }

    public Task<IReadOnlyList<ChatEvent>> WaitForMessageAsync(string text) =>
        WaitForEventAsync(evt => evt is MessagePosted m && m.Message.Text == text, $"the message \"{text}\"");

    private async Task<IReadOnlyList<ChatEvent>> WaitAsync(TaskCompletionSource signal, string what)
    {
        try
        {
            await signal.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            var received = Events;
            throw new TimeoutException(
                $"Waited {Timeout.TotalSeconds:0}s for {what}; received {received.Count} events, the last: "
                + string.Join(", ", received.TakeLast(20).Select(Describe)));
        }
        return Events;
    }

    private static string Describe(ChatEvent evt) => evt switch
    {
        MessagePosted m => $"MessagePosted(\"{m.Message.Text}\")",
        DirectPosted d => $"DirectPosted(\"{d.Message.Text}\")",
        PersonJoined j => $"PersonJoined({j.Namespace} {j.Person.DisplayName})",
        PersonLeft l => $"PersonLeft({l.Namespace} {l.Person.DisplayName})",
        NamespaceWelcome w => $"Welcome({w.Namespace} {w.You.DisplayName})",
        RoomsChanged r => $"RoomsChanged({string.Join(' ', r.Rooms.Select(x => $"{x.Name}={x.Members}"))})",
        DeliveryReport d => $"DeliveryReport({d.Acknowledged}/{d.Recipients})",
        _ => evt.GetType().Name,
    };
}

/// <summary>A test-only event: sent to a connection after what a test is checking, it arrives after all of it.</summary>
public sealed record TestBarrier(Guid Id) : ChatEvent;
