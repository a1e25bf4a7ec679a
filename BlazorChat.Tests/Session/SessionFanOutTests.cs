namespace BlazorChat.Tests.Session;

/// <summary>
/// A tab's events to its subscribers: each packet to all of them at once (a slow or broken one holds back or breaks
/// nobody else's copy), packets in order, and nothing of a connection the tab has moved on from.
/// </summary>
public sealed class SessionFanOutTests
{
    private static readonly TimeSpan Wait = EventRecorder.Timeout;

    private readonly SessionFanOut _fanOut = new();

    [Fact]
    public async Task ASlowSubscriber_DoesNotHoldBackTheOthersCopy_ButTheNextPacketWaitsForIt()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stuck = _fanOut.Subscribe((packet, _) => packet.Event == "one" ? slow.Task : Task.CompletedTask);
        var other = Subscribed();
        var link = _fanOut.NewLink();

        var first = DeliverAsync(link, "one");
        var second = DeliverAsync(link, "two");

        Assert.Equal([ChatSession.ConnectionStartedEvent, "one"], await other.WaitForCountAsync(2));
        Assert.False(first.IsCompleted); // done when everyone is
        Assert.Equal(2, other.Count); // in order: "two" waits until everyone had "one"
        slow.SetResult();
        await Task.WhenAll(first, second).WaitAsync(Wait);
        Assert.Equal([ChatSession.ConnectionStartedEvent, "one", "two"], other.Items);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ABrokenSubscriber_DoesNotKeepTheEventsFromTheOthers(bool throwsSynchronously)
    {
        var failure = new InvalidOperationException("subscriber bug");
        var before = Subscribed();
        using var broken = _fanOut.Subscribe((_, _) => throwsSynchronously ? throw failure : Task.FromException(failure));
        var after = Subscribed();
        var link = _fanOut.NewLink();

        await DeliverAsync(link, "one").WaitAsync(Wait);
        await DeliverAsync(link, "two").WaitAsync(Wait);

        Assert.Equal([ChatSession.ConnectionStartedEvent, "one", "two"], before.Items);
        Assert.Equal([ChatSession.ConnectionStartedEvent, "one", "two"], after.Items);
    }

    [Fact]
    public async Task OnceANewerConnectionIsCurrent_WhatAnOlderOneStillDelivers_IsDropped()
    {
        var received = Subscribed();
        var old = _fanOut.NewLink();
        await DeliverAsync(old, "old one");

        var current = _fanOut.NewLink();
        await DeliverAsync(current, "new one");
        await DeliverAsync(old, "old two");

        Assert.Equal([ChatSession.ConnectionStartedEvent, "old one", ChatSession.ConnectionStartedEvent, "new one"], received.Items);
    }

    [Fact]
    public async Task EndLinks_DropsWhatTheConnectionLeftStillDelivers()
    {
        var received = Subscribed();
        var link = _fanOut.NewLink();
        await DeliverAsync(link, "one");

        _fanOut.EndLinks();
        await DeliverAsync(link, "after leaving");
        await _fanOut.DeliverLocalAsync(new Packet(ChatSession.AccessChangedEvent));

        Assert.Equal([ChatSession.ConnectionStartedEvent, "one", ChatSession.AccessChangedEvent], received.Items);
    }

    // A subscriber that records the events it receives (subscribed for the rest of the test).
    private Recorded<string> Subscribed()
    {
        var received = new Recorded<string>();
        _fanOut.Subscribe(Recording(received));
        return received;
    }

    private Task DeliverAsync(long link, string eventName) => _fanOut.DeliverAsync(link, new Packet(eventName), null);

    private static ClientHandler Recording(Recorded<string> into) => (packet, _) =>
    {
        into.Add(packet.Event);
        return Task.CompletedTask;
    };
}
