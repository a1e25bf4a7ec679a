using BlazorChat.Components.Chat;
using BlazorChat.Tests.Infrastructure;

namespace BlazorChat.Tests.Components;

/// <summary>
/// A full window: every new message pushes the oldest line out. What each message then sends to the browser must stay
/// the few elements that changed, not a block of articles removed and inserted again.
/// </summary>
public sealed class TranscriptWindowTests
{
    private static readonly Person Bob = new("user-bob", "Bob");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithTheWindowFull_EachMessageInsertsItsArticleAndRemovesTheOldest_AndNothingElse(bool notices)
    {
        var lines = new List<ChatEvent>(Enumerable.Range(0, 500).Select(i => Line(i, notices)));
        using var recorder = BatchRecorder.Create();
        var version = 0;
        var list = await recorder.RenderAsync<MessageList>(Parameters(lines, version));
        var edits = new List<int>();

        // Enough messages to move the window past many block boundaries (a block averages 24 lines).
        for (var i = 500; i < 1_000; i++)
        {
            lines.RemoveAt(0);
            lines.Add(Line(i, notices));
            await recorder.SetParametersAsync(list, Parameters(lines, ++version));
            edits.Add(recorder.InsertedAndRemoved);
        }

        // One article in, one line out. A block that empties or starts goes or comes as one component with its line; a
        // long run whose first line went is cut anew now and then (TranscriptBlocks.Cut). Before, a message in a full
        // window removed and inserted again every article of the first block, or of a whole run: 70 to 120 edits.
        Console.Error.WriteLine($"edits: {edits.Sum()} over {edits.Count} messages, at most {edits.Max()}");
        Assert.Equal(2, edits.Order().ElementAt(edits.Count / 2));
        Assert.InRange(edits.Sum(), 2 * edits.Count, 4 * edits.Count);
    }

    [Fact]
    public async Task WithTheWindowFull_AMessageAllocatesForTheBlocksItDoesNotChange_OnlyTheirLinesView()
    {
        // What one message costs the transcript, in a window of 100 lines and in one of 500 (about 4 and 21 blocks): the
        // difference is what each block the message does not change costs it, in every member's tab, at every message.
        var (large, largeBlocks) = await AllocatedPerMessage(500);
        var (small, smallBlocks) = await AllocatedPerMessage(100);
        var perBlock = (large - small) / (double)(largeBlocks - smallBlocks);

        // A block's lines (TranscriptBlock) boxed as its parameter, 32 bytes: measured 40 to 48. Before, each block also
        // boxed the viewer's offset and Retry callback, and allocated a closure to look for the missed-messages line: 125.
        Console.Error.WriteLine($"bytes per block a message does not change: {perBlock:F0}");
        Assert.InRange(perBlock, 0, 80);
    }

    [Fact]
    public async Task ABlockThatRendersAgain_AllocatesNoClosurePerLine()
    {
        // Every message in a full window renders the first block (its oldest line went) and the last (the new line came):
        // what rendering them allocates per line must not be a closure for every article (one for a Retry is made only
        // where a Retry shows). Measured 2,450 to 2,630 bytes a message in a window of 100 lines; 4,044 with a closure per
        // line (and the per-block boxes above).
        var (perMessage, _) = await AllocatedPerMessage(100);
        Console.Error.WriteLine($"bytes per message, 100-line window: {perMessage}");
        Assert.InRange(perMessage, 0, 3_400);
    }

    // Bytes allocated per message once the window is full, the lines made beforehand. Measured inside one call on the
    // renderer's dispatcher, where every render completes synchronously: all of it on this one thread.
    private static async Task<(long Bytes, int Blocks)> AllocatedPerMessage(int window)
    {
        const int Measured = 200;
        var all = Enumerable.Range(0, window + 2 * Measured).Select(i => Line(i, notices: false)).ToArray();
        var lines = new List<ChatEvent>(all.Take(window));
        using var recorder = BatchRecorder.Create();
        var list = await recorder.RenderAsync<MessageList>(Parameters(lines, 0));
        var parameters = Enumerable.Range(0, 2 * Measured).Select(i => Parameters(lines, i + 1)).ToArray();
        return (await recorder.Dispatcher.InvokeAsync(() =>
        {
            for (var i = 0; i < Measured; i++) // warm: every path has run once
                Next(i);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = Measured; i < 2 * Measured; i++)
                Next(i);
            return (GC.GetAllocatedBytesForCurrentThread() - before) / Measured;
        }), TranscriptBlocks.Cut(lines).Count());

        void Next(int i)
        {
            lines.RemoveAt(0);
            lines.Add(all[window + i]);
            Assert.True(recorder.SetParametersAsync(list, parameters[i]).IsCompletedSuccessfully);
        }
    }

    private static Dictionary<string, object?> Parameters(List<ChatEvent> lines, int version) => new()
    {
        [nameof(MessageList.Lines)] = lines,
        [nameof(MessageList.Version)] = (version, 0),
    };

    private static ChatEvent Line(int i, bool notices) => notices && i % 5 == 0
        ? new PersonJoined("/", new Person($"user-{i}", $"P{i}"), DateTimeOffset.UnixEpoch)
        : new MessagePosted(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c.bob", Bob, $"m{i}", DateTimeOffset.UnixEpoch));
}

/// <summary>What others' messages cost each tab that shows them (MessageMarkup).</summary>
public sealed class MessageMarkupTests
{
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Ada = new("user-ada", "Ada");

    [Fact]
    public async Task AnArticleFromSomeoneElse_IsAFewFrames_WhoseMarkupEveryTabShares()
    {
        var lines = new List<ChatEvent>(Enumerable.Range(0, 100).Select(i =>
            (ChatEvent)new MessagePosted(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c.bob", Bob, $"<b>m{i}</b> & \"more\"", DateTimeOffset.UnixEpoch))));
        using var first = BatchRecorder.Create();
        using var second = BatchRecorder.Create();
        var parameters = new Dictionary<string, object?> { [nameof(MessageList.Lines)] = lines, [nameof(MessageList.OwnUserId)] = Ada.UserId };

        await first.RenderAsync<MessageList>(parameters);
        await second.RenderAsync<MessageList>(parameters);

        // An article, its two attributes and its markup (and the list's own frames): built as frames, an article was
        // about 25 (avatar, bubble, header, author, time, text and their attributes and texts).
        Assert.InRange(first.LastFrames, 100 * 4, 100 * 6);
        var message = ((MessagePosted)lines[0]).Message;
        Assert.Same(MessageMarkup.Of(message), MessageMarkup.Of(message));
        Assert.Same(MessageMarkup.Of(message).Body(TimeSpan.Zero).Value, MessageMarkup.Of(message).Body(TimeSpan.Zero).Value);
        Assert.Contains("&lt;b&gt;m0&lt;/b&gt; &amp; &quot;more&quot;", MessageMarkup.Of(message).Body(TimeSpan.Zero).Value, StringComparison.Ordinal);
    }
}
