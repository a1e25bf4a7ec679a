using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Places have addresses: a room or a private conversation opens by its URL, a reload keeps the place, back and forward
/// move between places, and an address the person may not enter is refused with its reason.
/// </summary>
[Collection(ChatServerCollection.Name)]
public sealed class PlacesTests(ChatServerFixture server)
{
    [Fact]
    public async Task ARoomOpensByItsAddress_AReloadKeepsIt_AndBackAndForwardMoveBetweenPlaces()
    {
        var room = Names.Unique("launch").ToLowerInvariant();
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await bob.CreateRoomAsync(room);
        await Expect(bob.Page).ToHaveURLAsync(new Regex($"/r/{room}$"));
        await bob.SendAsync("said before Ada came");

        // A shared link: Ada lands in the room (joining it), with what was said there.
        await using var ada = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, Names.Unique("Ada"));
        await ada.Page.GotoAsync($"/r/{room}");
        await ada.JoinAsync();
        await Expect(ada.Header).ToContainTextAsync($"# {room}");
        await Expect(ada.Page).ToHaveTitleAsync($"# {room} · BlazorChat"); // the browser tab says where she is
        await Expect(ada.Messages).ToContainTextAsync("said before Ada came");
        await Expect(ada.Rooms.GetByRole(AriaRole.Button, new() { Name = $"Leave {room}", Exact = true })).ToBeVisibleAsync();

        await ada.Page.ReloadAsync();
        await Expect(ada.Header).ToContainTextAsync($"# {room}");
        await Expect(ada.Page).ToHaveTitleAsync($"# {room} · BlazorChat");
        await Expect(ada.Messages).ToContainTextAsync("said before Ada came");

        await ada.OpenRoomAsync("general");
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/$"));
        await Expect(ada.Page).ToHaveTitleAsync("# general · BlazorChat");
        await ada.Page.GoBackAsync();
        await Expect(ada.Header).ToContainTextAsync($"# {room}");
        await Expect(ada.Page).ToHaveTitleAsync($"# {room} · BlazorChat");
        await ada.Page.GoForwardAsync();
        await Expect(ada.Header).ToContainTextAsync("# general");

        // Her next message goes where she is.
        await ada.Page.GoBackAsync();
        await Expect(ada.Header).ToContainTextAsync($"# {room}");
        await ada.SendAsync("posted where I am");
        await Expect(bob.Messages).ToContainTextAsync("posted where I am");
    }

    [Fact]
    public async Task BackAfterOthersTalked_TheRoomShowsEverythingMissed_FromANewSinceYouLeftLineInView()
    {
        const int missed = 60; // more than the page of 50 a room opens with
        var room = Names.Unique("standup").ToLowerInvariant();
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await bob.CreateRoomAsync(room);
        var adaName = Names.Unique("Ada");
        var ada = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, adaName);
        await ada.Page.GotoAsync($"/r/{room}");
        await ada.JoinAsync();
        await ada.SendAsync("back in a bit"); // read up to here
        await Expect(bob.Messages).ToContainTextAsync("back in a bit");
        var adasBrowser = await ada.CloseBrowserAsync();

        for (var i = 1; i <= missed; i++)
            await bob.SendAsync($"while away {i}");
        await Expect(bob.Messages).ToContainTextAsync($"while away {missed}");

        await using var adaAgain = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, adaName, storageState: adasBrowser);
        await adaAgain.Page.GotoAsync($"/r/{room}");
        await adaAgain.JoinAsync();

        var line = adaAgain.Messages.GetByRole(AriaRole.Separator);
        await Expect(line).ToHaveTextAsync($"{missed} new since you left");
        await Expect(adaAgain.Messages.Locator("article", new() { HasText = "while away " })).ToHaveCountAsync(missed);
        await Expect(line).ToBeInViewportAsync();
        await Expect(adaAgain.Messages.Locator("article").Filter(new() { HasText = "while away 1" }).First).ToBeInViewportAsync();
    }

    [Fact]
    public async Task APrivateConversation_HasItsOwnAddress_ThatAReloadKeeps()
    {
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await using var ada = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Ada"));

        await ada.MessagePrivatelyAsync(bob.Name);
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/dm/[^/]+$"));
        await ada.SendAsync("just us");
        await ada.Page.ReloadAsync();

        await Expect(ada.Header).ToContainTextAsync(bob.Name);
        await Expect(ada.Messages).ToContainTextAsync("just us");
    }

    [Fact]
    public async Task AnAddressThePersonMayNotEnter_IsRefusedWithTheReason_AndTheyStayWhereTheyWere()
    {
        await using var ada = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Ada"));

        await ada.Page.GotoAsync("/admin/r/general");
        await ada.JoinAsync();

        await Expect(ada.Page.GetByText("Only administrators may enter /admin")).ToBeVisibleAsync();
        await Expect(ada.Header).ToContainTextAsync("# general");
        await Expect(ada.Header).Not.ToContainTextAsync("/admin");
        await Expect(ada.Page).ToHaveURLAsync(new Regex("/$"));
    }

    [Fact]
    public async Task AnAddressThatNamesNoPlace_AnswersNotFound()
    {
        using var http = new HttpClient { BaseAddress = server.App.BaseUri };

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/nowhere/r/general")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/r/Not%20A%20Room")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/r/general")).StatusCode);
    }
}

