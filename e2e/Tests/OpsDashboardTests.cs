using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// The operator's dashboard (/ops) in real Chromium: an admin sees other people's connections, with their address and
/// transport; a member is refused.
/// </summary>
[Collection(AccountsServerCollection.Name)]
public sealed class OpsDashboardTests(AccountsServerFixture server)
{
    private Uri BaseUri => server.App.BaseUri;

    [Fact]
    public async Task Ops_AnAdminSeesASecondPersonsConnection_AndAMemberIsRefused()
    {
        await using var admin = await ChatUser.OpenAsync(server.Browser, BaseUri, AccountsServerFixture.AdminName);
        await AccountSteps.SignInAsync(admin.Page, AccountsServerFixture.AdminEmail, AccountsServerFixture.AdminPassword);
        await AccountSteps.ExpectSignedInAsync(admin.Page, AccountsServerFixture.AdminName);
        var name = Names.Unique("Watched");
        await using var member = await ChatUser.OpenAsync(server.Browser, BaseUri, name);
        await AccountSteps.RegisterAsync(member.Page, name, name.ToLowerInvariant());
        await AccountSteps.ExpectSignedInAsync(member.Page, name);
        await AccountSteps.JoinAsAccountAsync(member);

        // Reached in the tab from the people page's link once that page is interactive (its buttons are enabled then): an
        // interactive navigation, no new document, so the tab's title changes only by DocumentTitle's call (the <title>
        // prerendered was the people page's). A click before the circuit is up changes only the address (Blazor's
        // link interception; dotnet/aspnetcore#68562), so the test does not click earlier.
        await admin.Page.GotoAsync("admin/people");
        await Expect(admin.Page).ToHaveTitleAsync("People · BlazorChat");
        await Expect(admin.Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Revoke admin from ") }).First).ToBeEnabledAsync();
        await admin.Page.GetByRole(AriaRole.Link, new() { Name = "Operations dashboard", Exact = true }).ClickAsync();
        await Expect(admin.Page).ToHaveURLAsync(new Uri(BaseUri, "ops").ToString());
        await Expect(admin.Page).ToHaveTitleAsync("Operations · BlazorChat");
        var connections = admin.Page.GetByRole(AriaRole.Region, new() { Name = "Connections" });
        await Expect(connections).ToContainTextAsync(name);
        // Where the member's browser connects from and over what, as the circuit's hub connection says.
        var row = connections.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("127.0.0.1");
        await Expect(row).ToContainTextAsync("WebSockets");
        await Expect(admin.Page.GetByRole(AriaRole.Table, new() { Name = "Nodes" })).ToContainTextAsync("(this node)");

        // A second tab of the member's: the dashboard is refused with its reason, and shows no panel.
        var refused = await member.Context.NewPageAsync();
        await refused.GotoAsync(new Uri(BaseUri, "ops").ToString());
        await Expect(refused.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only administrators may see the operator's dashboard");
        await Expect(refused.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }
}
