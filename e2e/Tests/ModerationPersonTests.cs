using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// The per-person actions of the operator's dashboard (/ops) in real Chromium: an admin disconnects, mutes and bans a
/// person who has two tabs open, each confirmed first; each tab shows why; while banned, their tab's return and their
/// sign-in are refused with the reason; unbanned, they sign in and chat again.
/// </summary>
[Collection(ModerationServerCollection.Name)]
public sealed partial class ModerationPersonTests(ModerationServerFixture server)
{
    private Uri BaseUri => server.App.BaseUri;

    [Fact]
    public async Task AnAdmin_DisconnectsMutesAndBansAPersonWithTwoTabs_EachTabSeesWhy_TheirReturnIsRefused_UntilUnbanned()
    {
        var name = Names.Unique("Target");
        var userName = name.ToLowerInvariant();
        await using var member = await ChatUser.OpenAsync(server.Browser, BaseUri, name);
        await AccountSteps.RegisterAsync(member.Page, name, userName);
        await AccountSteps.ExpectSignedInAsync(member.Page, name);
        await AccountSteps.JoinAsAccountAsync(member);
        var secondTab = await member.OpenAnotherTabAsync();
        await AccountSteps.JoinAsAccountAsync(member, secondTab);
        var tabs = new[] { member.Page, secondTab };

        await using var admin = await ChatUser.OpenAsync(server.Browser, BaseUri, AccountsServerFixture.AdminName);
        await AccountSteps.SignInAsync(admin.Page, AccountsServerFixture.AdminEmail, AccountsServerFixture.AdminPassword);
        await AccountSteps.ExpectSignedInAsync(admin.Page, AccountsServerFixture.AdminName);
        var ops = admin.Page;
        await ops.GotoAsync("ops");
        var connections = ops.GetByRole(AriaRole.Region, new() { Name = "Connections" });
        await Expect(connections.GetByRole(AriaRole.Button, new() { Name = $"Ban {name}", Exact = true })).ToHaveCountAsync(2);

        // Disconnect the person: both tabs end, each saying why; they may come back.
        await OpsSteps.ActAsync(ops, "Disconnect", name, null, "cool off", $"{name} was disconnected: 2 connection(s) ended.");
        foreach (var tab in tabs)
        {
            await Expect(tab.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("A moderator disconnected you: cool off");
            await tab.ReloadAsync();
            await AccountSteps.JoinAsAccountAsync(member, tab);
        }

        // Mute: each tab's send is refused with the reason and the time left.
        await connections.GetByRole(AriaRole.Button, new() { Name = "Refresh connections" }).ClickAsync();
        await Expect(connections.GetByRole(AriaRole.Button, new() { Name = $"Mute {name}", Exact = true })).ToHaveCountAsync(2);
        await OpsSteps.ActAsync(ops, "Mute", name, "10", "flooding", $"{name} is muted until");
        foreach (var tab in tabs)
        {
            await tab.GetByLabel("Message", new() { Exact = true }).FillAsync("may I?");
            await tab.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
            await Expect(tab.Locator("#composer-error")).ToHaveTextAsync("You are muted for 10 more minutes: flooding");
        }

        // Ban: both tabs end, each saying why.
        await OpsSteps.ActAsync(ops, "Ban", name, null, "spam", $"{name} is banned until lifted.");
        foreach (var tab in tabs)
            await Expect(tab.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("You are banned: spam");

        // Banned: a tab's return is refused with the reason, and so is signing in again elsewhere.
        await member.Page.ReloadAsync();
        await Expect(member.Page.Locator("body")).ToContainTextAsync("You are banned: spam");
        await using var elsewhere = await ChatUser.OpenAsync(server.Browser, BaseUri, name);
        await AccountSteps.SignInAsync(elsewhere.Page, userName);
        await Expect(elsewhere.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("You are banned: spam You may not sign in while it holds.");

        // The dashboard lists the ban and the mute, the person by name; lifting the ban asks first.
        var restrictions = ops.GetByRole(AriaRole.Region, new() { Name = "Bans and mutes" });
        await Expect(restrictions.GetByRole(AriaRole.Table)).ToContainTextAsync("until lifted");
        await Expect(restrictions.GetByRole(AriaRole.Table)).ToContainTextAsync(name); // by name, not only by user id
        await restrictions.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Unban ") }).ClickAsync();
        await Expect(restrictions).ToContainTextAsync("Lift the ban of");
        await restrictions.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        await Expect(restrictions.GetByRole(AriaRole.Status)).ToContainTextAsync("is lifted.");

        // Unbanned: they sign in and chat again.
        await AccountSteps.SignInAsync(elsewhere.Page, userName);
        await AccountSteps.ExpectSignedInAsync(elsewhere.Page, name);
        await AccountSteps.JoinAsAccountAsync(elsewhere);
        await member.Page.ReloadAsync();
        await AccountSteps.JoinAsAccountAsync(member);
    }

    [Fact]
    public async Task ABannedAdmin_IsRefusedTheDashboardAndThePeoplePage_UntilTheBanIsLifted()
    {
        var name = Names.Unique("Deputy");
        await using var deputy = await ChatUser.OpenAsync(server.Browser, BaseUri, name);
        await AccountSteps.RegisterAsync(deputy.Page, name, name.ToLowerInvariant());
        await AccountSteps.ExpectSignedInAsync(deputy.Page, name);
        await AccountSteps.JoinAsAccountAsync(deputy);
        await using var admin = await ChatUser.OpenAsync(server.Browser, BaseUri, AccountsServerFixture.AdminName);
        await AccountSteps.SignInAsync(admin.Page, AccountsServerFixture.AdminEmail, AccountsServerFixture.AdminPassword);
        await AccountSteps.ExpectSignedInAsync(admin.Page, AccountsServerFixture.AdminName);
        await admin.Page.GotoAsync("admin/people");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Grant admin to {name}", Exact = true }).ClickAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Revoke admin from {name}", Exact = true })).ToBeVisibleAsync();
        var deputyOps = await deputy.Context.NewPageAsync();
        await deputyOps.GotoAsync(new Uri(BaseUri, "ops").ToString());
        await Expect(deputyOps.GetByRole(AriaRole.Region, new() { Name = "Connections" })).ToBeVisibleAsync();

        await admin.Page.GotoAsync("ops");
        await OpsSteps.ActAsync(admin.Page, "Ban", name, null, "rogue", $"{name} is banned until lifted.");

        // Still signed in (the account's cookie), but no admin while the ban holds: no panel, no people page.
        await deputyOps.ReloadAsync();
        await Expect(deputyOps.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Only administrators may see the operator's dashboard." })).ToBeVisibleAsync();
        await Expect(deputyOps.GetByRole(AriaRole.Region, new() { Name = "Connections" })).ToHaveCountAsync(0);
        await deputyOps.GotoAsync(new Uri(BaseUri, "admin/people").ToString());
        await Expect(deputyOps.GetByRole(AriaRole.Button, new() { Name = $"Revoke admin from {name}", Exact = true })).ToHaveCountAsync(0);

        var restrictions = admin.Page.GetByRole(AriaRole.Region, new() { Name = "Bans and mutes" });
        await restrictions.GetByRole(AriaRole.Button, new() { NameRegex = new Regex($"^Unban {Regex.Escape(name)}") }).ClickAsync();
        await restrictions.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        await Expect(restrictions.GetByRole(AriaRole.Status)).ToContainTextAsync("is lifted.");
        await deputyOps.GotoAsync(new Uri(BaseUri, "ops").ToString());
        await Expect(deputyOps.GetByRole(AriaRole.Region, new() { Name = "Connections" })).ToBeVisibleAsync();
    }
}