/// <summary>.NET 10's circuit pause and resume: a tab whose circuit the server let go comes back where it was, by itself.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class ResumeTests(ChatServerFixture server)
{
    [Fact]
    public async Task APausedCircuit_Resumes_InTheSameRoom_WithTheDraft_AndWithoutAReload()
    {
        var room = Names.Unique("resume").ToLowerInvariant();
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await bob.CreateRoomAsync(room);
        await using var ada = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, Names.Unique("Ada"));
        await ada.Page.GotoAsync($"/r/{room}");
        await ada.JoinAsync();
        await Expect(ada.Header).ToContainTextAsync($"# {room}");
        await ada.MessageBox.FillAsync("half a thought");
        await ada.Page.EvaluateAsync("() => { window.notReloaded = true; }");

        Assert.True(await ada.Page.EvaluateAsync<bool>("() => Blazor.pauseCircuit()"));
        Assert.True(await ada.Page.EvaluateAsync<bool>("() => Blazor.resumeCircuit()"));

        await Expect(ada.Header).ToContainTextAsync($"# {room}");
        await Expect(ada.MessageBox).ToHaveValueAsync("half a thought");
        Assert.True(await ada.Page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await ada.SendButton.ClickAsync();
        await Expect(bob.Messages).ToContainTextAsync("half a thought");
    }

    [Fact]
    public async Task ATabBackAfterTheServerLetItsCircuitGo_ResumesByItself_InTheSameRoom_WithTheDraft()
    {
        // Blazor keeps a disconnected circuit 2 s here (3 minutes by default), then persists its state and lets it go.
        await using var app = await PublishedApp.StartAsync(AppProcess.FreeLoopbackPort(),
            environment: new Dictionary<string, string> { ["Circuits__DisconnectedCircuitRetentionPeriod"] = "00:00:02" });
        var room = Names.Unique("tunnel").ToLowerInvariant();
        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Bob"));
        await bob.CreateRoomAsync(room);
        var adaName = Names.Unique("Ada");
        await using var ada = await ChatUser.OpenAsync(server.Browser, app.BaseUri, adaName);
        await ada.Page.GotoAsync($"/r/{room}");
        await ada.JoinAsync();
        await Expect(bob.Online.GetByText(adaName)).ToHaveCountAsync(1);
        await ada.MessageBox.FillAsync("written in the tunnel");
        await ada.Page.EvaluateAsync("() => { window.notReloaded = true; }");
        var banner = ada.Page.GetByRole(AriaRole.Status).Filter(new() { Has = ada.Page.Locator("#components-reconnect-current-attempt") });

        var circuits = CircuitsOpened(app);

        await ada.CutNetworkAsync();
        await Expect(banner.GetByText("Connection lost. Reconnecting")).ToBeVisibleAsync();
        // Gone for the server: the chat lets her go after 5 s without a transport, by then her circuit is gone too.
        await Expect(bob.Online.GetByText(adaName)).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        ada.RestoreNetwork();

        // Nobody clicks anything: the next attempt finds no circuit, and the tab resumes into a new one.
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Expect(ada.Header).ToContainTextAsync($"# {room}");
        await Expect(ada.MessageBox).ToHaveValueAsync("written in the tunnel");
        Assert.True(await ada.Page.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await Expect(bob.Online.GetByText(adaName)).ToHaveCountAsync(1);
        // A new circuit from the persisted state, not the old one reconnected.
        Assert.Equal(circuits + 1, CircuitsOpened(app));
        Assert.DoesNotContain(" reconnected", app.Log, StringComparison.Ordinal);
        await ada.SendButton.ClickAsync();
        await Expect(bob.Messages).ToContainTextAsync("written in the tunnel");
    }

    // The server's proof of life logs each circuit it opens.
    private static int CircuitsOpened(AppProcess app) =>
        app.Log.Split('\n').Count(line => line.Contains("a user connected: tab", StringComparison.Ordinal));
}
