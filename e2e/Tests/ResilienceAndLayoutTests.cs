using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>What a person sees when the connection drops, and on a phone.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class ResilienceAndLayoutTests(ChatServerFixture server)
{
    [Fact]
    public async Task WhenTheServerGoesAway_ThePageSaysItIsReconnecting_AndOnceItIsBack_ReloadsAndRejoinsByItself()
    {
        var port = AppProcess.FreeLoopbackPort();
        var app = await PublishedApp.StartAsync(port);
        await using var erin = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Erin"));
        var banner = erin.Page.GetByRole(AriaRole.Status).Filter(new() { Has = erin.Page.Locator("#components-reconnect-current-attempt") });
        await Expect(banner).ToBeHiddenAsync();
        // The browser remembers her name a moment after the joined page shows (a script call that follows its render):
        // a server stopped before that would find nobody to rejoin, as it would for a person who had not joined yet.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!(await erin.Context.CookiesAsync()).Any(c => c.Name == "bc-name"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the browser never remembered the name it joined under");
            await Task.Delay(50);
        }

        await app.StopAsync();
        await Expect(banner.GetByText("Connection lost. Reconnecting")).ToBeVisibleAsync();

        // A restarted server no longer knows the circuit (nor the person): the page reloads itself, and Erin is back in
        // the chat under her name (the browser remembers it) without a click, instead of a dead page with a button.
        await using var restarted = await PublishedApp.StartAsync(port);
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 60_000 }); // reloaded: the old page kept its message box under the banner
        await Expect(erin.MessageBox).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(erin.Online.GetByText(erin.Name)).ToBeVisibleAsync();
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/signin?signedOut=true")]
    public async Task WhileTheStylesheetIsStillLoading_NoReconnectBannerShows(string path)
    {
        // A slow network delivers the page before app.css: the banner must not flash "Connection lost" (nor, on the
        // static sign-in page, sit beside "You signed out" as a second status) until the stylesheet has come.
        await using var context = await server.Browser.NewContextAsync(new() { BaseURL = server.App.BaseUri.ToString() });
        var page = await context.NewPageAsync();
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/css/app*.css*", async route =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await route.ContinueAsync();
        });
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("body")).ToContainTextAsync("BlazorChat");
        try
        {
            await Expect(page.GetByText("Connection lost")).ToBeHiddenAsync();
            await Expect(page.GetByText("This chat session has ended")).ToBeHiddenAsync();
            if (path.Contains("signedOut"))
                await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^You signed out"));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task ABrowserThatVanishesWithoutGoodbye_GoesOfflineForOthersWithinSeconds_NotAfterTheCircuitExpires()
    {
        var bobName = Names.Unique("Bob");
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, bobName);
        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(1);

        await bob.VanishAsync();

        // Blazor keeps the circuit for 3 minutes; the chat lets the tab go after 5 s without its transport.
        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Expect(alice.Messages.GetByText($"{bobName} left the chat")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task OnAPhone_TheChatFitsTheScreen_AndTheSidePanelOpensFromTheHeader()
    {
        var phone = new ViewportSize { Width = 390, Height = 844 };
        await using var fay = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Fay"), phone);
        await fay.SendAsync("hello from a phone");
        await Expect(fay.Messages).ToContainTextAsync("hello from a phone");
        await Expect(fay.SendButton).ToBeInViewportAsync();

        var overflow = await fay.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px at phone width.");

        // The side panel starts folded away on a phone and opens from the header's toggle.
        await Expect(fay.Online).Not.ToBeInViewportAsync();
        await fay.Page.GetByRole(AriaRole.Button, new() { Name = "Show or hide rooms and people" }).ClickAsync();
        await Expect(fay.Online.GetByText(fay.Name)).ToBeInViewportAsync();

        // Opened, it slides over the transcript rather than squeezing it into a sliver.
        var transcript = await fay.Messages.BoundingBoxAsync();
        Assert.NotNull(transcript);
        Assert.True(transcript.Width >= phone.Width - 20, $"The transcript shrank to {transcript.Width}px with the side panel open.");

        // A tap beside it, on the dimmed chat, folds it away again.
        await fay.Page.Mouse.ClickAsync(phone.Width - 20, phone.Height / 2);
        await Expect(fay.Online).Not.ToBeInViewportAsync();
        await Expect(fay.Page.GetByRole(AriaRole.Button, new() { Name = "Show or hide rooms and people" })).ToHaveAttributeAsync("aria-expanded", "false");
    }

    [Fact]
    public async Task OnADesktop_TheSidePanelSitsBesideTheChat_AndTheHeadersButtonFoldsItAwayAndBack()
    {
        var desktop = new ViewportSize { Width = 1280, Height = 800 };
        await using var gus = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Gus"), desktop);
        var toggle = gus.Page.GetByRole(AriaRole.Button, new() { Name = "Show or hide rooms and people" });
        await Expect(gus.Online.GetByText(gus.Name)).ToBeInViewportAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        var beside = (await gus.Messages.BoundingBoxAsync())!;
        Assert.True(beside.X >= 200, $"The transcript starts at {beside.X}px: under the side panel, not beside it.");

        await toggle.ClickAsync();

        await Expect(gus.Online).Not.ToBeInViewportAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        // The chat takes the whole width (after the panel's slide).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((await gus.Messages.BoundingBoxAsync())!.X >= 50 && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Assert.True((await gus.Messages.BoundingBoxAsync())!.X < 50, "The chat stayed beside the folded panel instead of taking the width.");

        await toggle.ClickAsync();
        await Expect(gus.Online.GetByText(gus.Name)).ToBeInViewportAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
    }
}
