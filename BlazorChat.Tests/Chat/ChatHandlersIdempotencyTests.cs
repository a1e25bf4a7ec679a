using BlazorChat.Persistence;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// A message's id is made by the client, so a retry (after a timeout, a reconnect, a double click) is the same
/// message: one row in the store, one sequence, shown once; and nobody can take someone else's id.
/// </summary>
public sealed class ChatHandlersIdempotencyTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    private string GeneralKey => ChatHandlers.StoreKey(_chat.Server.Main, RoomNames.General);

    [Fact]
    public async Task Send_TheSameIdTwice_StoresOneRowAndAcceptsBothWithTheSameSequence()
    {
        var (ada, receivers) = await ConnectAsync();
        await ada.SendMessageAsync(RoomNames.General, "before");
        var id = Guid.NewGuid();

        var first = await ada.SendMessageAsync(RoomNames.General, "retry me", id);
        var second = await ada.SendMessageAsync(RoomNames.General, "retry me", id);
        var after = await ada.SendMessageAsync(RoomNames.General, "after");

        Assert.Equal(2, first.Sequence);
        Assert.Equal(first, second);
        // The retry took no number: the next message follows without a gap.
        Assert.Equal(3, after.Sequence);
        var stored = await _chat.Store.ReadAfterAsync(GeneralKey, 0, 100);
        Assert.Equal(["before", "retry me", "after"], stored.Select(m => m.Text));
        await AssertEachReceiverShowsEachMessageOnceAsync(receivers, after.Id, ["before", "retry me", "after"]);
    }

    [Fact]
    public async Task Send_TheSameIdTenTimesAtOnce_StoresOneRowAndEveryAcceptanceHasTheSameSequence()
    {
        var (ada, receivers) = await ConnectAsync();
        var adaTab2 = await _chat.ConnectAsync("user-ada", "Ada");
        await ada.SendMessageAsync(RoomNames.General, "before");
        var id = Guid.NewGuid();

        // From both of Ada's tabs, as a reconnecting client might.
        var accepted = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => (i % 2 == 0 ? ada : adaTab2).SendMessageAsync(RoomNames.General, "only once", id))));
        var after = await ada.SendMessageAsync(RoomNames.General, "after");

        Assert.All(accepted, a => Assert.Equal((id, 2L), (a.Id, a.Sequence)));
        Assert.Single(accepted.Select(a => a.At).Distinct());
        Assert.Equal(3, after.Sequence);
        var stored = await _chat.Store.ReadAfterAsync(GeneralKey, 0, 100);
        Assert.Equal([(1L, "before"), (2L, "only once"), (3L, "after")], stored.Select(m => (m.Sequence, m.Text)));
        await AssertEachReceiverShowsEachMessageOnceAsync(receivers, after.Id, ["before", "only once", "after"]);
        // Every attempt is told how its delivery went, on the tab that made it.
        foreach (var tab in new[] { ada, adaTab2 })
        {
            await tab.Events.WaitUntilAsync(e => e.OfType<DeliveryReport>().Count(r => r.MessageId == id) == 5, "a report for each of its five attempts");
            Assert.All(tab.Events.OfType<DeliveryReport>(), r => Assert.True(r.Delivered));
        }
    }

    [Fact]
    public async Task Send_AnIdAlreadyUsedBySomeoneElse_IsRefusedAndNothingIsStoredOrDelivered()
    {
        var (ada, receivers) = await ConnectAsync();
        var bob = receivers[0];
        var id = Guid.NewGuid();
        await ada.SendMessageAsync(RoomNames.General, "Ada's own", id);
        foreach (var receiver in receivers)
            await receiver.Events.WaitForEventAsync(e => e is MessagePosted m && m.Message.Id == id, "Ada's message");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => bob.SendMessageAsync(RoomNames.General, "Bob's forgery", id));

        Assert.Contains("already taken", refused.Message, StringComparison.Ordinal);
        var stored = Assert.Single(await _chat.Store.ReadAfterAsync(GeneralKey, 0, 100));
        Assert.Equal(("Ada's own", "user-ada"), (stored.Text, stored.SenderId));
        await TestChat.BarrierAsync([ada, .. receivers]);
        Assert.All(receivers, r => Assert.Single(r.Events.Messages, m => m.Id == id));
        Assert.DoesNotContain(receivers.Concat([ada]).SelectMany(r => r.Events.Messages), m => m.Text == "Bob's forgery");
        Assert.Empty(bob.Events.OfType<DeliveryReport>());
    }

    [Fact]
    public async Task Send_AnIdReusedInAnotherRoomOrAsAPrivateMessage_IsRefusedAndStoresNothing()
    {
        var (ada, receivers) = await ConnectAsync();
        await ada.JoinRoomAsync("design");
        var id = Guid.NewGuid();
        await ada.SendMessageAsync(RoomNames.General, "in general", id);

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync("design", "in design", id));
        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync(receivers[0], "in private", id));

        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(ChatHandlers.StoreKey(_chat.Server.Main, "design")));
        Assert.Equal(0, await _chat.Store.LatestSequenceAsync(
            ChatHandlers.StoreKey(_chat.Server.Main, RoomNames.DirectConversation("user-ada", receivers[0].UserId))));
    }

    [Fact]
    public async Task Direct_RetriedWithTheSameId_StoresOneRowAndShowsOnce()
    {
        var (ada, receivers) = await ConnectAsync();
        var bob = receivers[0];
        var id = Guid.NewGuid();

        var first = await ada.SendDirectAsync(bob, "psst", id);
        var second = await ada.SendDirectAsync(bob, "psst", id);

        Assert.Equal(first, second);
        var key = ChatHandlers.StoreKey(_chat.Server.Main, RoomNames.DirectConversation("user-ada", "user-bob"));
        Assert.Single(await _chat.Store.ReadAfterAsync(key, 0, 100));
        await bob.Events.WaitUntilAsync(e => e.OfType<DirectPosted>().Count(d => d.Message.Id == id) == 2, "both copies");
        var view = ViewOf(bob);
        Assert.Equal(["psst"], ChatLines.Texts(view.Find(RoomNames.DirectConversation("user-ada", "user-bob"))!.Lines));
    }

    private async Task<(TestTab Ada, IReadOnlyList<TestTab> Receivers)> ConnectAsync()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        var bobTab2 = await _chat.ConnectAsync("user-bob", "Bob");
        return (ada, [bob, carol, bobTab2]);
    }

    // However many copies arrived, each receiver's view shows each message once, in sequence order.
    private static async Task AssertEachReceiverShowsEachMessageOnceAsync(IEnumerable<TestTab> receivers, Guid last, IReadOnlyList<string> texts)
    {
        foreach (var receiver in receivers)
        {
            await receiver.Events.WaitForEventAsync(e => e is MessagePosted m && m.Message.Id == last, "the last message");
            var view = ViewOf(receiver);
            Assert.Equal(texts, ChatLines.Texts(view.CurrentConversation.Lines));
            Assert.Equal(Enumerable.Range(1, texts.Count).Select(i => (long)i), ChatLines.Sequences(view.CurrentConversation.Lines));
        }
    }

    private static ChatView ViewOf(TestTab tab)
    {
        var view = new ChatView();
        foreach (var evt in tab.Events.ChatEvents)
            view.Apply(evt, DateTimeOffset.UnixEpoch);
        return view;
    }
}
