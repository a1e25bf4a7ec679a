using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BlazorChat.Chat;

namespace BlazorChat.Components.Chat;

/// <summary>A run of consecutive transcript lines, rendered as one <see cref="MessageBlock"/>.</summary>
public readonly struct TranscriptBlock(IReadOnlyList<ChatEvent> lines, int start, int count) : IReadOnlyList<ChatEvent>
{
    public int Count => count;

    /// <summary>Where the block begins in its transcript.</summary>
    public int Start => start;

    public ChatEvent this[int index] =>
        (uint)index < (uint)count ? lines[start + index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>A struct enumerator: a block's <c>foreach</c> (each time it renders) allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<ChatEvent> IEnumerable<ChatEvent>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public struct Enumerator(TranscriptBlock block) : IEnumerator<ChatEvent>
    {
        private int _index = -1;

        public readonly ChatEvent Current => block[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < block.Count;

        public void Reset() => _index = -1;

        public readonly void Dispose()
        {
        }
    }
}

/// <summary>
/// Cuts a transcript into blocks whose boundaries depend on the lines themselves, not on their positions
/// (content-defined chunking, as rsync and backup tools cut files). A line starts a block when its hash says so, so
/// appending a line changes only the last block, trimming the oldest changes only the first, and a late message
/// inserted in the middle changes only the block it lands in. A block whose lines did not change is not rendered again:
/// a message costs a block's lines, not the whole window's (and <see cref="TranscriptBlockKeys"/> keeps each block's key).
/// </summary>
public static class TranscriptBlocks
{
    /// <summary>One line in this many starts a block: blocks hold this many lines on average.</summary>
    public const int AverageSize = 24;

    /// <summary>No block holds more lines than this; a longer run is cut into pieces of this size.</summary>
    /// <remarks>
    /// A block's render trees grow in powers of two from 32 frames, and an article from someone else is 3 frames: at
    /// most 42 lines keeps a block of others' messages within 128 frames (3 x 42 = 126), where 48 took 256-frame buffers
    /// (two per block) for any block over 42 lines. Own messages (a dozen frames each) and the one block that holds the
    /// "new since you left" line (a few more) can still go over.
    /// </remarks>
    public const int MaxSize = 42;

    /// <summary>The blocks of <paramref name="lines"/> in order.</summary>
    /// <param name="lines">The transcript, oldest first.</param>
    /// <param name="keptStarts">
    /// Lines that started a block last time although their hash does not say so (<see cref="TranscriptBlockKeys"/> keeps
    /// them from one render to the next): they start one again while they are in the transcript.
    /// </param>
    /// <remarks>
    /// A run longer than <see cref="MaxSize"/> between two lines that start blocks is cut into pieces counted from the
    /// line that starts it, so appending never moves a cut. Trimming never moves one either, when the cuts made before are
    /// kept: the line a cut fell on starts a block again after the run's first lines are gone. Counted anew instead (from
    /// the front, or back from the next run as before), a long run's cuts moved when its first line went, and all of its
    /// pieces, some 80 articles, were removed and inserted again in every member's tab.
    /// </remarks>
    public static IEnumerable<TranscriptBlock> Cut(IReadOnlyList<ChatEvent> lines, KeptStarts? keptStarts = null)
    {
        var start = 0;
        while (start < lines.Count)
        {
            var end = start + 1;
            while (end < lines.Count && end - start < MaxSize && !StartsBlock(lines[end]) && keptStarts?.Contains(lines[end]) != true)
                end++;
            yield return new TranscriptBlock(lines, start, end - start);
            start = end;
        }
    }

    /// <summary>Whether a line starts a block: a message by its id, any other line by its identity.</summary>
    public static bool StartsBlock(ChatEvent line) => (uint)HashOf(line) % AverageSize == 0;

    // Salted per process (HashCode's seed is random): a sender picks their message ids, and must not be able to pick ids
    // that each start a block (a block per line costs every member's tab a component per line).
    private static int HashOf(ChatEvent line) => line switch
    {
        MessagePosted { Message: var m } => HashCode.Combine(m.Id),
        DirectPosted { Message: var m } => HashCode.Combine(m.Id),
        _ => RuntimeHelpers.GetHashCode(line),
    };
}

/// <summary>
/// The keys a transcript renders its blocks under, kept from one render to the next: a block keeps its key while its
/// first line stays (lines appended to it) or its last line stays (its oldest lines trimmed away). Keyed by either end
/// alone, one of the two moved the key, and the block was removed and built again in every member's tab.
/// </summary>
public sealed class TranscriptBlockKeys
{
    private Dictionary<ChatEvent, TranscriptBlockSlot> _byFirst = new(ReferenceEqualityComparer.Instance);
    private Dictionary<ChatEvent, TranscriptBlockSlot> _byLast = new(ReferenceEqualityComparer.Instance);
    private Dictionary<ChatEvent, TranscriptBlockSlot> _nextByFirst = new(ReferenceEqualityComparer.Instance);
    private Dictionary<ChatEvent, TranscriptBlockSlot> _nextByLast = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<TranscriptBlockSlot> _taken = new(ReferenceEqualityComparer.Instance);
    private KeptStarts _starts = new();
    private KeptStarts _nextStarts = new();

    /// <summary>
    /// How many slots of blocks that left the window wait, empty, for the next blocks to begin (<see cref="Spares"/>).
    /// The number of blocks in a full window wanders (a block is 1 to <see cref="TranscriptBlocks.MaxSize"/> lines): with
    /// four, 0 to 18 blocks in 1,000 messages still built a component of their own (median 7, over 300 runs; 38 to 68
    /// without spares), with two 7 to 14 in a few runs. A spare keeps the render tree of what it showed before it emptied
    /// (the renderer's previous tree; its frames go back to the shared array pool when it next renders), so not more.
    /// </summary>
    public const int MaxSpares = 4;

    private List<TranscriptBlockSlot> _shown = []; // the slots the last assignment gave lines
    private List<TranscriptBlockSlot> _nextShown = [];
    private readonly List<TranscriptBlockSlot> _spares = [];

    // The lines last assigned (or extended), how many there were, their rewrites count then, and where their last block begins.
    private IReadOnlyList<ChatEvent>? _assigned;
    private int _assignedCount;
    private int _assignedRewrites;
    private int _lastStart;
    private TranscriptBlockSlot? _last;

    /// <summary>
    /// The blocks of <paramref name="lines"/> (<see cref="TranscriptBlocks.Cut"/>, keeping the cuts it made last time), each
    /// with its key: the slot its <see cref="MessageBlock"/> renders from, holding the block.
    /// </summary>
    /// <param name="lines">The transcript's lines.</param>
    /// <param name="rewrites">
    /// How many times lines already in <paramref name="lines"/> have changed (<see cref="Conversation.Rewrites"/>): the mark
    /// <see cref="TryExtendLast"/> checks that nothing before the lines it is given changed since.
    /// </param>
    public IEnumerable<(TranscriptBlockSlot Key, TranscriptBlock Block)> Assign(IReadOnlyList<ChatEvent> lines, int rewrites)
    {
        _taken.Clear();
        _assigned = null;
        _last = null;
        foreach (var block in TranscriptBlocks.Cut(lines, _starts))
        {
            var (first, last) = (block[0], block[^1]);
            if (!TranscriptBlocks.StartsBlock(first))
                _nextStarts.Add(first); // cut by count, or the first line: it starts a block next time too
            // A new block's key is an object of its own, never one of its lines: the diff hashes and compares keys (a
            // dictionary of them whenever blocks come or go), and a line is a record, hashed and compared field by field,
            // its text included. Measured in a soak (200 tabs, full windows): 5 % of the server's CPU went to hashing
            // lines used as keys.
            var key = Free(_byFirst.GetValueOrDefault(first)) ?? Free(_byLast.GetValueOrDefault(last)) ?? TakeSpare() ?? new TranscriptBlockSlot();
            _taken.Add(key);
            _nextShown.Add(key);
            _nextByFirst[first] = key;
            _nextByLast[last] = key;
            key.Lines = block;
            (_last, _lastStart) = (key, block.Start);
            yield return (key, block);
        }
        // The slots of blocks that left (their lines trimmed away, or another conversation shown) are kept, emptied, for the
        // blocks that begin next, up to MaxSpares: the rest go, and their components with them.
        foreach (var slot in _shown)
        {
            if (_spares.Count == MaxSpares)
                break;
            if (!_taken.Contains(slot))
                _spares.Add(slot);
        }
        foreach (var spare in _spares)
            spare.Lines = new TranscriptBlock(lines, lines.Count, 0);
        (_shown, _nextShown) = (_nextShown, _shown);
        _nextShown.Clear();
        (_byFirst, _nextByFirst) = (_nextByFirst, _byFirst);
        (_byLast, _nextByLast) = (_nextByLast, _byLast);
        (_starts, _nextStarts) = (_nextStarts, _starts);
        _nextByFirst.Clear();
        _nextByLast.Clear();
        _nextStarts.Clear();
        (_assigned, _assignedCount, _assignedRewrites) = (lines, lines.Count, rewrites);
    }

    /// <summary>
    /// The slots of blocks that left the window, empty, as of the last <see cref="Assign"/>: the transcript renders them
    /// after its blocks (they show nothing), so that their components stay and the next blocks to begin take them over,
    /// instead of each block that begins building a component and its render trees anew while one that left lets go of
    /// the same. With the window full, blocks leave as fast as they begin, each about 50 seconds after it began in a
    /// busy room: the garbage collector kept every one until a full collection (measured in a soak of 200 tabs, 10
    /// senders at 0.5 msg/s: 12.8 of the 17.2 MB dead in the oldest generation after 200 s were blocks that had left).
    /// </summary>
    public IReadOnlyList<TranscriptBlockSlot> Spares => _spares;

    private TranscriptBlockSlot? TakeSpare()
    {
        if (_spares.Count == 0)
            return null;
        // The first: it is rendered right after the blocks, where the block that begins goes (no move in the browser).
        var spare = _spares[0];
        _spares.RemoveAt(0);
        return spare;
    }

    /// <summary>
    /// Lines were only added at the end of the lines last assigned (the same list, and the same <paramref name="rewrites"/>:
    /// every line before them as it was): when each of them joins the last block (none starts a block of its own), that
    /// block's slot now holds them too, and is returned; nothing else changed, so only that block needs to render. Null
    /// when a new block begins, when a line already assigned changed, or when the lines are not the ones last assigned:
    /// then <see cref="Assign"/> them.
    /// </summary>
    /// <param name="lines">The lines last assigned, with lines added at the end since.</param>
    /// <param name="rewrites">Their rewrites count now (<see cref="Assign"/>).</param>
    public TranscriptBlockSlot? TryExtendLast(IReadOnlyList<ChatEvent> lines, int rewrites)
    {
        if (_last is not { } last || !ReferenceEquals(lines, _assigned) || rewrites != _assignedRewrites || lines.Count <= _assignedCount)
            return null;
        // As Cut would see them: an added line starts a block by its hash, or when the last block is at its size (a new
        // line is never a kept start: those are lines of the last assignment).
        for (var i = _assignedCount; i < lines.Count; i++)
        {
            if (i - _lastStart >= TranscriptBlocks.MaxSize || TranscriptBlocks.StartsBlock(lines[i]))
                return null;
        }
        // Under its new last line, so that a trim that takes its first line still finds its key.
        if (_byLast.TryGetValue(lines[_assignedCount - 1], out var keyed) && ReferenceEquals(keyed, last))
            _byLast.Remove(lines[_assignedCount - 1]);
        _byLast[lines[^1]] = last;
        last.Lines = new TranscriptBlock(lines, _lastStart, lines.Count - _lastStart);
        _assignedCount = lines.Count;
        return last;
    }

    private TranscriptBlockSlot? Free(TranscriptBlockSlot? key) => key is not null && !_taken.Contains(key) ? key : null;
}

/// <summary>
/// A block's key (equal only to itself, hashed by identity) and what its <see cref="MessageBlock"/> renders: the block's
/// lines, and the component showing them, so that lines added to the last block can go to it alone
/// (<see cref="TranscriptBlockKeys.TryExtendLast"/>) without the transcript rendering every block's parameters again.
/// </summary>
public sealed class TranscriptBlockSlot
{
    /// <summary>The block's lines, as last cut.</summary>
    public TranscriptBlock Lines { get; set; }

    /// <summary>The component showing this block, once it has its parameters.</summary>
    internal MessageBlock? Shown { get; set; }
}

/// <summary>
/// The lines that started a block although their hash does not say so (<see cref="TranscriptBlocks.Cut"/>): a window's
/// first line, and the cuts of runs longer than a block. Usually a handful, looked for at every line of the window at every
/// render, so by reference in an array; a set once there are more.
/// </summary>
public sealed class KeptStarts
{
    private const int Scanned = 8;

    private readonly List<ChatEvent> _lines = [];
    private HashSet<ChatEvent>? _set;

    public void Add(ChatEvent line)
    {
        _lines.Add(line);
        if (_set is not null)
            _set.Add(line);
        else if (_lines.Count > Scanned)
            _set = new HashSet<ChatEvent>(_lines, ReferenceEqualityComparer.Instance);
    }

    public bool Contains(ChatEvent line)
    {
        if (_set is not null)
            return _set.Contains(line);
        foreach (var start in CollectionsMarshal.AsSpan(_lines))
        {
            if (ReferenceEquals(start, line))
                return true;
        }
        return false;
    }

    public void Clear()
    {
        _lines.Clear();
        _set?.Clear();
    }
}

/// <summary>
/// The key a transcript line that is not a person's message renders under (a notice, a removed message, a system
/// notice): an object made once per line and shared by every tab, equal only to itself. A line is a record, and the diff
/// hashes and compares keys whenever lines come or go (with a full window, at every message): keyed by the record, each
/// notice was hashed field by field, its names and texts included, in every member's tab.
/// </summary>
public static class LineKeys
{
    private static readonly ConditionalWeakTable<ChatEvent, object> Keys = [];

    public static object Of(ChatEvent line) => Keys.GetValue(line, static _ => new object());
}
