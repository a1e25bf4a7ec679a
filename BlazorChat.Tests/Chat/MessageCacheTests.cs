using BlazorChat.Persistence;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// History hands every tab the same message objects: one tab's page and another's share them (and what is kept per
/// object, their markup), unless the stored message changed since.
/// </summary>
public sealed class MessageCacheTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 30, 0, TimeSpan.Zero);
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _chat.DisposeAsync();

    private static StoredMessage Stored(Guid id, string text = "hello", string name = "Ada", bool removed = false) =>
        new("/#general", 7, id, "user-ada", name, text, At, Removed: removed);

    [Fact]
    public void TheSameStoredMessage_IsTheSameObject_WithTheSharedSender()
    {
        var people = new PersonCache();
        var cache = new MessageCache(people);
        var id = Guid.NewGuid();

        var first = cache.Of(Stored(id), "general");

        Assert.Same(first, cache.Of(Stored(id), "general"));
        Assert.Same(people.Of("user-ada", "Ada"), first.Sender);
        Assert.Equal(new ChatMessage(id, "general", string.Empty, new Person("user-ada", "Ada"), "hello", At, 7), first);
    }

    [Fact]
    public void AStoredMessageThatChanged_IsMadeAnew()
    {
        var cache = new MessageCache(new PersonCache());
        var id = Guid.NewGuid();
        var first = cache.Of(Stored(id), "general");

        var removed = cache.Of(Stored(id, text: string.Empty, removed: true), "general");

        Assert.NotSame(first, removed);
        Assert.True(removed.Removed);
        Assert.Same(removed, cache.Of(Stored(id, text: string.Empty, removed: true), "general"));
        Assert.NotSame(removed, cache.Of(Stored(id, text: string.Empty, name: "Ada L.", removed: true), "general"));
    }

    [Fact]
    public void DirectionControlsStoredBeforeTheyWereRefused_AreRemoved()
    {
        var cache = new MessageCache(new PersonCache());

        var message = cache.Of(Stored(Guid.NewGuid(), text: "abc\u202Edef"), "general");

        Assert.Equal("abcdef", message.Text);
    }

    [Fact]
    public async Task TwoTabsAskingForTheSamePage_GetTheSameMessageObjects()
    {
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        var alice = await _chat.ConnectAsync("user-alice", "Alice");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        foreach (var text in new[] { "one", "two", "three" })
            await carol.SendMessageAsync(RoomNames.General, text);

        var alicesPage = await PageAsync(alice);
        var bobsPage = await PageAsync(bob);

        Assert.Equal(["one", "two", "three"], alicesPage.Select(m => m.Text));
        Assert.Equal(alicesPage.Count, bobsPage.Count);
        for (var i = 0; i < alicesPage.Count; i++)
            Assert.Same(alicesPage[i], bobsPage[i]);
    }

    private static async Task<IReadOnlyList<ChatMessage>> PageAsync(TestTab reader) =>
        Assert.IsType<HistoryPage>(await reader.SendAsync(ChatEvents.History, new HistoryRequest(RoomNames.General))).Messages;
}
