using BlazorChat.Components.Chat;
using BlazorChat.Components.Pages;
using Bunit;
using Radzen;

namespace BlazorChat.Tests.Components;

public sealed class MessageListTests : BunitContext
{
    private const string ModulePath = "./Components/Chat/MessageList.razor.js";
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");

    public MessageListTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddRadzenComponents();
    }

    [Fact]
    public void Log_HasRoleLogAndAccessibleNameMessages()
    {
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, [Posted(Bob, "hi")]));

        var log = cut.Find("[role=log]");
        Assert.Equal("Messages", log.GetAttribute("aria-label"));
    }

    [Fact]
    public void MessageText_ThatLooksLikeMarkup_IsRenderedAsTextWithoutCreatingElements()
    {
        const string attack = "<img src=x onerror=alert(1)>";

        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, [Posted(Bob, attack)]));

        var log = cut.Find("[role=log]");
        Assert.Empty(log.QuerySelectorAll("img"));
        Assert.Equal(attack, log.QuerySelector("article .text")!.TextContent);
    }

    [Fact]
    public void Message_ShowsAuthorAndTextAndMarksOwnMessages()
    {
        var cut = Render<MessageList>(ps => ps
            .Add(p => p.Lines, [Posted(Bob, "from bob"), Posted(Ada, "from ada")])
            .Add(p => p.OwnUserId, Ada.UserId));

        var articles = cut.FindAll("[role=log] article");
        Assert.Equal(2, articles.Count);
        Assert.Equal("Bob", articles[0].QuerySelector(".author")!.TextContent);
        Assert.Equal("from bob", articles[0].QuerySelector(".text")!.TextContent);
        Assert.False(articles[0].ClassList.Contains("own"));
        Assert.True(articles[1].ClassList.Contains("own"));
    }

    [Fact]
    public void JoinAndLeaveNotices_AreShownInOrder()
    {
        var at = DateTimeOffset.UnixEpoch;

        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines,
            [new PersonJoined(ChatRegistry.GeneralRoom, Bob, at), new PersonLeft(ChatRegistry.GeneralRoom, Bob, at)]));

        cut.FindAll(".notice").MarkupMatches("""
            <p class="notice">Bob joined the chat</p>
            <p class="notice">Bob left the chat</p>
            """);
    }

    [Fact]
    public void NoLines_ShowsAnEmptyHint()
    {
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, []));

        Assert.Contains("No messages yet", cut.Find("[role=log]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NewLine_AsksTheBrowserToFollowTheNewestMessage()
    {
        var follow = JSInterop.SetupModule(ModulePath).SetupVoid("followNewest", _ => true);
        var lines = new List<ChatEvent> { Posted(Bob, "one") };
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines));

        lines.Add(Posted(Bob, "two"));
        cut.Render(ps => ps.Add(p => p.Lines, lines));

        Assert.Equal(2, follow.Invocations.Count);
    }

    [Fact]
    public void NewLine_WhenTranscriptIsFull_StillFollowsTheNewestMessage()
    {
        var follow = JSInterop.SetupModule(ModulePath).SetupVoid("followNewest", _ => true);
        var lines = Enumerable.Range(0, ChatPage.MaxLines).Select(i => (ChatEvent)Posted(Bob, $"m{i}")).ToList();
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines));

        // What ChatPage.AddLine does at the cap: append the newest, drop the oldest.
        lines.Add(Posted(Bob, "newest"));
        lines.RemoveAt(0);
        cut.Render(ps => ps.Add(p => p.Lines, lines));

        Assert.Equal(2, follow.Invocations.Count);
    }

    private static MessagePosted Posted(Person sender, string text) =>
        new(new ChatMessage(Guid.NewGuid(), ChatRegistry.GeneralRoom, sender.UserId + "-tab", sender, text, DateTimeOffset.UnixEpoch));
}
