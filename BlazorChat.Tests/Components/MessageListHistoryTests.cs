using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

/// <summary>The transcript's history controls: load older messages above, and jump back to the latest below.</summary>
public sealed class MessageListHistoryTests : ChatUiContext
{
    private static readonly Person Bob = new("user-bob", "Bob");


    [Fact]
    public void HasOlder_ShowsLoadOlderAboveTheMessagesAndClickingItAsksForThem()
    {
        var asked = 0;

        var cut = Render<MessageList>(ps => ps
            .Add(p => p.Lines, [Posted("m51"), Posted("m52")])
            .Add(p => p.HasOlder, true)
            .Add(p => p.OnLoadOlder, () => asked++));

        // Above the messages: the log's first child.
        var first = cut.Find("[role=log]").FirstElementChild!;
        Assert.Equal(("BUTTON", "Load older messages", "button"), (first.TagName, first.TextContent, first.GetAttribute("type")));
        cut.Find("[role=log] > button").Click();
        Assert.Equal(1, asked);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent == "Jump to latest messages");
    }

    [Fact]
    public void NoOlder_ShowsNoLoadOlder()
    {
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, [Posted("m1")]).Add(p => p.HasOlder, false));

        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void Detached_ShowsJumpToLatestBelowTheMessagesAndClickingItAsksForThem()
    {
        var jumped = 0;

        var cut = Render<MessageList>(ps => ps
            .Add(p => p.Lines, [Posted("m1"), Posted("m2")])
            .Add(p => p.Detached, true)
            .Add(p => p.OnJumpToLatest, () => jumped++));

        var button = cut.Find("[role=log]").LastElementChild!;
        Assert.Equal("Jump to latest messages", button.TextContent);
        Assert.Equal("BUTTON", button.TagName);
        button.Click();
        Assert.Equal(1, jumped);
    }

    [Fact]
    public void DetachedWithOlder_ShowsBothButtonsEachCallingItsOwnHandler()
    {
        var asked = 0;
        var jumped = 0;

        var cut = Render<MessageList>(ps => ps
            .Add(p => p.Lines, [Posted("m1")])
            .Add(p => p.HasOlder, true)
            .Add(p => p.Detached, true)
            .Add(p => p.OnLoadOlder, () => asked++)
            .Add(p => p.OnJumpToLatest, () => jumped++));

        cut.FindAll("button").Single(b => b.TextContent == "Jump to latest messages").Click();

        Assert.Equal((0, 1), (asked, jumped));
    }

    private static MessagePosted Posted(string text) =>
        new(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c.bob", Bob, text, DateTimeOffset.UnixEpoch));
}
