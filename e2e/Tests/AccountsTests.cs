using System.Net;
using System.Net.WebSockets;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>Accounts and access in real Chromium against the published app: who may do what, and when it ends.</summary>
[Collection(AccountsServerCollection.Name)]
public sealed class AccountsTests(AccountsServerFixture server)
{
    private Uri BaseUri => server.App.BaseUri;

    private async Task<ChatUser> RegisteredAsync(string name)
    {
        var user = await ChatUser.OpenAsync(server.Browser, BaseUri, name);
        await AccountSteps.RegisterAsync(user.Page, name, name.ToLowerInvariant());
        await AccountSteps.ExpectSignedInAsync(user.Page, name);
        return user;
    }

    private async Task<ChatUser> AdminAsync()
    {
        var admin = await ChatUser.OpenAsync(server.Browser, BaseUri, AccountsServerFixture.AdminName);
        await AccountSteps.SignInAsync(admin.Page, AccountsServerFixture.AdminEmail, AccountsServerFixture.AdminPassword);
        await AccountSteps.ExpectSignedInAsync(admin.Page, AccountsServerFixture.AdminName);
        return admin;
    }

    [Fact]
    public async Task Register_SignOut_SignIn_ChatsUnderTheAccountsName()
    {
        var name = Names.Unique("Reg");
        await using var user = await RegisteredAsync(name);

        // The join form offers no name box: a registered person chats under their account's name.
        await Expect(user.DisplayNameBox).ToHaveCountAsync(0);
        await AccountSteps.JoinAsAccountAsync(user);
        await user.SendAsync("hello from an account");
        await Expect(user.Messages.Locator($"article[aria-label^='{name}:']")).ToContainTextAsync("hello from an account");

        await AccountSteps.SignOutAsync(user.Page);
        await Expect(user.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin"));
        await Expect(user.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("You signed out");

        await AccountSteps.SignInAsync(user.Page, name.ToLowerInvariant(), "Wrong-passw0rd!");
        await Expect(user.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match an account");

        await AccountSteps.SignInAsync(user.Page, name.ToLowerInvariant());
        await AccountSteps.ExpectSignedInAsync(user.Page, name);
    }

    [Fact]
    public async Task Register_NameTakenIgnoringCase_IsRefusedWithItsReason()
    {
        var name = Names.Unique("Taken");
        await using var first = await RegisteredAsync(name);
        await using var second = await ChatUser.OpenAsync(server.Browser, BaseUri, "second");

        await AccountSteps.RegisterAsync(second.Page, name.ToUpperInvariant(), Names.Unique("other"));

        await Expect(second.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("belongs to another account");
        // A guest cannot take it either.
        await using var guest = await ChatUser.OpenAsync(server.Browser, BaseUri, name.ToLowerInvariant());
        await guest.DisplayNameBox.FillAsync(name.ToLowerInvariant());
        await guest.JoinButton.ClickAsync();
        await Expect(guest.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "registered account" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Admin_IsAdmittedToAdmin_AndAMemberIsRefusedWithTheReason()
    {
        await using var admin = await AdminAsync();
        await using var member = await RegisteredAsync(Names.Unique("Member"));
        await AccountSteps.JoinAsAccountAsync(admin);
        await AccountSteps.JoinAsAccountAsync(member);

        await admin.SwitchNamespaceAsync("/admin");
        await Expect(admin.Header).ToContainTextAsync("/admin");

        await member.SwitchNamespaceAsync("/admin");
        await Expect(member.Namespaces.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only administrators may enter /admin");
        await Expect(member.Header).Not.ToContainTextAsync("/admin");

        // The people page too: refused with its reason, no list.
        await member.Page.GotoAsync("admin/people");
        await Expect(member.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only administrators may manage people");
        await Expect(member.Page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignOut_InOneTab_EndsTheOtherOpenTabAtOnce_AndNothingMoreIsStored()
    {
        var name = Names.Unique("Leaver");
        await using var user = await RegisteredAsync(name);
        await AccountSteps.JoinAsAccountAsync(user);
        var other = await user.Context.NewPageAsync();
        await other.GotoAsync("/");
        await AccountSteps.JoinAsAccountAsync(user, other);
        await other.GetByLabel("Message", new() { Exact = true }).FillAsync("typed before the sign-out");

        await AccountSteps.SignOutAsync(user.Page);

        // The other tab's circuit still has the old sign-in; the server ends it and says why.
        await Expect(other.GetByRole(AriaRole.Alert).Filter(new() { HasText = "You signed out. Sign in again to keep chatting." })).ToBeVisibleAsync();
        await Expect(other.GetByLabel("Message", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.DoesNotContain(ChatDatabase.Messages(server.DatabasePath), m => m.Text == "typed before the sign-out");
    }

    [Fact]
    public async Task RevokingAdmin_TakesEffectOnTheNextActionInAdmin_WithoutARestart()
    {
        await using var admin = await AdminAsync();
        var name = Names.Unique("Deputy");
        await using var deputy = await RegisteredAsync(name);
        await AccountSteps.JoinAsAccountAsync(deputy);

        await admin.Page.GotoAsync("admin/people");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Grant admin to {name}", Exact = true }).ClickAsync();
        await Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Revoke admin from {name}", Exact = true })).ToBeVisibleAsync();

        // Granted while signed in: the deputy's next switch reads the role from the store.
        await deputy.SwitchNamespaceAsync("/admin");
        await Expect(deputy.Header).ToContainTextAsync("/admin");

        await admin.Page.GetByRole(AriaRole.Button, new() { Name = $"Revoke admin from {name}", Exact = true }).ClickAsync();

        await Expect(deputy.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "no longer an administrator" })).ToBeVisibleAsync();
        await Expect(deputy.Header).Not.ToContainTextAsync("/admin");
        await deputy.SwitchNamespaceAsync("/admin");
        await Expect(deputy.Namespaces.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only administrators may enter /admin");
    }

    [Fact]
    public async Task OneTabOverTheCap_IsRefusedWithTheMessage_AndJoinsOnceATabCloses()
    {
        var name = Names.Unique("Tabby");
        await using var user = await RegisteredAsync(name);
        var message = $"You already have {AccountsServerFixture.MaxTabs} BlazorChat tabs open. Close one to chat here.";
        var (second, third) = await AccountSteps.FillTheTabCapAsync(user, message);
        await third.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true }).ClickAsync();
        await Expect(third.GetByRole(AriaRole.Alert).Filter(new() { HasText = message }).First).ToBeVisibleAsync();
        await Expect(third.GetByLabel("Message", new() { Exact = true })).ToHaveCountAsync(0);

        await second.CloseAsync(new() { RunBeforeUnload = true });
        // The closed tab's circuit goes away with its disconnect beacon; then a click on Join gets in.
        await AccountSteps.JoinWhenAPlaceIsFreeAsync(third, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task BlazorHandshake_FromAForeignOrigin_Is403_AndFromTheAppsOwnOriginIsNot()
    {
        using var http = new HttpClient { BaseAddress = BaseUri };
        async Task<HttpStatusCode> NegotiateAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "_blazor/negotiate?negotiateVersion=1");
            request.Headers.Add("Origin", origin);
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("http://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("null"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(BaseUri.GetLeftPart(UriPartial.Authority)));

        var socketUri = new UriBuilder(BaseUri) { Scheme = "ws", Path = "_blazor" }.Uri;
        using var foreign = new ClientWebSocket();
        foreign.Options.CollectHttpResponseDetails = true;
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(socketUri, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        using var own = new ClientWebSocket();
        own.Options.CollectHttpResponseDetails = true;
        own.Options.SetRequestHeader("Origin", BaseUri.GetLeftPart(UriPartial.Authority));
        try
        {
            await own.ConnectAsync(socketUri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Without a negotiated connection id SignalR may refuse it: but not as a cross-origin request.
        }
        Assert.NotEqual(HttpStatusCode.Forbidden, own.HttpStatusCode);
    }

    [Fact]
    public async Task JoinAndSend_RunUnderTheContentSecurityPolicy_WithoutAViolation()
    {
        var context = await server.Browser.NewContextAsync(new() { BaseURL = BaseUri.ToString() });
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                violations.Add(message.Text);
        };
        await page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        var response = await page.GotoAsync("/");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("DENY", headers["x-frame-options"]);

        var name = Names.Unique("Csp");
        await page.GetByLabel("Display name", new() { Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true }).ClickAsync();
        await page.GetByLabel("Message", new() { Exact = true }).FillAsync("under the policy");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("under the policy");
        await page.GotoAsync("account/register");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Register" })).ToBeVisibleAsync();

        Assert.Empty(violations);
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.__csp"));
        await page.CloseAsync(new() { RunBeforeUnload = true });
        await context.CloseAsync();
    }

    [Fact]
    public async Task FormPostWithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        using var http = new HttpClient { BaseAddress = BaseUri };
        var userName = Names.Unique("forged").ToLowerInvariant();
        using var register = await http.PostAsync("account/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["Input.DisplayName"] = userName,
            ["Input.UserName"] = userName,
            ["Input.Password"] = AccountSteps.Password,
            ["Input.ConfirmPassword"] = AccountSteps.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, register.StatusCode);
        Assert.Equal(0, CountAccounts(userName));

        using var signOut = await http.PostAsync("account/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "y" }));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
    }

    private long CountAccounts(string userName)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = server.AccountsDatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM AspNetUsers WHERE NormalizedUserName = $name;";
        command.Parameters.AddWithValue("$name", userName.ToUpperInvariant());
        return (long)command.ExecuteScalar()!;
    }
}

/// <summary>Guest mode switched off by configuration: nobody chats without an account.</summary>
public sealed class GuestsOffTests
{
    [Fact]
    public async Task GuestsOff_SendsPeopleToSignIn_AndAGuestCookieIssuedBeforeNoLongerWorks()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        var browser = await Browsers.GetAsync();
        await using var guestsOn = await PublishedApp.StartAsync();
        await using var guestsOff = await PublishedApp.StartAsync(environment: new Dictionary<string, string>
        {
            ["Accounts__AllowGuests"] = "false",
        });
        // Both on 127.0.0.1: a browser sends the same cookies to either port, so the guest cookie from the first goes along.
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(guestsOn.BaseUri.ToString());
        Assert.Contains(await context.CookiesAsync(), c => c.Name == "blazorchat.id");

        await page.GotoAsync(guestsOff.BaseUri.ToString());

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/signin"));
        await Expect(page.GetByText("Guest chat is switched off here")).ToBeVisibleAsync();
        await page.CloseAsync(new() { RunBeforeUnload = true });
        await context.CloseAsync();
    }
}
