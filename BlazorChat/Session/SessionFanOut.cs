using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Session;

/// <summary>
/// A tab's events to its subscribers (the page; tests' probes): one packet at a time, in order, each to every
/// subscriber at once, so a slow or broken subscriber neither holds back nor breaks the others' copy. Each connection
/// the tab makes is a numbered link; once a newer link is current, what an older one still delivers is dropped, and
/// subscribers hear <see cref="ChatSession.ConnectionStartedEvent"/> before anything of a new link.
/// </summary>
public sealed class SessionFanOut
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _delivering = new(1, 1);
    private ClientHandler[] _subscribers = [];
    private long _lastLink; // each connection this tab makes gets the next number
    private long _currentLink; // events of links numbered below it are dropped (see DeliverAsync)
    private long _deliveredLink; // the newest link whose events subscribers have started receiving

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Receives every event for this tab, in order, on a background thread. Dispose to stop.</summary>
    public IDisposable Subscribe(ClientHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _subscribers = [.. _subscribers, handler];
        return new Subscription(this, handler);
    }

    /// <summary>The number of a new connection; its events reach subscribers from its first one on (see <see cref="DeliverAsync"/>).</summary>
    public long NewLink() => Interlocked.Increment(ref _lastLink);

    /// <summary>The connection numbered <paramref name="link"/> is the tab's now: whatever older ones still deliver is dropped.</summary>
    public void MakeCurrent(long link)
    {
        var current = Interlocked.Read(ref _currentLink);
        while (link > current)
        {
            var seen = Interlocked.CompareExchange(ref _currentLink, link, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    /// <summary>The tab left its connection: nothing any connection so far still delivers reaches subscribers.</summary>
    public void EndLinks() => MakeCurrent(NewLink());

    /// <summary>Delivers an event of the connection numbered <paramref name="link"/>.</summary>
    /// <remarks>
    /// While switching, the old connection stays live until the new one has been let in and has sent its welcome. From
    /// the new connection's first event on, whatever the old one still delivers belongs to the namespace this tab is
    /// leaving and would be shown as if it came from the new one: it is dropped (and so never acknowledged). One
    /// delivery at a time, so nothing of the old connection can overtake the new welcome either.
    /// </remarks>
    public async Task DeliverAsync(long link, Packet packet, AckReply? ack)
    {
        MakeCurrent(link);
        await _delivering.WaitAsync();
        try
        {
            if (link < Interlocked.Read(ref _currentLink))
                return;
            if (link > _deliveredLink)
            {
                // A new connection's first event: tell subscribers before anything of it reaches them, so they
                // start afresh here (and not at its welcome, which may come after its first messages).
                _deliveredLink = link;
                await ToSubscribersAsync(new Packet(ChatSession.ConnectionStartedEvent), null);
            }
            await ToSubscribersAsync(packet, ack);
        }
        finally
        {
            _delivering.Release();
        }
    }

    /// <summary>Delivers an event of the session's own (never sent by a server), in turn with the connection's.</summary>
    public async Task DeliverLocalAsync(Packet packet)
    {
        await _delivering.WaitAsync();
        try
        {
            await ToSubscribersAsync(packet, null);
        }
        finally
        {
            _delivering.Release();
        }
    }

    private Task ToSubscribersAsync(Packet packet, AckReply? ack)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 1)
            return ToSubscriberAsync(subscribers[0], packet, ack);
        var deliveries = new Task[subscribers.Length];
        for (var i = 0; i < subscribers.Length; i++)
            deliveries[i] = ToSubscriberAsync(subscribers[i], packet, ack);
        return Task.WhenAll(deliveries);
    }

    private static async Task ToSubscriberAsync(ClientHandler subscriber, Packet packet, AckReply? ack)
    {
        try
        {
            await subscriber(packet, ack);
        }
        catch (Exception)
        {
            // One broken or already disposed component must not keep the event from the others.
        }
    }

    private void Unsubscribe(ClientHandler handler)
    {
        lock (_gate)
            _subscribers = [.. _subscribers.Where(s => s != handler)];
    }

    private sealed class Subscription(SessionFanOut owner, ClientHandler handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(handler);
        }
    }
}
