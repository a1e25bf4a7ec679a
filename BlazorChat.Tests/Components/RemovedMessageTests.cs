using BlazorChat.Components.Chat;
using BlazorChat.Moderation;
using Bunit;

namespace BlazorChat.Tests.Components;

/// <summary>
/// A message a moderator removed, as a tab shows it: the view applies <see cref="MessageRemoved"/> as a new line, and the
/// transcript (which caches each message's markup) shows "message removed" in its place, with its text gone from the page.
/// </summary>
public sealed class RemovedMessageTests : ChatUiContext
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");

    private static MessagePosted Posted(Person sender, string text, long sequence) =>
        new(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c." + sender.UserId, sender, text, DateTimeOffset.UnixEpoch, sequence));

    private IRenderedComponent<MessageList> RenderTranscript(ChatView view) =>
        Render<MessageList>(ps => ps.Add(p => p.Lines, view.CurrentConversation.Lines).Add(p => p.OwnUserId, Ada.UserId)
            .Add(p => p.Version, (view.CurrentConversation.Version, view.CurrentConversation.Rewrites, 0)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ARemovedMessage_ShowsMessageRemoved_AndItsTextIsGoneFromThePage(bool ownMessage)
    {
        var view = new ChatView();
        var doomed = Posted(ownMessage ? Ada : Bob, "<b>a secret slur</b>", 1);
        var kept = Posted(Bob, "kind words", 2);
        view.Apply(doomed, DateTimeOffset.UnixEpoch);
        view.Apply(kept, DateTimeOffset.UnixEpoch);
        var cut = RenderTranscript(view);
        Assert.Contains("a secret slur", cut.Markup, StringComparison.Ordinal);

        var change = view.Apply(new MessageRemoved(RoomNames.General, doomed.Message.Id, 1), DateTimeOffset.UnixEpoch);
        cut.Render(ps => ps.Add(p => p.Lines, view.CurrentConversation.Lines).Add(p => p.Version, (view.CurrentConversation.Version, view.CurrentConversation.Rewrites, 0)));

        Assert.Equal(ViewChange.Transcript, change);
        var articles = cut.FindAll("article");
        Assert.Equal(2, articles.Count);
        Assert.Equal("message removed", articles[0].GetAttribute("aria-label"));
        Assert.Equal("message removed", articles[0].TextContent.Trim());
        Assert.Contains("kind words", articles[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("slur", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("b"));
        // The message the tab held is not changed: the removal is a new line.
        Assert.Equal("<b>a secret slur</b>", doomed.Message.Text);
    }

    [Fact]
    public void ARemovalOfAMessageThisTabDoesNotHold_ChangesNothing()
    {
        var view = new ChatView();
        view.Apply(Posted(Bob, "kind words", 1), DateTimeOffset.UnixEpoch);
        var version = view.CurrentConversation.Version;

        Assert.Equal(ViewChange.None, view.Apply(new MessageRemoved(RoomNames.General, Guid.NewGuid(), 7), DateTimeOffset.UnixEpoch));
        Assert.Equal(ViewChange.None, view.Apply(new MessageRemoved("elsewhere", Guid.NewGuid(), 1), DateTimeOffset.UnixEpoch));
        Assert.Equal(version, view.CurrentConversation.Version);
    }
}
