using System.Runtime.CompilerServices;
using BlazorChat.Components.Chat;

namespace BlazorChat.Tests.Components;

public sealed class TranscriptBlocksTests
{
    private static readonly Person Bob = new("user-bob", "Bob");

    [Fact]
    public void Blocks_HoldEveryLineOnceInOrder_AndNoneIsEmptyOrOverTheMaximum()
    {
        var lines = Lines(1_000);

        var blocks = new TranscriptBlockKeys().Assign(lines, 0).ToList();

        Assert.Equal(lines, blocks.SelectMany(b => b.Block));
        Assert.All(blocks, b => Assert.InRange(b.Block.Count, 1, TranscriptBlocks.MaxSize));
        // Cut by content: about one block per AverageSize lines, not one per line nor one for all.
        Assert.InRange(blocks.Count, 1_000 / (3 * TranscriptBlocks.AverageSize), 3 * 1_000 / TranscriptBlocks.AverageSize);
        Assert.Equal(blocks.Count, blocks.Select(b => b.Key).Distinct().Count());
    }

    [Fact]
    public void ExtendingTheLastBlock_GivesTheBlocksAndKeysAFullAssignWould_OrDeclinesWhenALineStartsABlock()
    {
        var lines = Lines(300, notices: false);
        _keys.Assign(lines, 0).ToList();
        int extended = 0, declined = 0;

        for (var i = 0; i < 400; i++)
        {
            lines.Add(Posted($"new {i}"));
            var slot = _keys.TryExtendLast(lines, 0);
            var cut = TranscriptBlocks.Cut(lines).ToList();
            if (slot is null)
            {
                // Only when the new line starts a block of its own (by its hash, or the last block is at its largest).
                Assert.Single(cut[^1]);
                declined++;
                _keys.Assign(lines, 0).ToList();
                continue;
            }
            extended++;
            Assert.Equal(cut[^1].ToArray(), slot.Lines.ToArray());
            // What a full assignment makes of the same lines: the same blocks, the last under the slot just extended.
            var assigned = _keys.Assign(lines, 0).ToList();
            Assert.Equal(cut.Select(b => b.ToArray()), assigned.Select(b => b.Block.ToArray()));
            Assert.Same(slot, assigned[^1].Key);
        }
        Assert.True(extended > 300 && declined > 5, $"{extended} extended, {declined} declined");
    }

    [Fact]
    public void ExtendingTheLastBlock_Declines_ForOtherLinesThanTheOnesAssigned_OrNoNewLine()
    {
        var lines = Lines(50, notices: false);
        _keys.Assign(lines, 0).ToList();

        Assert.Null(_keys.TryExtendLast(lines, 0)); // nothing added
        var copy = new List<ChatEvent>(lines) { Posted("new") };
        Assert.Null(_keys.TryExtendLast(copy, 0)); // another conversation's lines, or the same ones in a new list
    }

    [Fact]
    public void ExtendingTheLastBlock_Declines_WhenALineAlreadyAssignedChanged()
    {
        // A moderator removed a line in the middle and a new one came at the end: the list grew, but not only at its end.
        // Lines are cut by their (random) ids' hashes: a window whose last block is already at its largest leaves the new
        // line a block of its own, where nothing would join; another window is taken then.
        for (var attempt = 1; ; attempt++)
        {
            var keys = new TranscriptBlockKeys();
            var lines = Lines(50, notices: false);
            keys.Assign(lines, rewrites: 3).ToList();
            // Cut where the line it replaces was cut (a line starting a block of its own would move the last block's start).
            var startsBlock = TranscriptBlocks.StartsBlock(lines[20]);
            lines[20] = Enumerable.Range(0, 1_000).Select(i => Posted($"removed by a moderator {i}")).First(l => TranscriptBlocks.StartsBlock(l) == startsBlock);
            lines.Add(Enumerable.Range(0, 1_000).Select(i => Posted($"new {i}")).First(l => !TranscriptBlocks.StartsBlock(l)));
            if (TranscriptBlocks.Cut(lines).Last().Count == 1)
            {
                Assert.True(attempt < 100, "no window of 50 lines left room in its last block");
                continue;
            }

            Assert.Null(keys.TryExtendLast(lines, rewrites: 4));
            Assert.NotNull(keys.TryExtendLast(lines, rewrites: 3)); // with the count it was assigned with, it joins
            return;
        }
    }

