using BlazorChat.Persistence;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// What every <see cref="IMessageStore"/> promises. An implementation subclasses this with a factory for a fresh,
/// empty store (see <see cref="SqliteMessageStoreContractTests"/>); each test gets its own store.
/// </summary>
public abstract class MessageStoreContractTests : IAsyncLifetime
{
    protected const string Room = "room:general";
    protected const string OtherRoom = "room:random";
    protected const string Direct = "dm:alice:bob";

    /// <summary>Guards awaits that would hang forever if the store lost a write; never a wait for correctness.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static readonly DateTimeOffset BaseTime = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    private IMessageStore? _store;

    protected IMessageStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IMessageStore> CreateStoreAsync();

    /// <summary>Removes whatever <see cref="CreateStoreAsync"/> made, after the store is disposed.</summary>
    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    /// <summary>Every text the store's table of messages holds, read from outside the store.</summary>
    protected abstract Task<IReadOnlyList<string>> StoredTextsAsync();

    /// <summary>An implementation's own check of its storage after many concurrent writes (SQLite: integrity, WAL).</summary>
    protected virtual Task AssertStorageIntactAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        // Some tests dispose the store themselves: disposing twice must be harmless.
        if (_store is not null)
            await _store.DisposeAsync();
        await CleanUpAsync();
    }

    // ---- Removal (moderation) ----

    [Fact]
    public async Task Remove_KeepsTheMessagesPlace_MarksItRemoved_AndErasesItsTextFromStorage()
    {
        await Store.AppendAsync(Message(Room, "alice", "before"));
        var doomed = (await Store.AppendAsync(Message(Room, "mallory", "a secret slur"))).Message;
        await Store.AppendAsync(Message(Room, "alice", "after"));

        var removed = await Store.RemoveAsync(Room, doomed.Id);

        Assert.Equal(doomed with { Text = "", Removed = true }, removed);
        var history = await Store.ReadBeforeAsync(Room, long.MaxValue, 10);
        Assert.Equal([false, true, false], history.Select(m => m.Removed));
        Assert.Equal(["before", "", "after"], history.Select(m => m.Text));
        Assert.Equal(removed, (await Store.ReadAfterAsync(Room, 1, 1)).Single());
        Assert.Equal(3, await Store.LatestSequenceAsync(Room));
        Assert.DoesNotContain(await StoredTextsAsync(), t => t.Contains("slur", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Remove_AnUnknownIdOrAnotherConversationsMessage_ReturnsNull_AndChangesNothing()
    {
        var kept = (await Store.AppendAsync(Message(Room, "alice", "kept"))).Message;

        Assert.Null(await Store.RemoveAsync(Room, Guid.NewGuid()));
        Assert.Null(await Store.RemoveAsync(OtherRoom, kept.Id));

        Assert.Equal([kept], await Store.ReadBeforeAsync(Room, long.MaxValue, 10));
    }

    [Fact]
    public async Task Remove_Twice_ReturnsTheRemovedMessageAgain_AndARetryOfItsAppend_StaysRemoved()
    {
        var message = Message(Room, "mallory", "spam");
        await Store.AppendAsync(message);

        var first = await Store.RemoveAsync(Room, message.Id);
        Assert.Equal(first, await Store.RemoveAsync(Room, message.Id));

        var retry = await Store.AppendAsync(message);
        Assert.True(retry.Duplicate);
        Assert.Equal(first, retry.Message);
    }

    // ---- Numbering ----

    [Fact]
    public async Task Append_FirstMessageOfAConversation_GetsSequenceOne()
    {
        var result = await Store.AppendAsync(Message(Room, "alice", "hello"));

        Assert.Equal(1, result.Message.Sequence);
        Assert.False(result.Duplicate);
    }

    [Fact]
    public async Task Append_FollowingMessages_AreNumberedOneTwoThree()
    {
        var sequences = new List<long>();
        for (var i = 0; i < 3; i++)
            sequences.Add((await Store.AppendAsync(Message(Room, "alice", $"m{i}"))).Message.Sequence);

        Assert.Equal([1, 2, 3], sequences);
    }

    [Fact]
    public async Task Append_ToDifferentConversations_NumbersEachIndependently()
    {
        var room1 = await Store.AppendAsync(Message(Room, "alice", "a1"));
        var other1 = await Store.AppendAsync(Message(OtherRoom, "alice", "b1"));
        var room2 = await Store.AppendAsync(Message(Room, "bob", "a2"));
        var direct1 = await Store.AppendAsync(Message(Direct, "bob", "d1", "alice", "bob"));
        var other2 = await Store.AppendAsync(Message(OtherRoom, "bob", "b2"));

        Assert.Equal((1L, 2L), (room1.Message.Sequence, room2.Message.Sequence));
        Assert.Equal((1L, 2L), (other1.Message.Sequence, other2.Message.Sequence));
        Assert.Equal(1, direct1.Message.Sequence);
    }

    [Fact]
    public async Task Append_StoredFields_RoundTrip()
    {
        const string text = "Line one 👋🏽 — «ünïcödé»\n<script>alert('x')</script> & <b>bold</b>\r\n\ttabbed 🇫🇷 \"quoted\" ";
        // Ticks below the millisecond are not kept: SentAt round-trips to the millisecond, as the same instant.
        var sentAt = new DateTimeOffset(2025, 6, 1, 23, 59, 59, 999, TimeSpan.FromHours(2)).AddTicks(4_321);
        var message = new NewMessage(Guid.NewGuid(), Room, "user-42", "Zoë <admin>", text, sentAt, []);

        var appended = await Store.AppendAsync(message);
        var read = Assert.Single(await Store.ReadAfterAsync(Room, 0, 10));

        var expectedSentAt = sentAt.AddTicks(-4_321);
        Assert.Equal(new StoredMessage(Room, 1, message.Id, "user-42", "Zoë <admin>", text, expectedSentAt), read);
        Assert.Equal(read, appended.Message);
    }

    // ---- Idempotency ----

    [Fact]
    public async Task Append_SameIdTwice_ReturnsTheOriginalAsDuplicateAndStoresOneMessage()
    {
        var first = Message(Room, "alice", "original");
        await Store.AppendAsync(Message(Room, "bob", "before"));
        var original = await Store.AppendAsync(first);

        var retry = await Store.AppendAsync(first with { Text = "edited on retry", SentAt = first.SentAt.AddMinutes(5) });

        Assert.True(retry.Duplicate);
        Assert.Equal(original.Message, retry.Message);
        Assert.Equal(2, retry.Message.Sequence);
        Assert.Equal("original", retry.Message.Text);
        var stored = await Store.ReadAfterAsync(Room, 0, 10);
        Assert.Equal(["before", "original"], stored.Select(m => m.Text));
    }

    [Fact]
    public async Task Append_AfterADuplicate_ContinuesWithoutAGap()
    {
        var first = Message(Room, "alice", "one");
        await Store.AppendAsync(first);
        await Store.AppendAsync(first);

        var next = await Store.AppendAsync(Message(Room, "alice", "two"));

        Assert.Equal(2, next.Message.Sequence);
        Assert.Equal(2, await Store.LatestSequenceAsync(Room));
    }

    [Fact]
    public async Task Append_SameIdFromAnotherSender_ThrowsConflictAndStoresNothing()
    {
        var alices = Message(Room, "alice", "mine");
        await Store.AppendAsync(alices);

        var conflict = await Assert.ThrowsAsync<MessageIdConflictException>(
            () => Store.AppendAsync(alices with { SenderId = "mallory", SenderName = "mallory", Text = "hijack" }));

        Assert.Equal(alices.Id, conflict.Id);
        var stored = Assert.Single(await Store.ReadAfterAsync(Room, 0, 10));
        Assert.Equal(("alice", "mine"), (stored.SenderId, stored.Text));
    }

    [Fact]
    public async Task Append_SameIdInAnotherConversation_ThrowsConflictAndStoresNothing()
    {
        var message = Message(Room, "alice", "in the room");
        await Store.AppendAsync(message);

        var conflict = await Assert.ThrowsAsync<MessageIdConflictException>(
            () => Store.AppendAsync(message with { Conversation = Direct, Participants = ["alice", "bob"] }));

        Assert.Equal(message.Id, conflict.Id);
        Assert.Equal(0, await Store.LatestSequenceAsync(Direct));
        Assert.Empty(await Store.ReadAfterAsync(Direct, 0, 10));
        // A refused direct message must not make anyone a participant either.
        Assert.Empty(await Store.ConversationsOfAsync("bob"));
        Assert.Single(await Store.ReadAfterAsync(Room, 0, 10));
    }

    // ---- Reading ----

    [Fact]
    public async Task ReadAfter_ReturnsTheMessagesAfterASequenceOldestFirst()
    {
        await AppendManyAsync(Room, 10);

        var page = await Store.ReadAfterAsync(Room, 3, 100);

        Assert.Equal(Range(4, 10), page.Select(m => m.Sequence));
        Assert.Equal(Range(4, 10).Select(s => $"m{s}"), page.Select(m => m.Text));
    }

    [Fact]
    public async Task ReadAfter_WithALimit_ReturnsOnlyTheOldestThatFit()
    {
        await AppendManyAsync(Room, 10);

        Assert.Equal(Range(1, 4), (await Store.ReadAfterAsync(Room, 0, 4)).Select(m => m.Sequence));
        Assert.Equal(Range(6, 8), (await Store.ReadAfterAsync(Room, 5, 3)).Select(m => m.Sequence));
        Assert.Empty(await Store.ReadAfterAsync(Room, 5, 0));
    }

    [Fact]
    public async Task ReadAfter_AtOrPastTheEnd_ReturnsNothing()
    {
        await AppendManyAsync(Room, 3);

        Assert.Empty(await Store.ReadAfterAsync(Room, 3, 10));
        Assert.Empty(await Store.ReadAfterAsync(Room, 99, 10));
    }

    [Fact]
    public async Task ReadBefore_ReturnsTheMessagesJustBeforeASequenceOldestFirst()
    {
        await AppendManyAsync(Room, 10);

        var page = await Store.ReadBeforeAsync(Room, 8, 3);

        Assert.Equal([5L, 6L, 7L], page.Select(m => m.Sequence));
    }

    [Fact]
    public async Task ReadBefore_MaxValue_ReturnsTheLatestPage()
    {
        await AppendManyAsync(Room, 10);

        var page = await Store.ReadBeforeAsync(Room, long.MaxValue, 4);

        Assert.Equal(Range(7, 10), page.Select(m => m.Sequence));
    }

    [Fact]
    public async Task ReadBefore_NearTheStart_ReturnsOnlyWhatExists()
    {
        await AppendManyAsync(Room, 10);

        Assert.Equal([1L, 2L], (await Store.ReadBeforeAsync(Room, 3, 50)).Select(m => m.Sequence));
        Assert.Empty(await Store.ReadBeforeAsync(Room, 1, 50));
    }

    [Fact]
    public async Task ReadBefore_PagingBackFromTheLatest_VisitsEveryMessageOnce()
    {
        await AppendManyAsync(Room, 23);
        var pages = new List<IReadOnlyList<StoredMessage>>();

        var before = long.MaxValue;
        while (await Store.ReadBeforeAsync(Room, before, 5) is { Count: > 0 } page)
        {
            pages.Add(page);
            before = page[0].Sequence;
        }

        Assert.Equal([5, 5, 5, 5, 3], pages.Select(p => p.Count));
        Assert.Equal(Range(1, 23), pages.AsEnumerable().Reverse().SelectMany(p => p).Select(m => m.Sequence));
    }

    [Fact]
    public async Task Read_OnlyReturnsTheAskedConversation()
    {
        await AppendManyAsync(Room, 3);
        await AppendManyAsync(OtherRoom, 2);

        Assert.All(await Store.ReadAfterAsync(OtherRoom, 0, 10), m => Assert.Equal(OtherRoom, m.Conversation));
        Assert.Equal(2, (await Store.ReadBeforeAsync(OtherRoom, long.MaxValue, 10)).Count);
        Assert.Empty(await Store.ReadAfterAsync("room:unknown", 0, 10));
        Assert.Empty(await Store.ReadBeforeAsync("room:unknown", long.MaxValue, 10));
    }

    [Fact]
    public async Task LatestSequence_OfAnEmptyConversation_IsZero()
    {
        await AppendManyAsync(Room, 2);

        Assert.Equal(0, await Store.LatestSequenceAsync("room:empty"));
    }

    [Fact]
    public async Task LatestSequence_AfterAppends_IsTheLastSequence()
    {
        await AppendManyAsync(Room, 7);
        await AppendManyAsync(OtherRoom, 2);

        Assert.Equal(7, await Store.LatestSequenceAsync(Room));
        Assert.Equal(2, await Store.LatestSequenceAsync(OtherRoom));
    }

    // ---- Read cursors and conversation lists ----

    [Fact]
    public async Task MarkRead_ForwardThenBack_KeepsTheFurthestCursor()
    {
        await AppendManyAsync(Room, 6);

        await Store.MarkReadAsync("bob", Room, 2);
        await Store.MarkReadAsync("bob", Room, 5);
        await Store.MarkReadAsync("bob", Room, 3);
        await Store.MarkReadAsync("bob", Room, 0);

        var position = Assert.Single(await Store.ConversationsOfAsync("bob"));
        Assert.Equal(new ConversationPosition(Room, LatestSequence: 6, ReadUpTo: 5), position);
        Assert.Equal(1, position.Unread);
    }

    [Fact]
    public async Task MarkRead_IsPerPerson()
    {
        await AppendManyAsync(Room, 4);

        await Store.MarkReadAsync("alice", Room, 4);
        await Store.MarkReadAsync("bob", Room, 1);

        Assert.Equal(4, Assert.Single(await Store.ConversationsOfAsync("alice")).ReadUpTo);
        Assert.Equal(3, Assert.Single(await Store.ConversationsOfAsync("bob")).Unread);
    }

    [Fact]
    public async Task ConversationsOf_DirectConversation_IsListedForBothParticipantsWithUnreadCounts()
    {
        for (var i = 1; i <= 3; i++)
            await Store.AppendAsync(Message(Direct, "alice", $"hi {i}", "alice", "bob"));
        await Store.MarkReadAsync("alice", Direct, 3);
        await Store.MarkReadAsync("bob", Direct, 1);

        Assert.Equal([new ConversationPosition(Direct, 3, 3)], await Store.ConversationsOfAsync("alice"));
        var bobs = Assert.Single(await Store.ConversationsOfAsync("bob"));
        Assert.Equal(new ConversationPosition(Direct, 3, 1), bobs);
        Assert.Equal(2, bobs.Unread);
    }

    [Fact]
    public async Task ConversationsOf_DirectConversationNeverRead_CountsEveryMessageUnread()
    {
        await Store.AppendAsync(Message(Direct, "alice", "one", "alice", "bob"));
        await Store.AppendAsync(Message(Direct, "alice", "two", "alice", "bob"));

        var bobs = Assert.Single(await Store.ConversationsOfAsync("bob"));

        Assert.Equal(new ConversationPosition(Direct, LatestSequence: 2, ReadUpTo: 0), bobs);
        Assert.Equal(2, bobs.Unread);
    }

    [Fact]
    public async Task ConversationsOf_SomeoneElse_DoesNotSeeTheirDirectConversation()
    {
        await Store.AppendAsync(Message(Direct, "alice", "private", "alice", "bob"));
        await Store.AppendAsync(Message(Room, "carol", "public"));

        Assert.Empty(await Store.ConversationsOfAsync("carol"));
    }

    [Fact]
    public async Task ConversationsOf_Room_AppearsOnlyOnceTheyHaveACursor()
    {
        await Store.AppendAsync(Message(Room, "alice", "one"));
        await Store.AppendAsync(Message(Room, "bob", "two"));
        Assert.Empty(await Store.ConversationsOfAsync("alice"));

        await Store.MarkReadAsync("alice", Room, 1);

        Assert.Equal([new ConversationPosition(Room, 2, 1)], await Store.ConversationsOfAsync("alice"));
        Assert.Empty(await Store.ConversationsOfAsync("bob"));
    }

    [Fact]
    public async Task ConversationsOf_DirectConversationAndRooms_ListsEachOnce()
    {
        await Store.AppendAsync(Message(Direct, "bob", "hey", "alice", "bob"));
        await Store.AppendAsync(Message(Room, "bob", "all"));
        await Store.MarkReadAsync("alice", Direct, 1);
        await Store.MarkReadAsync("alice", Room, 1);
        await Store.MarkReadAsync("alice", OtherRoom, 0);

        var positions = await Store.ConversationsOfAsync("alice");

        Assert.Equal(
            [new ConversationPosition(Direct, 1, 1), new ConversationPosition(Room, 1, 1), new ConversationPosition(OtherRoom, 0, 0)],
            positions.OrderBy(p => p.Conversation, StringComparer.Ordinal));
    }

    // ---- Cancellation and disposal ----

    [Fact]
    public async Task Append_CancelledBeforeItIsQueued_ThrowsAndStoresNothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AppendAsync(Message(Room, "alice", "never"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.MarkReadAsync("alice", Room, 1, cancelled.Token));

        Assert.Equal(0, await Store.LatestSequenceAsync(Room));
        Assert.Empty(await Store.ConversationsOfAsync("alice"));
    }

    [Fact]
    public async Task Append_AfterDispose_ThrowsObjectDisposed()
    {
        await Store.AppendAsync(Message(Room, "alice", "before"));

        await Store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.AppendAsync(Message(Room, "alice", "after")));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.MarkReadAsync("alice", Room, 1));
    }

    [Fact]
    public async Task Dispose_WithAppendsStillQueued_CompletesThemFirst()
    {
        var pending = Enumerable.Range(1, 200).Select(i => Store.AppendAsync(Message(Room, "alice", $"m{i}"))).ToList();

        await Store.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.All(pending, task => Assert.True(task.IsCompletedSuccessfully, task.Exception?.ToString()));
        Assert.Equal(Range(1, 200), pending.Select(t => t.Result.Message.Sequence));
    }

    // ---- Concurrency ----

    [Fact]
    public async Task Append_FromManyConcurrentSenders_NumbersGaplesslyAndInEachSendersOrder()
    {
        const int senders = 50, perSender = 100, otherSenders = 10;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<List<AppendResult>> SendAsync(string conversation, string sender)
        {
            await start.Task;
            var results = new List<AppendResult>(perSender);
            for (var i = 0; i < perSender; i++)
                results.Add(await Store.AppendAsync(Message(conversation, sender, $"{sender} #{i}")));
            return results;
        }

        var roomSenders = Enumerable.Range(0, senders).Select(s => Task.Run(() => SendAsync(Room, $"s{s}"))).ToList();
        var otherRoomSenders = Enumerable.Range(0, otherSenders).Select(s => Task.Run(() => SendAsync(OtherRoom, $"o{s}"))).ToList();
        start.SetResult();
        var room = await Task.WhenAll(roomSenders).WaitAsync(Patience);
        var otherRoom = await Task.WhenAll(otherRoomSenders).WaitAsync(Patience);

        AssertGaplessPerConversation(room, senders * perSender);
        AssertGaplessPerConversation(otherRoom, otherSenders * perSender);
        await AssertStoredAsAppendedAsync(Room, room, senders * perSender);
        await AssertStoredAsAppendedAsync(OtherRoom, otherRoom, otherSenders * perSender);
        await AssertStorageIntactAsync();
    }

    [Fact]
    public async Task Append_SameIdRetriedConcurrently_StoresOneMessageAndEveryoneGetsItsSequence()
    {
        await Store.AppendAsync(Message(Room, "bob", "first"));
        var message = Message(Room, "alice", "retried");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var retries = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await Store.AppendAsync(message);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(retries).WaitAsync(Patience);

        Assert.Single(results, r => !r.Duplicate);
        Assert.All(results, r => Assert.Equal(2, r.Message.Sequence));
        Assert.All(results, r => Assert.Equal(message.Id, r.Message.Id));
        var stored = await Store.ReadAfterAsync(Room, 0, 100);
        Assert.Equal(["first", "retried"], stored.Select(m => m.Text));
    }

    private static void AssertGaplessPerConversation(List<AppendResult>[] perSender, int total)
    {
        var all = perSender.SelectMany(r => r).ToList();
        Assert.DoesNotContain(all, r => r.Duplicate);
        Assert.Equal(Range(1, total), all.Select(r => r.Message.Sequence).Order());
        // Each sender awaited its appends one by one, so its own messages must be numbered in that order.
        foreach (var results in perSender)
        {
            var checker = new SequenceChecker(results[0].Message.Sequence);
            checker.ObserveAll(results.Select(r => r.Message.Sequence));
            Assert.Equal(0, checker.Report(results[^1].Message.Sequence).OutOfOrder);
        }
    }

    private async Task AssertStoredAsAppendedAsync(string conversation, List<AppendResult>[] perSender, int total)
    {
        // A reader catching up page by page sees every sequence once, in order, each the message that got it.
        var checker = new SequenceChecker();
        var stored = new List<StoredMessage>();
        long after = 0;
        while (await Store.ReadAfterAsync(conversation, after, 500) is { Count: > 0 } page)
        {
            checker.ObserveAll(page.Select(m => m.Sequence));
            stored.AddRange(page);
            after = page[^1].Sequence;
        }
        Assert.Equal(SequenceReport.Clean, checker.Report(expectedLast: total));
        Assert.Equal(total, await Store.LatestSequenceAsync(conversation));
        var appended = perSender.SelectMany(r => r).ToDictionary(r => r.Message.Sequence, r => r.Message);
        Assert.All(stored, m => Assert.Equal(appended[m.Sequence], m));
    }

    // ---- Helpers ----

    protected static NewMessage Message(string conversation, string sender, string text, params string[] participants) =>
        new(Guid.NewGuid(), conversation, sender, sender, text, BaseTime, participants);

    protected async Task AppendManyAsync(string conversation, int count)
    {
        for (var i = 1; i <= count; i++)
            await Store.AppendAsync(Message(conversation, "alice", $"m{i}"));
    }

    protected static IEnumerable<long> Range(long first, long last)
    {
        for (var s = first; s <= last; s++)
            yield return s;
    }
}
