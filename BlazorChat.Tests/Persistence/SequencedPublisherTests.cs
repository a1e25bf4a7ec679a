using BlazorChat.Persistence;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// The publisher that hands stored messages out in sequence order. Time is a <see cref="ManualTimeProvider"/>: a gap
/// is skipped exactly when the clock passes <see cref="SequencedPublisher.GapTimeout"/>, never by waiting.
/// </summary>
public sealed class SequencedPublisherTests
{
    private const string Room = "/#general";
    private const string OtherRoom = "/#design";
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private readonly ManualTimeProvider _time = new();
    private readonly SequencedPublisher _publisher;
    private readonly List<string> _ran = [];

    // Most tests are about one process's own appends finishing out of order: its appends of both rooms are under way
    // throughout, so a missing number may still come. The tests of several nodes start from a publisher of their own.
    public SequencedPublisherTests()
    {
        _publisher = new SequencedPublisher(_time);
        for (var i = 0; i < 1_000; i++)
        {
            _publisher.Appending(Room);
            _publisher.Appending(OtherRoom);
        }
    }

    [Fact]
    public void AnotherNodesNumbers_AreNotWaitedFor_WhenNoAppendIsUnderWayHere()
    {
        var publisher = Fresh();
        publisher.Begin(Room, 3);
        publisher.Appending(Room);

        Publish(publisher, Room, 5); // 4 was taken by another node, which publishes it

        Assert.Equal(["5"], _ran);
        Assert.Equal(0, publisher.AppendsUnderWay(Room));
    }

    [Fact]
    public void AMissingNumber_IsWaitedFor_WhileAnAppendOfThisProcessIsUnderWay()
    {
        var publisher = Fresh();
        publisher.Begin(Room, 3);
        publisher.Appending(Room);
        publisher.Appending(Room);

        Publish(publisher, Room, 5);
        Assert.Empty(_ran);
        Publish(publisher, Room, 4);

        Assert.Equal(["4", "5"], _ran);
    }

    [Fact]
    public void AnAppendUnderWayThatTakesAHigherNumber_EndsTheWait_ForTheNumbersInBetween()
    {
        var publisher = Fresh();
        publisher.Begin(Room, 3);
        publisher.Appending(Room);
        publisher.Appending(Room);

        Publish(publisher, Room, 6); // 4 and 5 were another node's; this process's other append is still under way
        Assert.Empty(_ran);
        Publish(publisher, Room, 7);

        Assert.Equal(["6", "7"], _ran);
    }

    [Fact]
    public void AFailedAppend_IsNotWaitedFor()
    {
        var publisher = Fresh();
        publisher.Begin(Room, 3);
        publisher.Appending(Room);
        publisher.Appending(Room);
        Publish(publisher, Room, 5);
        Assert.Empty(_ran);

        publisher.AppendFailed(Room); // the other append stored nothing: 4 was another node's

        Assert.Equal(["5"], _ran);
        Assert.Equal(0, publisher.AppendsUnderWay(Room));
        _time.Advance(SequencedPublisher.GapTimeout * 2);
        Assert.Equal(["5"], _ran);
    }

    private SequencedPublisher Fresh() => new(_time);

    private void Publish(SequencedPublisher publisher, string conversation, long sequence) =>
        publisher.Publish(conversation, sequence, () =>
        {
            lock (_ran)
                _ran.Add(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });

    [Fact]
    public void Publish_InOrder_RunsEachAtOnce()
    {
        Publish(Room, 1);
        Assert.Equal(["1"], _ran);
        Publish(Room, 2);
        Publish(Room, 3);

        Assert.Equal(["1", "2", "3"], _ran);
    }

    [Fact]
    public void Publish_OutOfOrder_RunsInSequenceOrderOnceTheMissingOnesArrive()
    {
        Publish(Room, 1);
        Publish(Room, 4);
        Publish(Room, 3);

        Assert.Equal(["1"], _ran);

        Publish(Room, 2);

        Assert.Equal(["1", "2", "3", "4"], _ran);
    }

    [Fact]
    public void Publish_ManyShuffledSequences_RunInOrder()
    {
        Publish(Room, 1);
        var shuffled = Enumerable.Range(2, 199).Select(i => (long)i).ToArray();
        new Random(4).Shuffle(shuffled);

        foreach (var sequence in shuffled)
            Publish(Room, sequence);

        Assert.Equal(Enumerable.Range(1, 200).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), _ran);
    }

