using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class DirectListTests : BunitContext
{
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");

    [Fact]
    public void PrivateConversationsWithUnreadMessages_AreListedEvenWhenThePersonIsOffline()
    {
        var view = new ChatView();
        // Bob comes back; Ada, who wrote while he was away, is not online any more.
        view.Apply(new NamespaceWelcome("/", "c.1", Bob, [Bob], [new RoomSummary("general", 1)], ["general"],
            [new UnreadConversation(RoomNames.DirectConversation(Ada.UserId, Bob.UserId), Ada, 3, 0)]), DateTimeOffset.UtcNow);
        Person? opened = null;

        var cut = Render<DirectList>(ps => ps
            .Add(p => p.Conversations, [.. view.DirectConversations])
            .Add(p => p.Current, view.Current)
            .Add(p => p.OnOpen, (Person person) => opened = person));

        Assert.Equal("Direct messages", cut.Find("nav").GetAttribute("aria-label"));
        Assert.Equal("3 unread", cut.Find(".unread").GetAttribute("aria-label"));
        cut.Find("button").Click();
        Assert.Equal(Ada, opened);
    }

    [Fact]
    public void NoPrivateConversations_ShowsNothing()
    {
        var cut = Render<DirectList>(ps => ps.Add(p => p.Conversations, []));

        Assert.Empty(cut.FindAll("nav"));
    }
}
