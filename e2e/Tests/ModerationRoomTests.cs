using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Moderation of rooms and messages in real Chromium: an admin deletes a message from the chat (gone for everyone, also
/// after a reload), posts a system notice from /ops (two people see it, also after a reload), and makes a person's tab
/// join a room from /ops (it shows in their room list).
/// </summary>
[Collection(AccountsServerCollection.Name)]
public sealed class ModerationRoomTests(AccountsServerFixture server)
{
    private Uri BaseUri => server.App.BaseUri;

    private async Task<ChatUser> SignedInAdminAsync()
    {
        var admin = await ChatUser.OpenAsync(server.Browser, BaseUri, AccountsServerFixture.AdminName);
        await AccountSteps.SignInAsync(admin.Page, AccountsServerFixture.AdminEmail, AccountsServerFixture.AdminPassword);
        await AccountSteps.ExpectSignedInAsync(admin.Page, AccountsServerFixture.AdminName);
        return admin;
    }

    private static async Task ConfirmAsync(ILocator panel, string reviewButton, string expectedResult)
    {
        await panel.GetByRole(AriaRole.Button, new() { Name = reviewButton, Exact = true }).ClickAsync();
        await panel.GetByRole(AriaRole.Group).GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        await Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync(expectedResult);
    }

    [Fact]
    public async Task AnAdminDeletesAMessage_ItDisappearsForEveryone_AlsoAfterAReload()
    {
        await using var admin = await SignedInAdminAsync();
        await AccountSteps.JoinAsAccountAsync(admin);
        await using var bob = await ChatUser.JoinAsync(server.Browser, BaseUri, Names.Unique("Bob"));
        await using var carol = await ChatUser.JoinAsync(server.Browser, BaseUri, Names.Unique("Carol"));
        var spam = $"buy cheap pills {Guid.NewGuid():N}";
        await bob.SendAsync(spam);
        await Expect(admin.Messages).ToContainTextAsync(spam);
        await Expect(carol.Messages).ToContainTextAsync(spam);
        // Nobody else is offered a delete control.
        await Expect(carol.Page.GetByRole(AriaRole.Button, new() { Name = "Delete a message…" })).ToHaveCountAsync(0);

        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Delete a message…" }).ClickAsync();
        var dialog = admin.Page.GetByRole(AriaRole.Dialog, new() { Name = "Delete a message" });
        await dialog.GetByLabel("Message to delete").SelectOptionAsync(new SelectOptionValue { Label = $"{bob.Name}: {spam}" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete for everyone" }).ClickAsync();

        foreach (var user in new[] { admin, bob, carol })
        {
            await Expect(user.Messages).Not.ToContainTextAsync(spam);
            await Expect(user.Messages.GetByRole(AriaRole.Article, new() { Name = "message removed" })).Not.ToHaveCountAsync(0);
        }
        await carol.Page.ReloadAsync();
        await carol.JoinAsync();
        await Expect(carol.Messages.GetByRole(AriaRole.Article, new() { Name = "message removed" })).Not.ToHaveCountAsync(0);
        await Expect(carol.Messages).Not.ToContainTextAsync(spam);
    }

    [Fact]
    public async Task AnAdminPostsASystemNotice_TwoPeopleSeeIt_AlsoAfterAReload()
    {
        await using var bob = await ChatUser.JoinAsync(server.Browser, BaseUri, Names.Unique("Bob"));
        await using var carol = await ChatUser.JoinAsync(server.Browser, BaseUri, Names.Unique("Carol"));
        await using var admin = await SignedInAdminAsync();
        await admin.Page.GotoAsync("ops");
        var notice = $"Maintenance at 22:00 <b>{Guid.NewGuid():N}</b>";

        var panel = admin.Page.GetByRole(AriaRole.Region, new() { Name = "System notice" });
        // Typed once the circuit is interactive (the review button is enabled then): earlier, the typing is lost.
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Review notice" })).ToBeEnabledAsync();
        await panel.GetByLabel("Notice text").FillAsync(notice);
        await ConfirmAsync(panel, "Review notice", "Posted to / #general");

        foreach (var user in new[] { bob, carol })
            await Expect(user.Messages.GetByRole(AriaRole.Article, new() { Name = "Notice from the system" }).Filter(new() { HasText = notice }))
                .ToHaveCountAsync(1);
        await bob.Page.ReloadAsync();
        await bob.JoinAsync();
        await Expect(bob.Messages.GetByRole(AriaRole.Article, new() { Name = "Notice from the system" }).Filter(new() { HasText = notice }))
            .ToHaveCountAsync(1);
        // The audit log on /ops has it.
        await admin.Page.ReloadAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Table, new() { Name = "Audit log" })).ToContainTextAsync(notice);
    }

    [Fact]
    public async Task AnAdminMakesAPersonsTabJoinARoom_ItShowsInTheirRoomList()
    {
        await using var bob = await ChatUser.JoinAsync(server.Browser, BaseUri, Names.Unique("Bob"));
        await using var admin = await SignedInAdminAsync();
        await admin.Page.GotoAsync("ops");
        var room = $"moved{Guid.NewGuid():N}"[..20];

        // Bob's tab, as the dashboard lists it: its connection id.
        var connections = admin.Page.GetByRole(AriaRole.Region, new() { Name = "Connections" });
        await connections.GetByLabel("Search connections").FillAsync(bob.Name);
        var row = connections.GetByRole(AriaRole.Row).Filter(new() { HasText = bob.Name });
        await Expect(row).ToHaveCountAsync(1);
        var connectionId = (await row.Locator("td[data-label='Connection']").InnerTextAsync()).Trim();

        var panel = admin.Page.GetByRole(AriaRole.Region, new() { Name = "Room membership" });
        await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Review room change" })).ToBeEnabledAsync();
        await panel.GetByLabel("Membership room").FillAsync(room);
        await panel.GetByLabel("Membership connection").FillAsync(connectionId);
        await ConfirmAsync(panel, "Review room change", $"1 connection joined #{room}.");

        await Expect(bob.Room(room)).ToBeVisibleAsync();
        await Expect(bob.Messages).ToContainTextAsync($"A moderator added you to #{room}.");
    }
}
