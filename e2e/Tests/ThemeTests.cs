using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>Light and dark: the browser's preference first, the person's own choice once made, kept across reloads.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class ThemeTests(ChatServerFixture server)
{
    // The page's background, as the theme paints it: dark themes have a dark one.
    private static async Task<bool> LooksDarkAsync(IPage page) =>
        await page.EvaluateAsync<bool>("""
            () => {
                const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
                return (0.2126 * r + 0.7152 * g + 0.0722 * b) < 80;
            }
            """);

    [Theory]
    [InlineData(ColorScheme.Dark, true)]
    [InlineData(ColorScheme.Light, false)]
    public async Task ThePage_FollowsTheBrowsersColourScheme_FromItsFirstByte_AndLiveWhenItChanges(ColorScheme scheme, bool dark)
    {
        // Served in the browser's scheme before any script runs, on the very first visit (no cookie yet).
        await using var noScript = await server.Browser.NewContextAsync(new()
        {
            BaseURL = server.App.BaseUri.ToString(), ColorScheme = scheme, JavaScriptEnabled = false,
        });
        var served = await noScript.NewPageAsync();
        await served.GotoAsync("/");
        Assert.Equal(dark, await LooksDarkAsync(served));
        await served.GotoAsync("/account/signin");
        Assert.Equal(dark, await LooksDarkAsync(served));

        // In the live chat, the page follows when the system switches (night falls) without a reload.
        await using var context = await server.Browser.NewContextAsync(new() { BaseURL = server.App.BaseUri.ToString(), ColorScheme = scheme });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true })).ToBeEnabledAsync();
        Assert.Equal(dark, await LooksDarkAsync(page));
        await page.EmulateMediaAsync(new() { ColorScheme = dark ? ColorScheme.Light : ColorScheme.Dark });
        Assert.Equal(!dark, await LooksDarkAsync(page));
    }

    [Fact]
    public async Task ThePersonsChoice_OverridesTheBrowser_AndSurvivesAReload()
    {
        await using var user = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Theo"));
        await user.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        Assert.False(await LooksDarkAsync(user.Page));

        await user.Page.GetByRole(AriaRole.Button, new() { Name = "Theme", Exact = true }).ClickAsync();
        await user.Page.GetByRole(AriaRole.Menuitemradio, new() { Name = "Dark" }).ClickAsync();
        await Expect(user.Page.Locator("body")).ToHaveCSSAsync("background-color", new System.Text.RegularExpressions.Regex(@"rgb\((1\d|2\d|\d), "));
        Assert.True(await LooksDarkAsync(user.Page));

        await user.Page.ReloadAsync();
        await Expect(user.MessageBox).ToBeVisibleAsync();
        Assert.True(await LooksDarkAsync(user.Page));

        // Back to following the browser.
        await user.Page.GetByRole(AriaRole.Button, new() { Name = "Theme", Exact = true }).ClickAsync();
        await user.Page.GetByRole(AriaRole.Menuitemradio, new() { Name = "Match system" }).ClickAsync();
        await Expect(user.Page.Locator("body")).Not.ToHaveCSSAsync("background-color", new System.Text.RegularExpressions.Regex(@"rgb\((1\d|2\d|\d), "));
    }

    [Fact]
    public async Task TheThemeMenu_WorksOnTheJoinForm_WhereTheShellHasNoPopupProvidersYet()
    {
        // The join form's shell renders MudBlazor's popover provider only once something needs it (ShellState): the
        // first click on Theme brings it, and the menu opens on that same click.
        await using var context = await server.Browser.NewContextAsync(new() { BaseURL = server.App.BaseUri.ToString(), ColorScheme = ColorScheme.Light });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Display name" })).ToBeEnabledAsync();
        Assert.Equal(0, await page.Locator("#chat-sidebar").CountAsync());

        await page.GetByRole(AriaRole.Button, new() { Name = "Theme", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitemradio, new() { Name = "Dark" }).ClickAsync();

        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", new System.Text.RegularExpressions.Regex(@"rgb\((1\d|2\d|\d), "));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task OnAPhone_TheHeaderShowsTheRoomAndTheAccountButtons_WithoutOverflowing()
    {
        var phone = new ViewportSize { Width = 390, Height = 844 };
        await using var user = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Pia"), phone);

        await Expect(user.Header.GetByText("# general")).ToBeInViewportAsync();
        foreach (var name in new[] { "Sign in", "Register", "Theme", "Show or hide rooms and people" })
            await Expect(user.Header.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).Or(user.Header.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }))).ToBeInViewportAsync();
        var overflow = await user.Page.EvaluateAsync<int>("() => { const h = document.querySelector('header'); return h.scrollWidth - h.clientWidth; }");
        Assert.True(overflow <= 0, $"The header overflows by {overflow}px at phone width.");
    }
}
