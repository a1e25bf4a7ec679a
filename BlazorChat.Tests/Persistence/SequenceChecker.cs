namespace BlazorChat.Tests.Persistence;

/// <summary>
/// Checks one receiver's stream of sequence numbers for a conversation against the gapless 1, 2, 3… promise:
/// call <see cref="Observe"/> for each sequence in the order it arrived, then <see cref="Report"/> with the last
/// sequence the receiver should have seen. Safe to call from a delivery callback on another thread.
/// </summary>
/// <param name="firstExpected">The first sequence the receiver should see (a receiver that joins late starts later).</param>
public sealed class SequenceChecker(long firstExpected = 1)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _seen = [];
    private long _highest = long.MinValue;
    private long _duplicated;
    private long _outOfOrder;
    private long _unexpected;

    public long FirstExpected { get; } = firstExpected;

    /// <summary>Records that <paramref name="sequence"/> arrived, after everything observed before it.</summary>
    public void Observe(long sequence)
    {
        lock (_gate)
        {
            if (!_seen.Add(sequence))
            {
                // A repeat is only a duplicate, even though it is also lower than what came before.
                _duplicated++;
                return;
            }
            if (sequence < FirstExpected)
                _unexpected++;
            if (sequence < _highest)
                _outOfOrder++;
            _highest = Math.Max(_highest, sequence);
        }
    }

    /// <summary>Records each of <paramref name="sequences"/>, in order.</summary>
    public void ObserveAll(IEnumerable<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        foreach (var sequence in sequences)
            Observe(sequence);
    }

    /// <summary>
    /// What went wrong so far, if the receiver should have seen every sequence from <see cref="FirstExpected"/> to
    /// <paramref name="expectedLast"/> once each, in increasing order. Can be taken again after more observations.
    /// </summary>
    public SequenceReport Report(long expectedLast)
    {
        lock (_gate)
        {
            long expectedCount = Math.Max(0, expectedLast - FirstExpected + 1);
            long seenInRange = _seen.Count(s => s >= FirstExpected && s <= expectedLast);
            long beyond = _seen.Count(s => s > expectedLast);
            return new SequenceReport(
                Lost: expectedCount - seenInRange,
                Duplicated: _duplicated,
                OutOfOrder: _outOfOrder,
                Unexpected: _unexpected + beyond);
        }
    }
}

/// <summary>What a <see cref="SequenceChecker"/> found; all zero is a clean stream.</summary>
/// <param name="Lost">Expected sequences that never arrived.</param>
/// <param name="Duplicated">Arrivals of a sequence that had already arrived (each extra copy counts once).</param>
/// <param name="OutOfOrder">First arrivals of a sequence lower than one that arrived before it.</param>
/// <param name="Unexpected">Distinct sequences outside the expected range (before the first, after the last).</param>
public sealed record SequenceReport(long Lost, long Duplicated, long OutOfOrder, long Unexpected)
{
    public static SequenceReport Clean { get; } = new(0, 0, 0, 0);

    public bool IsClean => this == Clean;
}
