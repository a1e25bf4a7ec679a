namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// Records the events one connection receives. The registry delivers on a background pump per connection,
/// so tests wait on a condition (completed by the pump through a TaskCompletionSource), never on a sleep.
/// </summary>
public sealed class EventRecorder
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<ChatEvent> _events = [];
    private readonly List<(Func<IReadOnlyList<ChatEvent>, bool> Done, TaskCompletionSource Signal)> _waiters = [];
    private readonly List<(Func<ChatEvent, bool> Match, TaskCompletionSource Signal)> _eventWaiters = [];

    /// <summary>Pass this as the registry's deliver callback.</summary>
    public Task DeliverAsync(ChatEvent evt)
    {
        Record(evt);
        return Task.CompletedTask;
    }

    public void Record(ChatEvent evt)
    {
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

    public IReadOnlyList<ChatMessage> Messages => [.. Events.OfType<MessagePosted>().Select(m => m.Message)];

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
        PersonJoined j => $"PersonJoined({j.Person.DisplayName})",
        PersonLeft l => $"PersonLeft({l.Person.DisplayName})",
        Welcome w => $"Welcome({w.You.DisplayName})",
        _ => evt.GetType().Name,
    };
}
