namespace BlazorChat.Persistence;

/// <summary>
/// Publishes stored messages in sequence order, per conversation. Appends finish in any order on many
/// threads; this runs each publish action only after those of every lower sequence number, so every
/// recipient is handed messages in the order they were stored. A number whose publisher never shows up
/// (its sender's handler failed after storing) is skipped after <see cref="GapTimeout"/>: clients backfill
/// such a gap from the store.
/// <para>
/// Several nodes append to one conversation (PostgreSQL): the numbers another node took never come here, and waiting
/// for them would hold every message back by the gap timeout. So appends say when they start (<see cref="Appending"/>):
/// a missing number is waited for only while this process still has an append of that conversation under way, since
/// only such an append can still bring it. When none is, every missing number belongs to another node (published
/// there) and is skipped at once. The store numbers under a lock (a number is taken only once every lower one is
/// committed), so by then nothing lower can still be coming from this process.
/// </para>
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
    private readonly Dictionary<string, int> _appending = new(StringComparer.Ordinal); // appends under way, per conversation
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
    /// An append of <paramref name="conversation"/> starts in this process: until it is published
    /// (<see cref="Publish"/>) or fails (<see cref="AppendFailed"/>), a missing number may still be its own.
    /// </summary>
    public void Appending(string conversation)
    {
        lock (_gate)
            _appending[conversation] = _appending.GetValueOrDefault(conversation) + 1;
    }

    /// <summary>The append <see cref="Appending"/> announced stored nothing: it will publish nothing.</summary>
    public void AppendFailed(string conversation)
    {
        Line? line;
        lock (_gate)
        {
            AppendEndedLocked(conversation);
            if (!_lines.TryGetValue(conversation, out line) || !SkipOtherNodesNumbersLocked(conversation, line) || !line.StartDraining())
                return;
        }
        Drain(line);
    }

    // Caller holds _gate. With no append of the conversation under way here, what is missing below a waiting number was
    // another node's: it goes out there, not here. Returns whether anything became ready.
    private bool SkipOtherNodesNumbersLocked(string conversation, Line line)
    {
        var skipped = false;
        while (line.Waiting.Count > 0 && !_appending.ContainsKey(conversation))
        {
            line.Published = line.Waiting.Keys.Min() - 1;
            line.TakeReady();
            skipped = true;
        }
        if (skipped && line.Waiting.Count == 0)
            StopGapTimer(line);
        return skipped;
    }

    /// <summary>
    /// Appends <paramref name="message"/> to <paramref name="store"/> as this publisher's order needs: its starting point
    /// read first (<see cref="Begin"/>), the append announced (<see cref="Appending"/>) and, when it fails, withdrawn
    /// (<see cref="AppendFailed"/>). The caller then hands the stored message's number to <see cref="Publish"/>. Every
    /// writer of a conversation in this process (a person's send, a moderator's notice) goes through here.
    /// </summary>
    public async Task<AppendResult> AppendAsync(IMessageStore store, NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(message);
        var key = message.Conversation;
        // Read before this process appends anything to the conversation (first wins), so a first burst goes out in order.
        if (!Knows(key))
            Begin(key, await store.LatestSequenceAsync(key, cancellationToken));
        Appending(key);
        try
        {
            return await store.AppendAsync(message, cancellationToken);
        }
        catch
        {
            AppendFailed(key);
            throw;
        }
    }

    /// <summary>How many appends of <paramref name="conversation"/> are under way in this process.</summary>
    public int AppendsUnderWay(string conversation)
    {
        lock (_gate)
            return _appending.GetValueOrDefault(conversation);
    }

    // Caller holds _gate.
    private void AppendEndedLocked(string conversation)
    {
        if (!_appending.TryGetValue(conversation, out var count))
            return;
        if (count <= 1)
            _appending.Remove(conversation);
        else
            _appending[conversation] = count - 1;
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
            AppendEndedLocked(conversation);
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
                SkipOtherNodesNumbersLocked(conversation, line);
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
