using BlazorChat.Components.Chat;

namespace BlazorChat.Tests.Components;

public sealed class TranscriptBlocksTests
{
    private static readonly Person Bob = new("user-bob", "Bob");

    [Fact]
    public void Blocks_HoldEveryLineOnceInOrder_AndNoneIsEmptyOrOverTheMaximum()
    {
        var lines = Lines(1_000);

        var blocks = TranscriptBlocks.Cut(lines).ToList();

        Assert.Equal(lines, blocks.SelectMany(b => b.Block));
        Assert.All(blocks, b => Assert.InRange(b.Block.Count, 1, TranscriptBlocks.MaxSize));
        // Cut by content: about one block per AverageSize lines, not one per line nor one for all.
        Assert.InRange(blocks.Count, 1_000 / (3 * TranscriptBlocks.AverageSize), 3 * 1_000 / TranscriptBlocks.AverageSize);
        Assert.Equal(blocks.Count, blocks.Select(b => b.Key).Distinct().Count());
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
    public void TrimmingTheOldestLine_ChangesOnlyTheFirstBlock()
    {
        var lines = Lines(300, notices: false);
        var before = Snapshot(lines);

        lines.RemoveAt(0);
        var after = Snapshot(lines);

        // The first block lost a line (or, when that line started it, the rest of it became the lead block).
        Assert.InRange(Changed(before, after).Count, 1, 2);
        Assert.All(after.Keys.Skip(1), key => Assert.True(before.ContainsKey(key)));
    }

    [Fact]
    public void ALateMessageInTheMiddle_ChangesOnlyTheBlockItLandsIn()
    {
        var lines = Lines(300, notices: false);
        var before = Snapshot(lines);

        lines.Insert(150, Posted("late"));
        var after = Snapshot(lines);

        // Its own block, or (when it starts a block) the block it split.
        Assert.InRange(Changed(before, after).Count, 1, 2);
    }

    [Fact]
    public void NoLines_NoBlocks() => Assert.Empty(TranscriptBlocks.Cut([]));

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

    // Each block's key and its lines, as references.
    private static Dictionary<object, ChatEvent[]> Snapshot(List<ChatEvent> lines) =>
        TranscriptBlocks.Cut(lines).ToDictionary(b => b.Key, b => b.Block.ToArray());

    private static List<object> Changed(Dictionary<object, ChatEvent[]> before, Dictionary<object, ChatEvent[]> after) =>
    [
        .. after.Where(b => !before.TryGetValue(b.Key, out var was) || !Enumerable.SequenceEqual<object>(was, b.Value, ReferenceEqualityComparer.Instance)).Select(b => b.Key),
    ];
}
