using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>Three people walking socket.io's model from the UI: rooms, private messages, typing, acks, namespaces.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class RealtimeModelTests(ChatServerFixture server)
{
    [Fact]
    public async Task AMessageInRoomA_IsNotSeenInRoomB_AndShowsAsUnreadForMembersLookingElsewhere()
    {
        var room = Names.Unique("design");
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await using var carol = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Carol"));

        await alice.CreateRoomAsync(room);
        await alice.OpenRoomAsync(room);
        await bob.JoinRoomAsync(room);
        // Carol sees the room and its two members, but is not in it.
        await Expect(carol.Rooms.GetByRole(AriaRole.Button, new() { Name = $"Join {room}" })).ToBeVisibleAsync();
        await Expect(carol.Rooms.GetByLabel("2 members")).ToBeVisibleAsync();

        await alice.SendAsync("only for the design room");

        await Expect(bob.Room(room).GetByLabel("1 unread")).ToBeVisibleAsync();
        await bob.OpenRoomAsync(room);
        await Expect(bob.Messages).ToContainTextAsync("only for the design room");
        await Expect(bob.Room(room).GetByLabel("1 unread")).ToHaveCountAsync(0);

        await carol.SendAsync("marker in general");
        await Expect(alice.Messages).Not.ToContainTextAsync("marker in general");
        await Expect(carol.Messages).ToContainTextAsync("marker in general");
        await Expect(carol.Messages).Not.ToContainTextAsync("only for the design room");

        // Leaving: the room drops to one member for everyone.
        await bob.Rooms.GetByRole(AriaRole.Button, new() { Name = $"Leave {room}" }).ClickAsync();
        await Expect(carol.Rooms.Locator("li", new() { HasText = room }).GetByLabel("1 members")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task APrivateMessage_ReachesBothTabsOfItsRecipient_AndNoOneElse()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await using var bobTab2 = await bob.OpenTabAsync();
        await using var carol = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Carol"));

        await alice.MessagePrivatelyAsync(bob.Name);
        await alice.SendAsync("psst, just for you");

        foreach (var tab in new[] { bob, bobTab2 })
        {
            await Expect(tab.Online.GetByLabel("1 unread")).ToBeVisibleAsync();
            await tab.MessagePrivatelyAsync(alice.Name);
            await Expect(tab.Messages).ToContainTextAsync("psst, just for you");
        }

        // Carol got nothing: no unread badge, and her own marker message is all she sees.
        await carol.SendAsync("carol marker");
        await Expect(carol.Messages).ToContainTextAsync("carol marker");
        await Expect(carol.Online.GetByLabel("unread")).ToHaveCountAsync(0);
        await carol.MessagePrivatelyAsync(alice.Name);
        await Expect(carol.Messages).Not.ToContainTextAsync("psst");

        // Presence is per person: Bob is listed once though he has two tabs.
        await Expect(alice.Online.GetByText(bob.Name, new() { Exact = true })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task TypingShows_AndClearsWhenTheMessageIsSent()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));

        // Typing is a volatile event: a tab whose renders lag behind drops it (as socket.io drops one its transport cannot
        // take at once), and a person typing sends it again. So Alice goes on typing, a letter at a time, until Bob sees it:
        // on a loaded machine her first signal was once not shown in time.
        var typing = bob.Page.GetByText($"{alice.Name} is typing…");
        await alice.MessageBox.PressSequentiallyAsync("hello the");
        for (var letters = 0; letters < 10 && !await ShownWithinAsync(typing, TimeSpan.FromSeconds(2)); letters++)
            await alice.MessageBox.PressSequentiallyAsync("e");
        await Expect(typing).ToBeVisibleAsync();
        // The typer does not see themself typing.
        await Expect(alice.Page.GetByText($"{alice.Name} is typing…")).ToHaveCountAsync(0);

        await alice.MessageBox.PressAsync("Enter");
        await Expect(bob.Messages).ToContainTextAsync("hello the");
        await Expect(bob.Page.GetByText($"{alice.Name} is typing…")).ToHaveCountAsync(0);
    }

    private static async Task<bool> ShownWithinAsync(ILocator locator, TimeSpan limit)
    {
        try
        {
            await locator.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = (float)limit.TotalMilliseconds });
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    [Fact]
    public async Task AMessage_ShowsDelivered_OnceEveryRecipientsScreenHasIt()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await MeetInARoomOfTheirOwnAsync(alice, bob);

        await alice.SendAsync("did you get this?");

        var mine = alice.Messages.Locator("article", new() { HasText = "did you get this?" });
        await Expect(mine.GetByText("Delivered", new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AMessageARecipientCannotReceive_ShowsNotDelivered_AndRetryDeliversIt()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await MeetInARoomOfTheirOwnAsync(alice, bob);

        bob.HoldIncoming = true;
        await alice.SendAsync("are you there?");
        var mine = alice.Messages.Locator("article", new() { HasText = "are you there?" });
        await Expect(mine.GetByText("Not delivered (0 of 1 received)")).ToBeVisibleAsync();

        bob.ReleaseIncoming();
        await Expect(bob.Messages).ToContainTextAsync("are you there?");
        await mine.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(mine.GetByText("Delivered", new() { Exact = true })).ToBeVisibleAsync();
        // The retry is the same message: Bob sees it once.
        await Expect(bob.Messages.Locator("article", new() { HasText = "are you there?" })).ToHaveCountAsync(1);
    }

    // Delivery counts every recipient; a room of their own keeps anyone else on the shared server out of the count.
    private static async Task MeetInARoomOfTheirOwnAsync(ChatUser alice, ChatUser bob)
    {
        var room = Names.Unique("pair");
        await alice.CreateRoomAsync(room);
        await alice.OpenRoomAsync(room);
        await bob.JoinRoomAsync(room);
        await bob.OpenRoomAsync(room);
        await Expect(alice.Room(room).GetByLabel("2 members")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ARefusedNamespace_ShowsItsReason_AndThePersonStaysWhereTheyWere()
    {
        await using var dave = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Dave"));

        await dave.SwitchNamespaceAsync("/admin");

        await Expect(dave.Namespaces.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only administrators may enter /admin");
        await Expect(dave.Namespaces.GetByRole(AriaRole.Button, new() { Name = "/", Exact = true })).ToHaveAttributeAsync("aria-current", "true");
        await dave.SendAsync("still in the main namespace");
        await Expect(dave.Messages).ToContainTextAsync("still in the main namespace");
    }

    [Fact]
    public async Task ATeamSpace_IsItsOwnNamespace_WithItsOwnPeopleAndMessages()
    {
        var team = Names.Unique("acme");
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await using var carol = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Carol"));

        await alice.OpenTeamSpaceAsync(team);
        await Expect(alice.Header).ToContainTextAsync($"/tenant-{team}");
        await carol.OpenTeamSpaceAsync(team);
        await Expect(carol.Online.GetByText(alice.Name)).ToBeVisibleAsync();

        await alice.SendAsync("team only");
        await Expect(carol.Messages).ToContainTextAsync("team only");

        // Bob, still in "/", sees neither the message nor the two of them online there.
        await bob.SendAsync("bob marker");
        await Expect(bob.Messages).ToContainTextAsync("bob marker");
        await Expect(bob.Messages).Not.ToContainTextAsync("team only");
        await Expect(bob.Online.GetByText(alice.Name)).ToHaveCountAsync(0);
        await Expect(bob.Online.GetByText(carol.Name)).ToHaveCountAsync(0);
    }
}
