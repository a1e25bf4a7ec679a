using BlazorChat.Persistence;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// Hostile message bodies through the handlers, on every path a message takes (room, private, retry): what is refused
/// is neither stored nor sent, and what is accepted is stored and delivered in its normalised form.
/// </summary>
/// <remarks>
/// Lists of texts are compared with <see cref="StringComparer.Ordinal"/>: xunit's default comparison of strings in a
/// collection is culture-sensitive, and that ignores exactly the invisible characters these tests are about.
/// </remarks>
public sealed class ChatHandlersHostileMessageTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Theory]
    [MemberData(nameof(HostileText.BlankNames), MemberType = typeof(HostileText))]
    public async Task Send_NothingVisible_ToARoom_IsRefusedAsEmpty_NothingStoredOrDelivered(string form)
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync(RoomNames.General, HostileText.Blank[form]));

        Assert.True(MessageRulesTests.IsEmptyReason(refused.Message), $"refused with \"{refused.Message}\", not as empty");
        await AssertNothingStoredOrDeliveredAsync(ada, RoomNames.General, ada, bob);
    }

    [Theory]
    [MemberData(nameof(HostileText.BlankNames), MemberType = typeof(HostileText))]
    public async Task Send_NothingVisible_Privately_IsRefusedAsEmpty_NothingStoredOrDelivered(string form)
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync(bob, HostileText.Blank[form]));

        Assert.True(MessageRulesTests.IsEmptyReason(refused.Message), $"refused with \"{refused.Message}\", not as empty");
        await AssertNothingStoredOrDeliveredAsync(ada, RoomNames.DirectConversation("user-ada", "user-bob"), ada, bob);
    }

    [Theory]
    [MemberData(nameof(HostileText.VisibleNames), MemberType = typeof(HostileText))]
    public async Task Send_VisibleTextWithInvisibleCharacters_IsStoredAndDeliveredUnchanged(string form)
    {
        var text = HostileText.VisibleWithInvisibles[form];
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await ada.SendMessageAsync(RoomNames.General, text);

        await bob.Events.WaitForMessageAsync(text);
        Assert.Equal([text], await StoredTextsAsync(ada, RoomNames.General), StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostileText.ReorderingNames), MemberType = typeof(HostileText))]
    public async Task Send_WithDirectionControls_ToARoom_IsStoredAndDeliveredWithoutThem(string form)
    {
        var (sent, stored) = HostileText.ReorderingMessages[form];
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await ada.SendMessageAsync(RoomNames.General, sent);

        var received = (await bob.Events.WaitForMessageAsync(stored)).OfType<MessagePosted>().Single().Message;
        Assert.Equal(stored, received.Text);
        Assert.Equal([stored], await StoredTextsAsync(ada, RoomNames.General), StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostileText.ReorderingNames), MemberType = typeof(HostileText))]
    public async Task Send_WithDirectionControls_Privately_IsStoredAndDeliveredWithoutThem(string form)
    {
        var (sent, stored) = HostileText.ReorderingMessages[form];
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await ada.SendDirectAsync(bob, sent);

        await bob.Events.WaitUntilAsync(e => e.OfType<DirectPosted>().Any(), "the private message");
        Assert.Equal([stored], bob.Events.Directs.Select(m => m.Text), StringComparer.Ordinal);
        Assert.Equal([stored], await StoredTextsAsync(ada, RoomNames.DirectConversation("user-ada", "user-bob")), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Send_WithDirectionControls_RetriedWithTheSameId_IsStoredOnceWithoutThem()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var id = Guid.NewGuid();

        var first = await ada.SendMessageAsync(RoomNames.General, "invoice\u202Efdp.exe", id);
        var retry = await ada.SendMessageAsync(RoomNames.General, "invoice\u202Efdp.exe", id);

        Assert.Equal(first.Sequence, retry.Sequence);
        await bob.Events.WaitUntilAsync(e => e.OfType<MessagePosted>().Count(m => m.Message.Id == id) == 2, "both copies");
        Assert.All(bob.Events.Messages, m => Assert.Equal("invoicefdp.exe", m.Text));
        Assert.Equal(["invoicefdp.exe"], await StoredTextsAsync(ada, RoomNames.General), StringComparer.Ordinal);
    }

    [Fact]
    public async Task History_OfAMessageStoredWithDirectControlsBefore_ShowsItWithoutThem()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        // As an earlier version of the app stored it, before messages were cleaned of direction controls.
        var key = ChatHandlers.StoreKey(ada.Socket.Namespace, RoomNames.General);
        await _chat.Store.AppendAsync(new NewMessage(Guid.NewGuid(), key, "user-old", "Old", "invoice\u202Efdp.exe", DateTimeOffset.UtcNow, []));

        var page = Assert.IsType<HistoryPage>(await ada.SendAsync(ChatEvents.History, new HistoryRequest(RoomNames.General)));

        Assert.Equal(["invoicefdp.exe"], page.Messages.Select(m => m.Text), StringComparer.Ordinal);
    }

    private async Task<IReadOnlyList<string>> StoredTextsAsync(TestTab tab, string conversation) =>
        [.. (await _chat.Store.ReadBeforeAsync(ChatHandlers.StoreKey(tab.Socket.Namespace, conversation), long.MaxValue, 100)).Select(m => m.Text)];

    private async Task AssertNothingStoredOrDeliveredAsync(TestTab sender, string conversation, params TestTab[] tabs)
    {
        await TestChat.BarrierAsync(tabs);
        Assert.All(tabs, tab => Assert.Empty(tab.Events.Messages));
        Assert.All(tabs, tab => Assert.Empty(tab.Events.Directs));
        Assert.All(tabs, tab => Assert.Empty(tab.Events.OfType<DeliveryReport>()));
        Assert.Empty(await StoredTextsAsync(sender, conversation));
    }
}
