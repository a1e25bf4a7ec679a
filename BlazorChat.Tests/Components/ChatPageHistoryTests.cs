using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Pages;
using BlazorChat.Persistence;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using BlazorChat.Components.Layout;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The page and the store: it shows a room's latest messages on arrival, fills a gap before showing newer messages,
/// pages back through history, jumps back to the latest, and tells the server how far the person has read.
/// </summary>
[Collection(WholePageCollection.Name)]
public sealed class ChatPageHistoryTests() : WholePageContext(new TestChat())
{

    private string GeneralKey => ChatHandlers.StoreKey(Chat.Server.Main, RoomNames.General);

    [Fact]
    public async Task Join_ShowsWhatWasSaidBeforeInOrder()
    {
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "said before you came");
        await bob.SendMessageAsync(RoomNames.General, "and again");

        var cut = RenderJoined("Ada");

        cut.WaitForAssertion(() => Assert.Equal(["said before you came", "and again"], Texts(cut)), Wait);
        Assert.Empty(cut.FindAll("button.history-button"));
    }

    [Fact]
    public async Task LiveMessageAfterAGap_IsShownOnlyAfterTheMissingOnesInOrder()
    {
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "one");
        var cut = RenderJoined("Ada");
        cut.WaitForAssertion(() => Assert.Equal(["one"], Texts(cut)), Wait);

        // Two and three are stored, but only three reaches the page live: it must fetch two first.
        await AppendAsync(GeneralKey, "two");
        var three = (await AppendAsync(GeneralKey, "three")).Message;
        await Chat.Server.Main.To(Session.ConnectionId!).EmitAsync(ChatEvents.Message,
            new MessagePosted(new ChatMessage(three.Id, RoomNames.General, string.Empty, new Person("user-bob", "Bob"), three.Text, three.SentAt, three.Sequence)));

        cut.WaitForAssertion(() => Assert.Equal(["one", "two", "three"], Texts(cut)), Wait);
    }

    [Fact]
    public async Task MessagesOnScreen_AreMarkedReadInTheStore()
    {
        var time = this.UseManualTime();
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "before");
        var cut = RenderJoined("Ada");
        await bob.SendMessageAsync(RoomNames.General, "live");
        cut.WaitForAssertion(() => Assert.Equal(["before", "live"], Texts(cut)), Wait);

        // The page marks read a moment (a second) after things settle, then the store is written in the background.
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () =>
            (await Chat.Store.ConversationsOfAsync(UserId)).SingleOrDefault(p => p.Conversation == GeneralKey) is { ReadUpTo: 2 });
    }

    [Fact]
    public async Task BackAfterMissingMoreThanAPage_ShowsEverythingMissed_UnderANewSinceYouLeftLine()
    {
        // Ada had read general up to m20, then 80 more were said while she was away: more than a page (50).
        await SeedAsync(GeneralKey, 100);
        await Chat.Store.MarkReadAsync(UserId, GeneralKey, 20);

        var cut = RenderJoined("Ada");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(Enumerable.Range(21, 80).Select(i => $"m{i}"), Texts(cut));
            var line = cut.Find("[role=log] .new-since");
            Assert.Equal("separator", line.GetAttribute("role"));
            Assert.Equal("80 new since you left", line.TextContent);
            Assert.Equal("m21", line.NextElementSibling!.QuerySelector(".text")!.TextContent); // right above the first one missed
        }, Wait);
        Assert.Single(cut.FindAll("[role=log] .new-since"));
        Assert.Equal("Load older messages", LoadOlderButton(cut).TextContent); // m1..m20, read before, stay behind it
    }

    [Fact]
    public async Task BackWithNothingMissed_ShowsTheLatestPage_WithoutTheLine()
    {
        await SeedAsync(GeneralKey, 100);
        await Chat.Store.MarkReadAsync(UserId, GeneralKey, 100);

        var cut = RenderJoined("Ada");

        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(51, 50).Select(i => $"m{i}"), Texts(cut)), Wait);
        Assert.Empty(cut.FindAll("[role=log] .new-since"));
    }

    [Fact]
    public async Task LoadOlder_ShowsTheNextPageAboveAndDisappearsAtTheStart()
    {
        await SeedAsync(GeneralKey, 120);
        var cut = RenderJoined("Ada");
        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(71, 50).Select(i => $"m{i}"), Texts(cut)), Wait);

        await cut.InvokeAsync(() => LoadOlderButton(cut).ClickAsync(new()));
        cut.WaitForAssertion(() => Assert.Equal(Enumerable.Range(21, 100).Select(i => $"m{i}"), Texts(cut)), Wait);
        await cut.InvokeAsync(() => LoadOlderButton(cut).ClickAsync(new()));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(Enumerable.Range(1, 120).Select(i => $"m{i}"), Texts(cut));
            Assert.Empty(cut.FindAll("button.history-button"));
        }, Wait);
    }

    [Fact]
    public async Task LoadOlder_PastTheWindow_OffersAJumpBackToTheLatest()
    {
        var total = ChatView.MaxLinesPerConversation + 100;
        await SeedAsync(GeneralKey, total);
        var cut = RenderJoined("Ada");
        cut.WaitForAssertion(() => Assert.Equal($"m{total}", Texts(cut)[^1]), Wait);

        // Page back until the window is full and the newest messages make way.
        for (var pages = 1; cut.FindAll("button.history-button").All(b => b.TextContent != "Jump to latest messages"); pages++)
        {
            Assert.True(pages < 20, "never detached");
            var shown = Texts(cut).Count;
            await cut.InvokeAsync(() => LoadOlderButton(cut).ClickAsync(new()));
            cut.WaitForAssertion(() => Assert.True(Texts(cut).Count > shown || Texts(cut)[^1] != $"m{total}"), Wait);
        }
        Assert.Equal(ChatView.MaxLinesPerConversation, Texts(cut).Count);
        Assert.NotEqual($"m{total}", Texts(cut)[^1]);

        await cut.InvokeAsync(() => cut.FindAll("button.history-button").Single(b => b.TextContent == "Jump to latest messages").ClickAsync(new()));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(Enumerable.Range(total - 49, 50).Select(i => $"m{i}"), Texts(cut));
            Assert.DoesNotContain(cut.FindAll("button.history-button"), b => b.TextContent == "Jump to latest messages");
        }, Wait);
    }

    private static AngleSharp.Dom.IElement LoadOlderButton(IRenderedComponent<MainLayout> cut) =>
        cut.FindAll("button.history-button").Single(b => b.TextContent == "Load older messages");

    private static List<string> Texts(IRenderedComponent<MainLayout> cut) => [.. cut.FindAll("[role=log] article .text").Select(e => e.TextContent)];

    private Task<AppendResult> AppendAsync(string key, string text) =>
        Chat.Store.AppendAsync(new NewMessage(Guid.NewGuid(), key, "user-bob", "Bob", text, DateTimeOffset.UtcNow, []));

    // m1, m2, … stored before the page came, numbered in the order they are queued.
    private async Task SeedAsync(string key, int count)
    {
        var results = await Task.WhenAll(Enumerable.Range(1, count)
            .Select(i => Chat.Store.AppendAsync(new NewMessage(Guid.NewGuid(), key, "user-bob", "Bob", $"m{i}", DateTimeOffset.UtcNow, []))));
        Assert.Equal(count, results[^1].Message.Sequence);
    }
}
