using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Invite-only rooms from three browsers: the owner, an invited member and an outsider who tries every way in the
/// interface offers and must see no trace of the room.
/// </summary>
[Collection(ChatServerCollection.Name)]
public sealed class PrivateRoomTests(ChatServerFixture server)
{
    [Fact]
    public async Task APrivateRoom_IsSeenByItsMembersOnly_AndARemovedMembersViewDropsIt()
    {
        var room = Names.Unique("plans");
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await using var carol = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Carol"));

        // Alice creates it in the New private room dialog: a title the rules refuse is explained there, and the dialog
        // stays; Enter in the title creates it, private, so it is hers alone and on her screen.
        await alice.Rooms.GetByRole(AriaRole.Button, new() { Name = "New private room", Exact = true }).ClickAsync();
        var create = alice.Page.GetByRole(AriaRole.Dialog, new() { Name = "New private room", Exact = true });
        var title = create.GetByLabel("Title", new() { Exact = true });
        await title.FillAsync("bad name!");
        await create.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(create.GetByRole(AriaRole.Alert)).ToContainTextAsync("A room name is 1 to 32 letters");
        await title.FillAsync(room);
        await title.PressAsync("Enter");
        await Expect(create).ToHaveCountAsync(0);
        await Expect(PrivateRoom(alice, room)).ToBeVisibleAsync();
        await Expect(alice.Header).ToContainTextAsync(room);
        var members = Members(alice, room);
        await Expect(MemberList(alice, room).GetByText(alice.Name)).ToBeVisibleAsync();

        // She invites Bob, found by name in the invite dialog; he sees it appear, live, and its messages.
        await members.GetByRole(AriaRole.Button, new() { Name = "Invite someone", Exact = true }).ClickAsync();
        var invite = alice.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Invite to {room}", Exact = true });
        await invite.GetByLabel("Search people", new() { Exact = true }).FillAsync(bob.Name);
        await invite.GetByRole(AriaRole.Radio, new() { Name = bob.Name, Exact = true }).CheckAsync();
        await invite.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();
        await Expect(invite).ToHaveCountAsync(0);
        await Expect(MemberList(alice, room).GetByText(bob.Name)).ToBeVisibleAsync();
        await alice.SendAsync("the secret plan");
        await Expect(PrivateRoom(bob, room)).ToBeVisibleAsync();
        await Expect(PrivateRoom(bob, room).GetByLabel("2 members")).ToBeVisibleAsync();
        await PrivateRoom(bob, room).ClickAsync();
        await Expect(bob.Messages).ToContainTextAsync("the secret plan");
        await bob.MessageBox.PressSequentiallyAsync("typing in se");
        await Expect(alice.Page.GetByText($"{bob.Name} is typing…")).ToBeVisibleAsync();

        // Carol: not in her list, no count, no typing, no message, no title anywhere on her page.
        await carol.SendAsync("carol marker");
        await Expect(carol.Messages).ToContainTextAsync("carol marker");
        await Expect(PrivateRoom(carol, room)).ToHaveCountAsync(0);
        await Expect(carol.Page.Locator("body")).Not.ToContainTextAsync(room);
        await Expect(carol.Page.Locator("body")).Not.ToContainTextAsync("is typing");
        await Expect(carol.Page.Locator("body")).Not.ToContainTextAsync("the secret plan");

        // Carol tries its title: she gets a public room of that name, empty, and none of its messages.
        await carol.CreateRoomAsync(room);
        await carol.OpenRoomAsync(room);
        await Expect(carol.Messages).ToContainTextAsync("No messages yet");
        await Expect(carol.Messages).Not.ToContainTextAsync("the secret plan");
        // And a forged private id: refused like any bad room name, saying nothing about any room.
        await carol.Page.GetByLabel("New room", new() { Exact = true }).FillAsync("p.AAAAAAAAAAAAAAAAAAAAAA");
        await carol.Rooms.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(carol.Rooms.GetByRole(AriaRole.Alert)).ToContainTextAsync("A room name is 1 to 32 letters");
        await Expect(PrivateRoom(carol, room)).ToHaveCountAsync(0);

        // Alice removes Bob: his view drops the room at once, and its messages with it.
        await members.GetByRole(AriaRole.Button, new() { Name = $"Remove {bob.Name}", Exact = true }).ClickAsync();
        await Expect(MemberList(alice, room).GetByText(bob.Name)).ToHaveCountAsync(0);
        await Expect(PrivateRoom(bob, room)).ToHaveCountAsync(0);
        await Expect(bob.Header).ToContainTextAsync("# general");
        await Expect(bob.Messages).Not.ToContainTextAsync("the secret plan");
        await alice.SendAsync("after bob left");
        await bob.SendAsync("bob marker");
        await Expect(bob.Messages).ToContainTextAsync("bob marker");
        await Expect(bob.Page.Locator("body")).Not.ToContainTextAsync("after bob left");
        // (Carol's public room of the same name is listed for everyone; the private one is not.)
        await Expect(bob.Page.Locator("body")).Not.ToContainTextAsync($"Private room {room}");
    }

    private static ILocator PrivateRoom(ChatUser user, string room) =>
        user.Rooms.GetByRole(AriaRole.Button, new() { Name = $"Private room {room}" });

    private static ILocator MemberList(ChatUser user, string room) =>
        Members(user, room).GetByRole(AriaRole.List, new() { Name = "Members", Exact = true });

    private static ILocator Members(ChatUser user, string room) =>
        user.Page.GetByRole(AriaRole.Region, new() { Name = $"Members of {room}", Exact = true });
}
