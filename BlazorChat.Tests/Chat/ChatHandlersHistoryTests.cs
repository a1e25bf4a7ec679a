using BlazorChat.Persistence;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// <c>history</c>: the latest page, older pages back to the first message, catch-up after a sequence, page sizes
/// clamped; only for members of a room, only for the two people of a private conversation, and per namespace.
/// </summary>
public sealed class ChatHandlersHistoryTests : IAsyncLifetime
{
    private const string Room = "history";
    private const string TenantNamespace = "/tenant-x";

    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task History_Latest_ReturnsTheNewestPageOldestFirstWithOlderBeforeIt()
    {
        var ada = await JoinedAsync("user-ada", "Ada");
        await SeedAsync(ChatServer.MainNamespace, Room, 120);

        var page = await HistoryAsync(ada, new HistoryRequest(Room, Limit: 50));

        Assert.Equal(Room, page.Conversation);
        Assert.Equal(Range(71, 120), page.Messages.Select(m => m.Sequence));
        Assert.Equal("m120", page.Messages[^1].Text);
        Assert.All(page.Messages, m => Assert.Equal(Room, m.Room));
        Assert.All(page.Messages, m => Assert.Equal(new Person("user-seed", "Seed"), m.Sender));
        Assert.True(page.HasOlder);
    }

    [Fact]
    public async Task History_OlderPages_GoBackToTheFirstMessageAndThenHaveNoOlder()
    {
        var ada = await JoinedAsync("user-ada", "Ada");
        await SeedAsync(ChatServer.MainNamespace, Room, 120);

        var pages = new List<HistoryPage> { await HistoryAsync(ada, new HistoryRequest(Room, Limit: 50)) };
        while (pages[^1].HasOlder)
            pages.Add(await HistoryAsync(ada, new HistoryRequest(Room, Before: pages[^1].Messages[0].Sequence, Limit: 50)));

        Assert.Equal([Range(71, 120), Range(21, 70), Range(1, 20)], pages.Select(p => p.Messages.Select(m => m.Sequence).ToList()));
        Assert.Equal([true, true, false], pages.Select(p => p.HasOlder));
    }

    [Fact]
    public async Task History_AnOlderPageEndingExactlyAtTheFirstMessage_HasNoOlder()
    {
        var ada = await JoinedAsync("user-ada", "Ada");
        await SeedAsync(ChatServer.MainNamespace, Room, 100);

        var older = await HistoryAsync(ada, new HistoryRequest(Room, Before: 51, Limit: 50));

        Assert.Equal(Range(1, 50), older.Messages.Select(m => m.Sequence));
        Assert.False(older.HasOlder);
    }

    [Fact]
    public async Task History_After_ReturnsWhatFollowsInOrderUpToTheLimit()
    {
        var ada = await JoinedAsync("user-ada", "Ada");
        await SeedAsync(ChatServer.MainNamespace, Room, 120);

        var catchUp = await HistoryAsync(ada, new HistoryRequest(Room, After: 30, Limit: 40));
        var rest = await HistoryAsync(ada, new HistoryRequest(Room, After: 100, Limit: 40));
        var nothing = await HistoryAsync(ada, new HistoryRequest(Room, After: 120, Limit: 40));

        Assert.Equal(Range(31, 70), catchUp.Messages.Select(m => m.Sequence));
        Assert.Equal(Range(101, 120), rest.Messages.Select(m => m.Sequence));
        Assert.Empty(nothing.Messages);
    }

    [Fact]
    public async Task History_OfAnEmptyRoom_IsEmptyWithNoOlder()
    {
        var ada = await JoinedAsync("user-ada", "Ada");

        var page = await HistoryAsync(ada, new HistoryRequest(Room));

        Assert.Empty(page.Messages);
        Assert.False(page.HasOlder);
    }

    [Theory]
    [InlineData(10_000, ChatHandlers.MaxHistoryPage)]
    [InlineData(ChatHandlers.MaxHistoryPage + 1, ChatHandlers.MaxHistoryPage)]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    public async Task History_Limit_IsClampedToOneToTheMaximumPage(int asked, int expected)
    {
        var ada = await JoinedAsync("user-ada", "Ada");
        await SeedAsync(ChatServer.MainNamespace, Room, ChatHandlers.MaxHistoryPage + 50);

        var latest = await HistoryAsync(ada, new HistoryRequest(Room, Limit: asked));
        var after = await HistoryAsync(ada, new HistoryRequest(Room, After: 0, Limit: asked));

        Assert.Equal(expected, latest.Messages.Count);
        Assert.Equal(ChatHandlers.MaxHistoryPage + 50, latest.Messages[^1].Sequence);
        Assert.Equal(expected, after.Messages.Count);
        Assert.Equal(1, after.Messages[0].Sequence);
    }