    [Fact]
    public void ANewLine_ChangesOnlyTheLastBlock()
    {
        var lines = Lines(300, notices: false);
        var before = Snapshot(lines);

        lines.Add(Posted("new"));
        var after = Snapshot(lines);

        Assert.Single(Changed(before, after));
        Assert.Equal(after.Keys.Last(), Changed(before, after).Single());
    }

    [Fact]
    public void TrimmingTheOldestLine_ChangesOnlyTheFirstBlock_UnderTheKeyItHad()
    {
        var lines = Lines(300, notices: false);
        var before = Snapshot(lines);

        lines.RemoveAt(0);
        var after = Snapshot(lines);

        // Block starts come from the lines' (random) ids: the line trimmed was either one of several in the first block,
        // which keeps its key and loses that line, or the whole first block, which goes.
        var changed = Changed(before, after);
        var gone = before.Keys.Where(key => !after.ContainsKey(key)).ToList();
        if (changed.Count == 0)
            Assert.Equal([before.Keys.First()], gone);
        else
        {
            Assert.Equal([after.Keys.First()], changed);
            Assert.Empty(gone);
        }
        Assert.All(after.Keys, key => Assert.True(before.ContainsKey(key)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)] // a tab that was behind renders several messages at once
    [InlineData(7)]
    public void AFullWindowMovingOn_KeepsEveryLineUnderTheKeyItHad(int perRender)
    {
        // A line under a new key is built again in the browser (its block is a new component). Runs longer than a block's
        // maximum are cut by count, not by hash: counted anew when a long run's first line went, its cuts moved, and all of
        // its pieces (94 to 188 lines over 300 messages, in four runs) were built again.
        var lines = Lines(500, notices: false);
        var keyOf = KeysByLine(lines);
        var moved = 0;
        for (var i = 0; i < 1_200; i += perRender)
        {
            lines.RemoveRange(0, perRender);
            lines.AddRange(Enumerable.Range(i, perRender).Select(n => Posted($"new {n}")));
            var now = KeysByLine(lines);
            moved += now.Count(line => keyOf.TryGetValue(line.Key, out var was) && was != line.Value);
            keyOf = now;
        }

        Assert.Equal(0, moved);
    }

    [Fact]
    public void AWindowCutOnlyByCount_KeepsEveryLineUnderTheKeyItHad()
    {
        // No line's hash starts a block: every cut is by count (a dozen in 500 lines, more than KeptStarts scans by hand,
        // so the set holds them), and every one of them must survive the window moving on.
        var lines = new List<ChatEvent>();
        while (lines.Count < 500)
        {
            var line = Posted($"m{lines.Count}");
            if (!TranscriptBlocks.StartsBlock(line))
                lines.Add(line);
        }
        var keyOf = KeysByLine(lines);
        var moved = 0;
        for (var i = 0; i < 300; i++)
        {
            lines.RemoveAt(0);
            ChatEvent next;
            do
                next = Posted($"new {i}");
            while (TranscriptBlocks.StartsBlock(next));
            lines.Add(next);
            var now = KeysByLine(lines);
            moved += now.Count(line => keyOf.TryGetValue(line.Key, out var was) && was != line.Value);
            keyOf = now;
        }

        Assert.Equal(0, moved);
    }

    [Fact]
    public void ALateMessageInTheMiddle_ChangesOnlyTheBlockItLandsIn()
    {
        var lines = Lines(300, notices: false);
        var before = Snapshot(lines);

        lines.Insert(150, Posted("late"));
        var after = Snapshot(lines);

        // Its own block, or (when it starts a block) the block it split; or, when the block it lands in was full, that block
        // and the one its last line now starts (the cuts after it are kept, so the pieces of a long run do not shift).
        Assert.InRange(Changed(before, after).Count, 1, 2);
    }

    [Fact]
    public void BlockKeys_AreObjectsOfTheirOwn_NeverLines_SoTheDiffHashesThemByIdentity()
    {
        // Blazor's diff puts the keys in a dictionary whenever blocks come or go; a line is a record, hashed field by field.
        var lines = Lines(300);
        var keys = new TranscriptBlockKeys();
        var first = keys.Assign(lines, 0).Select(b => b.Key).ToList();
        lines.RemoveRange(0, 60);
        lines.AddRange(Lines(60));

        var later = keys.Assign(lines, 0).Select(b => b.Key).ToList();

        Assert.All(first.Concat(later), key => Assert.IsNotAssignableFrom<ChatEvent>(key));
        Assert.All(first.Concat(later), key => Assert.Equal(RuntimeHelpers.GetHashCode(key), key.GetHashCode()));
        Assert.NotEmpty(later.Intersect(first)); // and a block that stayed kept its key
    }

    [Fact]
    public void ABlocksLines_AreWalkedWithoutAllocating()
    {
        // MessageBlock walks its lines each time it renders, in every member's tab: its foreach takes a struct enumerator.
        var block = TranscriptBlocks.Cut(Lines(30)).First();
        var walked = 0;
        foreach (var line in block) // warm
            walked += line is null ? 0 : 1;

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var line in block)
            walked += line is null ? 0 : 1;

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2 * block.Count, walked);
        Assert.Equal(block, block.ToList()); // and it is still a list of its lines for everyone else
    }

    [Fact]
    public void NoLines_NoBlocks() => Assert.Empty(TranscriptBlocks.Cut([]));

    [Fact]
    public void MessageIdsPickedToStartABlockEach_DoNot_TheHashIsSaltedPerProcess()
    {
        // Ids whose plain hash starts a block: a sender could pick them, one block (a component in every tab) per line.
        var picked = new List<ChatEvent>();
        while (picked.Count < 200)
        {
            var posted = Posted("picked");
            if ((uint)posted.Message.Id.GetHashCode() % TranscriptBlocks.AverageSize == 0)
                picked.Add(posted);
        }

        Assert.InRange(TranscriptBlocks.Cut(picked).Count(), 1, 200 / 4);
    }

    private readonly Random _ids = new(20261122); // the same cuts every run

    // Messages, and a notice every fifth line unless only messages are wanted (a notice's hash is its identity's,
    // which differs from run to run).
    private List<ChatEvent> Lines(int count, bool notices = true) =>
    [
        .. Enumerable.Range(0, count).Select(i => notices && i % 5 == 0
            ? (ChatEvent)new PersonJoined("/", new Person($"user-{i}", $"P{i}"), DateTimeOffset.UnixEpoch)
            : Posted($"m{i}")),
    ];

    private MessagePosted Posted(string text)
    {
        var id = new byte[16];
        _ids.NextBytes(id);
        return new(new ChatMessage(new Guid(id), RoomNames.General, "c.bob", Bob, text, DateTimeOffset.UnixEpoch));
    }

    // The keys, kept from one snapshot to the next, as a transcript keeps them from one render to the next.
    private readonly TranscriptBlockKeys _keys = new();

    private Dictionary<ChatEvent, object> KeysByLine(List<ChatEvent> lines)
    {
        var keys = new Dictionary<ChatEvent, object>(ReferenceEqualityComparer.Instance);
        foreach (var (key, block) in _keys.Assign(lines, 0))
        {
            foreach (var line in block)
                keys[line] = key;
        }
        return keys;
    }

    // Each block's key and its lines, as references, in order.
    private Dictionary<object, ChatEvent[]> Snapshot(List<ChatEvent> lines) =>
        _keys.Assign(lines, 0).ToDictionary(b => (object)b.Key, b => b.Block.ToArray());

    private static List<object> Changed(Dictionary<object, ChatEvent[]> before, Dictionary<object, ChatEvent[]> after) =>
    [
        .. after.Where(b => !before.TryGetValue(b.Key, out var was) || !Enumerable.SequenceEqual<object>(was, b.Value, ReferenceEqualityComparer.Instance)).Select(b => b.Key),
    ];
}
