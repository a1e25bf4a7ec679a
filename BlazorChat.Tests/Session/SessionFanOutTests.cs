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
        var other = new Recorded<string>();
        using var staying = _fanOut.Subscribe(Recording(other));
        var link = _fanOut.NewLink();

        var first = _fanOut.DeliverAsync(link, new Packet("one"), null);
        var second = _fanOut.DeliverAsync(link, new Packet("two"), null);

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
        var before = new Recorded<string>();
        using var first = _fanOut.Subscribe(Recording(before));
        using var broken = _fanOut.Subscribe((_, _) => throwsSynchronously ? throw failure : Task.FromException(failure));
        var after = new Recorded<string>();
        using var last = _fanOut.Subscribe(Recording(after));
        var link = _fanOut.NewLink();

        await _fanOut.DeliverAsync(link, new Packet("one"), null).WaitAsync(Wait);
        await _fanOut.DeliverAsync(link, new Packet("two"), null).WaitAsync(Wait);

        Assert.Equal([ChatSession.ConnectionStartedEvent, "one", "two"], before.Items);
        Assert.Equal([ChatSession.ConnectionStartedEvent, "one", "two"], after.Items);
    }

    [Fact]
    public async Task OnceANewerConnectionIsCurrent_WhatAnOlderOneStillDelivers_IsDropped()
    {
        var received = new Recorded<string>();
        using var subscription = _fanOut.Subscribe(Recording(received));
        var old = _fanOut.NewLink();
        await _fanOut.DeliverAsync(old, new Packet("old one"), null);

        var current = _fanOut.NewLink();
        await _fanOut.DeliverAsync(current, new Packet("new one"), null);
        await _fanOut.DeliverAsync(old, new Packet("old two"), null);

        Assert.Equal([ChatSession.ConnectionStartedEvent, "old one", ChatSession.ConnectionStartedEvent, "new one"], received.Items);
    }

    [Fact]
    public async Task EndLinks_DropsWhatTheConnectionLeftStillDelivers()
    {
        var received = new Recorded<string>();
        using var subscription = _fanOut.Subscribe(Recording(received));
        var link = _fanOut.NewLink();
        await _fanOut.DeliverAsync(link, new Packet("one"), null);

        _fanOut.EndLinks();
        await _fanOut.DeliverAsync(link, new Packet("after leaving"), null);
        await _fanOut.DeliverLocalAsync(new Packet(ChatSession.AccessChangedEvent));

        Assert.Equal([ChatSession.ConnectionStartedEvent, "one", ChatSession.AccessChangedEvent], received.Items);
    }

    private static ClientHandler Recording(Recorded<string> into) => (packet, _) =>
    {
        into.Add(packet.Event);
        return Task.CompletedTask;
    };
}
