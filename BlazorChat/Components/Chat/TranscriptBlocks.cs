using System.Collections;
using System.Runtime.CompilerServices;
using BlazorChat.Chat;

namespace BlazorChat.Components.Chat;

/// <summary>A run of consecutive transcript lines, rendered as one <see cref="MessageBlock"/>.</summary>
public readonly struct TranscriptBlock(IReadOnlyList<ChatEvent> lines, int start, int count) : IReadOnlyList<ChatEvent>
{
    public int Count => count;

    public ChatEvent this[int index] =>
        (uint)index < (uint)count ? lines[start + index] : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<ChatEvent> GetEnumerator()
    {
        for (var i = 0; i < count; i++)
            yield return lines[start + i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Cuts a transcript into blocks whose boundaries depend on the lines themselves, not on their positions
/// (content-defined chunking, as rsync and backup tools cut files). A line starts a block when its hash says so, so
/// appending a line changes only the last block, trimming the oldest changes only the first, and a late message
/// inserted in the middle changes only the block it lands in. Each block keeps its key across renders, and a block
/// whose lines did not change is not rendered again: a message costs a block's lines, not the whole window's.
/// </summary>
public static class TranscriptBlocks
{
    /// <summary>One line in this many starts a block: blocks hold this many lines on average.</summary>
    public const int AverageSize = 24;

    /// <summary>No block holds more lines than this; a longer run is cut here.</summary>
    public const int MaxSize = 2 * AverageSize;

    /// <summary>The key of a first block that does not start at a boundary (the rest of a block trimmed away).</summary>
    public static readonly object LeadKey = new();

    /// <summary>The blocks of <paramref name="lines"/> in order, each with the key to render it under.</summary>
    public static IEnumerable<(object Key, TranscriptBlock Block)> Cut(IReadOnlyList<ChatEvent> lines)
    {
        var start = 0;
        for (var i = 1; i <= lines.Count; i++)
        {
            if (i < lines.Count && !StartsBlock(lines[i]) && i - start < MaxSize)
                continue;
            yield return (KeyOf(lines, start), new TranscriptBlock(lines, start, i - start));
            start = i;
        }
    }

    /// <summary>Whether a line starts a block: a message by its id, any other line by its identity.</summary>
    public static bool StartsBlock(ChatEvent line) => (uint)HashOf(line) % AverageSize == 0;

    private static object KeyOf(IReadOnlyList<ChatEvent> lines, int start) =>
        start == 0 && !StartsBlock(lines[0]) ? LeadKey : lines[start];

    private static int HashOf(ChatEvent line) => line switch
    {
        MessagePosted { Message: var m } => m.Id.GetHashCode(),
        DirectPosted { Message: var m } => m.Id.GetHashCode(),
        _ => RuntimeHelpers.GetHashCode(line),
    };
}