    [Fact]
    public void Publish_TheSameSequenceAgainAfterItWent_RunsAtOnce()
    {
        Publish(Room, 1);
        Publish(Room, 2);

        Publish(Room, 2, "2 again");
        Publish(Room, 1, "1 again");

        Assert.Equal(["1", "2", "2 again", "1 again"], _ran);
    }

    [Fact]
    public void Publish_TheSameSequenceTwiceWhileItWaits_RunsBothInItsTurn()
    {
        Publish(Room, 1);
        Publish(Room, 3, "3 from the first tab");
        Publish(Room, 3, "3 retried");

        Publish(Room, 2);

        Assert.Equal(["1", "2", "3 from the first tab", "3 retried"], _ran);
    }

    [Fact]
    public void Publish_FirstSightOfAConversationAfterARestart_RunsAtOnce()
    {
        // A new process has published nothing: earlier numbers went out before it started.
        Publish(Room, 41);
        Publish(Room, 42);

        Assert.Equal(["41", "42"], _ran);
    }

    [Fact]
    public void Begin_ThenTheFirstBurstOutOfOrder_RunsFromTheStartingPointInOrder()
    {
        Assert.False(_publisher.Knows(Room));
        _publisher.Begin(Room, 40);
        Assert.True(_publisher.Knows(Room));

        Publish(Room, 42);
        Publish(Room, 43);
        Assert.Empty(_ran);

        Publish(Room, 41);

        Assert.Equal(["41", "42", "43"], _ran);
    }

    [Fact]
    public void Begin_AfterTheConversationStarted_ChangesNothing()
    {
        _publisher.Begin(Room, 0);
        Publish(Room, 1);

        _publisher.Begin(Room, 10);
        Publish(Room, 3);

        Assert.Equal(["1"], _ran);
        Publish(Room, 2);
        Assert.Equal(["1", "2", "3"], _ran);
    }

    [Fact]
    public void Publish_AMissingSequence_HoldsLaterOnesUntilTheGapTimeout()
    {
        Publish(Room, 1);
        Publish(Room, 3);
        Publish(Room, 4);

        _time.Advance(SequencedPublisher.GapTimeout - Tick);
        Assert.Equal(["1"], _ran);

        _time.Advance(Tick);
        Assert.Equal(["1", "3", "4"], _ran);
    }

    [Fact]
    public void Publish_AfterAGapWasSkipped_LaterOnesRunAtOnceAndTheLateOneToo()
    {
        Publish(Room, 1);
        Publish(Room, 3);
        _time.Advance(SequencedPublisher.GapTimeout);

        Publish(Room, 4);
        Publish(Room, 2, "2 late");

        // The late one is older than what went out: it cannot be put back in order, and clients sort it themselves.
        Assert.Equal(["1", "3", "4", "2 late"], _ran);
        Assert.Equal(0, _time.ActiveTimers);
    }

    [Fact]
    public void Publish_TwoGapsInARow_SkipsEachAfterItsOwnTimeout()
    {
        Publish(Room, 1);
        Publish(Room, 3);
        Publish(Room, 5);

        _time.Advance(SequencedPublisher.GapTimeout);
        Assert.Equal(["1", "3"], _ran);

        _time.Advance(SequencedPublisher.GapTimeout - Tick);
        Assert.Equal(["1", "3"], _ran);
        _time.Advance(Tick);
        Assert.Equal(["1", "3", "5"], _ran);
    }

    [Fact]
    public void Publish_WhenTheMissingOneArrivesInTime_NothingIsSkippedLater()
    {
        Publish(Room, 1);
        Publish(Room, 3);
        Publish(Room, 2);

        _time.Advance(SequencedPublisher.GapTimeout * 3);

        Assert.Equal(["1", "2", "3"], _ran);
    }

