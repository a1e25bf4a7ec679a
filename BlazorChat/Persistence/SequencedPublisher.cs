namespace BlazorChat.Persistence;

/// <summary>
/// Publishes stored messages in sequence order, per conversation. Appends finish in any order on many
/// threads; this runs each publish action only after those of every lower sequence number, so every
/// recipient is handed messages in the order they were stored. A number whose publisher never shows up
/// (its sender's handler failed after storing) is skipped after <see cref="GapTimeout"/>: clients backfill
/// such a gap from the store.
/// </summary>
public sealed class SequencedPublisher(TimeProvider time)
{
    /// <summary>How long a later message waits for a missing earlier one before going out without it.</summary>
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A conversation with nothing published for this long, and nothing waiting, is forgotten (at most one look a
    /// minute), so a server that runs for months does not keep every conversation it ever carried. Its next message
    /// starts it again from the store's latest sequence (<see cref="Knows"/> is false again).
    /// </summary>
    public static readonly TimeSpan ForgetIdleAfter = TimeSpan.FromMinutes(10);

    /// <summary>How often, at most, idle conversations are looked for (on a publish).</summary>
    public static readonly TimeSpan IdleCheckEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSweep = time.GetUtcNow();

    /// <summary>How many conversations this publisher holds a position for now.</summary>
    public int ConversationCount
    {
        get
        {
            lock (_gate)
                return _lines.Count;
        }
    }

    /// <summary>Whether this publisher has a starting point for <paramref name="conversation"/> (see <see cref="Begin"/>).</summary>
    public bool Knows(string conversation)
    {
        lock (_gate)
            return _lines.ContainsKey(conversation);
    }

    /// <summary>
    /// Where a conversation stands before this process publishes anything in it: call with the store's latest sequence,
    /// read before appending, while <see cref="Knows"/> is false. The first call wins. Without it the first number
    /// published is taken as the start, and in a first burst a later number can get there before an earlier one.
    /// </summary>
    public void Begin(string conversation, long publishedUpTo)
    {
        lock (_gate)
            _lines.TryAdd(conversation, new Line(publishedUpTo) { LastActivity = time.GetUtcNow() });
    }

    /// <summary>
    /// Runs <paramref name="publish"/> once every lower sequence of <paramref name="conversation"/> has been
    /// published (or skipped); sequence 1 needs nothing before it. Publishing the same sequence again (a
    /// retry of a stored message) runs at once: it is already in order.
    /// </summary>
    public void Publish(string conversation, long sequence, Action publish)
    {
        Line line;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            ForgetIdleLines(now);
            if (!_lines.TryGetValue(conversation, out line!))
                _lines.Add(conversation, line = new Line(sequence - 1));
            line.LastActivity = now;
            if (sequence <= line.Published)
            {
                line.Ready.Enqueue(publish);
            }
            else
            {
                // Two publishers of one number (a retry racing its original): both run, in turn.
                line.Waiting[sequence] = line.Waiting.TryGetValue(sequence, out var earlier) ? earlier + publish : publish;
                line.TakeReady();
                if (line.Waiting.Count > 0)
                    ScheduleGapSkip(conversation, line);
                else
                    StopGapTimer(line);
            }
            if (!line.StartDraining())
                return;
        }
        Drain(line);
    }

    // Outside the lock, publishing enqueues into outboxes and must not hold up other conversations; one thread at a
    // time per conversation runs the ready actions, so a later number never overtakes an earlier one still running.
    private void Drain(Line line)
    {
        var drained = false;
        try
        {
            while (true)
            {
                Action next;
                lock (_gate)
                {
                    if (!line.Ready.TryDequeue(out next!))
                    {
                        line.Draining = false;
                        drained = true;
                        return;
                    }
                }
                next();
            }
        }
        finally
        {
            // An action that threw: what is left runs with the next publish of this conversation.
            if (!drained)
            {
                lock (_gate)
                    line.Draining = false;
            }
        }
    }

    // Caller holds _gate.
    private void ForgetIdleLines(DateTimeOffset now)
    {
        if (now - _lastSweep < IdleCheckEvery)
            return;
        _lastSweep = now;
        foreach (var (conversation, line) in _lines)
        {
            if (line.IsIdle && now - line.LastActivity >= ForgetIdleAfter)
                _lines.Remove(conversation);
        }
    }

    private void ScheduleGapSkip(string conversation, Line line)
    {
        if (line.GapTimer is not null)
            return;
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            lock (_gate)
            {
                // A timer stopped after it started firing must not cut a newer gap's wait short.
                if (!ReferenceEquals(line.GapTimer, timer))
                    return;
                StopGapTimer(line);
                if (line.Waiting.Count == 0)
                    return;
                line.Published = line.Waiting.Keys.Min() - 1;
                line.TakeReady();
                if (line.Waiting.Count > 0)
                    ScheduleGapSkip(conversation, line);
                if (!line.StartDraining())
                    return;
            }
            Drain(line);
        }, null, GapTimeout, Timeout.InfiniteTimeSpan);
        line.GapTimer = timer;
    }

    // The gap was filled: a later gap gets a whole GapTimeout of its own.
    private static void StopGapTimer(Line line)
    {
        line.GapTimer?.Dispose();
        line.GapTimer = null;
    }

    private sealed class Line(long published)
    {
        public long Published { get; set; } = published;

        public SortedDictionary<long, Action> Waiting { get; } = [];

        /// <summary>Actions whose turn has come, in order, not yet run.</summary>
        public Queue<Action> Ready { get; } = new();

        /// <summary>Whether a thread is running <see cref="Ready"/>.</summary>
        public bool Draining { get; set; }

        public ITimer? GapTimer { get; set; }

        public DateTimeOffset LastActivity { get; set; }

        /// <summary>Nothing waiting, nothing ready, nobody running it: forgetting it loses nothing.</summary>
        public bool IsIdle => Waiting.Count == 0 && Ready.Count == 0 && !Draining && GapTimer is null;

        public void TakeReady()
        {
            while (Waiting.Remove(Published + 1, out var next))
            {
                Ready.Enqueue(next);
                Published++;
            }
        }

        /// <summary>True when the caller is now the one to run <see cref="Ready"/>.</summary>
        public bool StartDraining()
        {
            if (Draining || Ready.Count == 0)
                return false;
            Draining = true;
            return true;
        }
    }
}