    [Fact]
    public async Task History_OfARoomTheTabIsNotIn_IsRefused()
    {
        var bob = await JoinedAsync("user-bob", "Bob");
        await bob.SendMessageAsync(Room, "members only");
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendAsync(ChatEvents.History, new HistoryRequest(Room)));
        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendAsync(ChatEvents.History, new HistoryRequest(Room, After: 0)));

        Assert.Contains("cannot read", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_OfARoomTheTabLeft_IsRefused()
    {
        var ada = await JoinedAsync("user-ada", "Ada");
        await ada.SendMessageAsync(Room, "was here");
        await ada.LeaveRoomAsync(Room);

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendAsync(ChatEvents.History, new HistoryRequest(Room)));
    }

    [Fact]
    public async Task History_OfAPrivateConversation_IsForItsTwoPeopleOnly()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        await ada.SendDirectAsync(bob, "between us");
        var adaBob = RoomNames.DirectConversation("user-ada", "user-bob");

        var forAda = await HistoryAsync(ada, new HistoryRequest(adaBob));
        var forBob = await HistoryAsync(bob, new HistoryRequest(adaBob));
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => carol.SendAsync(ChatEvents.History, new HistoryRequest(adaBob)));
        await Assert.ThrowsAsync<ChatRefusedException>(() => carol.SendAsync(ChatEvents.History, new HistoryRequest(adaBob, After: 0)));

        Assert.Equal(["between us"], forAda.Messages.Select(m => m.Text));
        Assert.Equal(forAda.Messages, forBob.Messages);
        Assert.Contains("cannot read", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dm:user-ada")]
    [InlineData("dm:user-bob:user-ada")] // not the canonical order: not a conversation key at all
    [InlineData("user:user-ada")]
    [InlineData("")]
    [InlineData("../general")]
    public async Task History_OfSomethingThatIsNotAConversationOfTheTab_IsRefused(string conversation)
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendAsync(ChatEvents.History, new HistoryRequest(conversation)));
        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendAsync(ChatEvents.History, new HistoryRequest(ada.Id)));
    }

    [Fact]
    public async Task History_OfTheSameRoomNameInAnotherNamespace_IsAHistoryOfItsOwn()
    {
        var mainAda = await JoinedAsync("user-ada", "Ada");
        var tenantAda = await JoinedAsync("user-ada", "Ada", TenantNamespace);
        await mainAda.SendMessageAsync(Room, "in main 1");
        await mainAda.SendMessageAsync(Room, "in main 2");
        await tenantAda.SendMessageAsync(Room, "in tenant 1");

        var main = await HistoryAsync(mainAda, new HistoryRequest(Room));
        var tenant = await HistoryAsync(tenantAda, new HistoryRequest(Room));

        Assert.Equal([(1L, "in main 1"), (2L, "in main 2")], main.Messages.Select(m => (m.Sequence, m.Text)));
        Assert.Equal([(1L, "in tenant 1")], tenant.Messages.Select(m => (m.Sequence, m.Text)));
    }

    [Fact]
    public async Task History_OfAPrivateConversationFromAnotherNamespace_IsEmpty()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await ada.SendDirectAsync(bob, "in main");
        var tenantBob = await _chat.ConnectAsync("user-bob", "Bob", TenantNamespace);

        var page = await HistoryAsync(tenantBob, new HistoryRequest(RoomNames.DirectConversation("user-ada", "user-bob")));

        Assert.Empty(page.Messages);
    }

    private async Task<TestTab> JoinedAsync(string userId, string name, string @namespace = ChatServer.MainNamespace)
    {
        var tab = await _chat.ConnectAsync(userId, name, @namespace);
        await tab.JoinRoomAsync(Room);
        return tab;
    }

    private static async Task<HistoryPage> HistoryAsync(TestTab tab, HistoryRequest request) =>
        Assert.IsType<HistoryPage>(await tab.SendAsync(ChatEvents.History, request));

    // Straight into the store under the chat's key, as earlier sessions would have left it: m1, m2, … in order
    // (appends are numbered in the order they are queued).
    private async Task SeedAsync(string @namespace, string conversation, int count)
    {
        var key = ChatHandlers.StoreKey(_chat.Server.Of(@namespace), conversation);
        var at = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var appends = Enumerable.Range(1, count)
            .Select(i => _chat.Store.AppendAsync(new NewMessage(Guid.NewGuid(), key, "user-seed", "Seed", $"m{i}", at.AddSeconds(i), [])))
            .ToList();
        var results = await Task.WhenAll(appends);
        Assert.Equal(Range(1, count), results.Select(r => r.Message.Sequence));
    }

    private static List<long> Range(long first, long last) => [.. Enumerable.Range((int)first, (int)(last - first + 1)).Select(i => (long)i)];
}