    [Fact]
    public void Publish_ANewGapAfterAFilledOne_WaitsTheWholeGapTimeout()
    {
        Publish(Room, 1);
        Publish(Room, 3);
        Publish(Room, 2); // filled in time
        _time.Advance(SequencedPublisher.GapTimeout - TimeSpan.FromMilliseconds(100));

        Publish(Room, 5); // 4 is missing now
        _time.Advance(TimeSpan.FromMilliseconds(100));

        // The first gap's timer must not cut the second gap's wait short.
        Assert.Equal(["1", "2", "3"], _ran);
        _time.Advance(SequencedPublisher.GapTimeout);
        Assert.Equal(["1", "2", "3", "5"], _ran);
    }

    [Fact]
    public void Publish_ConversationsAreIndependent()
    {
        Publish(Room, 1);
        Publish(Room, 3);

        Publish(OtherRoom, 1, "other 1");
        Publish(OtherRoom, 2, "other 2");

        Assert.Equal(["1", "other 1", "other 2"], _ran);

        Publish(OtherRoom, 4, "other 4");
        Publish(Room, 2);

        Assert.Equal(["1", "other 1", "other 2", "2", "3"], _ran);

        _time.Advance(SequencedPublisher.GapTimeout);
        Assert.Equal(["1", "other 1", "other 2", "2", "3", "other 4"], _ran);
    }

    [Fact]
    public void Publish_AGapInOneConversation_DoesNotHoldAnother()
    {
        Publish(Room, 1);
        Publish(Room, 3);
        Publish(OtherRoom, 7, "other 7");
        Publish(OtherRoom, 8, "other 8");

        Assert.Equal(["1", "other 7", "other 8"], _ran);
    }

    [Fact]
    public async Task Publish_TheNextSequenceWhileTheOneBeforeIsStillRunning_RunsAfterIt()
    {
        Publish(Room, 1);
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // Sequence 2's publisher is slow (a thread preempted between its turn and its enqueue, say).
        var slow = Task.Factory.StartNew(() => _publisher.Publish(Room, 2, () =>
        {
            running.Set();
            release.Wait(EventRecorder.Timeout);
            lock (_ran)
                _ran.Add("2");
        }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(running.Wait(EventRecorder.Timeout));

        Publish(Room, 3);
        release.Set();
        await slow;

        // Actions run outside the lock, but never overtake one another.
        Assert.Equal(["1", "2", "3"], _ran);
    }

    [Fact]
    public async Task Publish_FromManyThreads_RunsEverySequenceOnceInOrder()
    {
        const int count = 2000;
        var seen = new SequenceChecker();
        var publisher = new SequencedPublisher(_time);
        for (var i = 0; i < count; i++)
            publisher.Appending(Room); // every append under way before any finishes
        publisher.Publish(Room, 1, () => seen.Observe(1));
        using var start = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
        {
            start.Wait();
            for (long sequence = 2 + t; sequence <= count; sequence += 4)
            {
                var s = sequence;
                publisher.Publish(Room, s, () => seen.Observe(s));
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        start.Set();
        await Task.WhenAll(threads);

        // Observe runs inside each action, so an action running out of turn is counted as out of order.
        Assert.Equal(SequenceReport.Clean, seen.Report(count));
    }

    [Fact]
    public void AConversationIdleLongEnough_IsForgotten_AndStartsAgainFromTheStoreOnItsNextMessage()
    {
        Publish(Room, 1);
        Publish(OtherRoom, 1);
        Assert.Equal(2, _publisher.ConversationCount);

        _time.Advance(SequencedPublisher.ForgetIdleAfter - Tick);
        Publish(OtherRoom, 2);
        Assert.True(_publisher.Knows(Room)); // not idle long enough yet

        _time.Advance(SequencedPublisher.IdleCheckEvery); // the next look for idle conversations
        Publish(OtherRoom, 3);
        Assert.False(_publisher.Knows(Room));
        Assert.True(_publisher.Knows(OtherRoom)); // it published within the last ten minutes
        Assert.Equal(1, _publisher.ConversationCount);

        // Begun again from the store's position, it keeps its order from there.
        _publisher.Begin(Room, publishedUpTo: 1);
        Publish(Room, 3);
        Publish(Room, 2);
        Assert.Equal(["1", "other 1", "other 2", "other 3", "2", "3"], _ran);
    }

    private void Publish(string conversation, long sequence, string? label = null)
    {
        var name = label ?? (conversation == Room ? "" : "other ") + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _publisher.Publish(conversation, sequence, () =>
        {
            lock (_ran)
                _ran.Add(name);
        });
    }
}
