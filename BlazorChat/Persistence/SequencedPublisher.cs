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

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="publish"/> once every lower sequence of <paramref name="conversation"/> has been
    /// published (or skipped); sequence 1 needs nothing before it. Publishing the same sequence again (a
    /// retry of a stored message) runs at once: it is already in order.
    /// </summary>
    public void Publish(string conversation, long sequence, Action publish)
    {
        List<Action> ready;
        lock (_gate)
        {
            if (!_lines.TryGetValue(conversation, out var line))
                _lines.Add(conversation, line = new Line(sequence - 1));
            if (sequence <= line.Published)
            {
                ready = [publish];
            }
            else
            {
                line.Waiting[sequence] = publish;
                ready = line.TakeReady();
                if (line.Waiting.Count > 0)
                    ScheduleGapSkip(conversation, line);
            }
        }
        // Outside the lock: publishing enqueues into outboxes and must not hold up other conversations.
        foreach (var action in ready)
            action();
    }

    private void ScheduleGapSkip(string conversation, Line line)
    {
        if (line.GapTimer is not null)
            return;
        line.GapTimer = time.CreateTimer(_ =>
        {
            List<Action> ready;
            lock (_gate)
            {
                line.GapTimer?.Dispose();
                line.GapTimer = null;
                if (line.Waiting.Count == 0)
                    return;
                line.Published = line.Waiting.Keys.Min() - 1;
                ready = line.TakeReady();
                if (line.Waiting.Count > 0)
                    ScheduleGapSkip(conversation, line);
            }
            foreach (var action in ready)
                action();
        }, null, GapTimeout, Timeout.InfiniteTimeSpan);
    }

    private sealed class Line(long published)
    {
        public long Published { get; set; } = published;

        public SortedDictionary<long, Action> Waiting { get; } = [];

        public ITimer? GapTimer { get; set; }

        public List<Action> TakeReady()
        {
            var ready = new List<Action>();
            while (Waiting.Remove(Published + 1, out var next))
            {
                ready.Add(next);
                Published++;
            }
            return ready;
        }
    }
}
