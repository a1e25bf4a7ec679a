using BlazorChat.Components.Theme;
using BlazorChat.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace BlazorChat.Tests.Components;

/// <summary>The light and dark themes: the person's choice, the system's preference, and the header's switch.</summary>
public sealed class ThemeTests : ChatUiContext
{
    // As the server prerenders; a test of the live circuit says so.
    public ThemeTests() => SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    private ThemeState State => Services.GetRequiredService<ThemeState>();

    [Theory]
    [InlineData("dark", ThemeChoice.Dark)]
    [InlineData("light", ThemeChoice.Light)]
    [InlineData("system", ThemeChoice.System)]
    [InlineData("DARK", ThemeChoice.Dark)]
    [InlineData(null, ThemeChoice.System)]
    [InlineData("", ThemeChoice.System)]
    [InlineData("<script>", ThemeChoice.System)]
    [InlineData("7", ThemeChoice.System)]
    public void TheCookie_GivesTheChoice_AndAnythingUnknownFollowsTheSystem(string? cookie, ThemeChoice expected)
    {
        var state = new ThemeState();
        state.Load(cookie);

        Assert.Equal(expected, state.Choice);
    }

    [Theory]
    [InlineData(false, "dark")]
    [InlineData(true, "system")]
    public void Provider_ReadsTheChoicesCookie_WhilePrerendering_NotInTheCircuit(bool interactive, string expected)
    {
        // The request the accessor holds in a circuit is the one that opened it, not one to read the page from.
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        request.Request.Headers.Cookie = $"{ThemeState.ChoiceCookie}=dark";
        Services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext = request;
        if (interactive)
            SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = Render<ChatThemeProvider>();

        Assert.Equal(expected, cut.Find("#chat-theme").GetAttribute("data-theme"));
    }

    [Fact]
    public void Provider_MarksThePageWithTheChoice_ForTheStylesheet()
    {
        var cut = Render<ChatThemeProvider>();
        Assert.Equal("system", cut.Find("#chat-theme").GetAttribute("data-theme"));

        cut.InvokeAsync(() => State.Choose(ThemeChoice.Dark));
        cut.WaitForAssertion(() => Assert.Equal("dark", cut.Find("#chat-theme").GetAttribute("data-theme")));

        cut.InvokeAsync(() => State.Choose(ThemeChoice.Light));
        cut.WaitForAssertion(() => Assert.Equal("light", cut.Find("#chat-theme").GetAttribute("data-theme")));
        // No theme is rendered into the circuit: the colours are the stylesheet's.
        Assert.Empty(cut.FindAll("style"));
        Assert.Empty(cut.FindComponents<MudThemeProvider>());
    }

    [Fact]
    public async Task Stylesheet_IsMudBlazorsThemeCss_LightByDefault_DarkWhenChosenOrWhenTheSystemPrefersIt()
    {
        var services = new ServiceCollection().AddLogging().AddMudServices()
            .AddSingleton<IJSRuntime>(JSInterop.JSRuntime).BuildServiceProvider();
        var theme = new ThemeStylesheet(services, NullLoggerFactory.Instance);

        await theme.StartAsync(CancellationToken.None);

        var css = theme.Css;
        // ChatTheme's own primaries: light's in :root, dark's where the marker says dark, or says system in a dark browser.
        var light = Block(css, ":root{");
        var chosenDark = Block(css, ":root:has(#chat-theme[data-theme=dark]){");
        var systemDark = Block(css, ":root:not(:has(#chat-theme[data-theme=light])){");
        Assert.Contains("--mud-palette-primary: rgba(81,43,212,1);", light, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-primary: rgba(179,157,255,1);", chosenDark, StringComparison.Ordinal);
        Assert.Equal(chosenDark, systemDark);
        Assert.True(css.IndexOf("@media (prefers-color-scheme: dark)", StringComparison.Ordinal) < css.IndexOf(":root:not(", StringComparison.Ordinal));
        // Every variable the light theme sets, the dark one sets too; MudBlazor's other rules (scrollbars) come once.
        Assert.Equal(Variables(light), Variables(chosenDark));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(css, "::-webkit-scrollbar-thumb:hover"));
        Assert.DoesNotContain("&#", css, StringComparison.Ordinal);
        Assert.Matches(@"^css/theme\.css\?v=[0-9a-f]{12}$", theme.Href);
    }

    private static string Block(string css, string opening)
    {
        var start = css.IndexOf(opening, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No block {opening} in the theme stylesheet.");
        start += opening.Length;
        return css[start..css.IndexOf('}', start)];
    }

    private static string[] Variables(string block) =>
        [.. System.Text.RegularExpressions.Regex.Matches(block, @"(--[\w-]+):").Select(m => m.Groups[1].Value).Order()];

    [Fact]
    public void Switch_ChoosingDark_ThemesThePage_AndRemembersTheChoiceInTheBrowser()
    {
        var cut = Render(Switch());

        cut.Find("button[aria-label=Theme]").Click();
        cut.FindAll("[role=menuitemradio]").Single(i => i.TextContent.Contains("Dark", StringComparison.Ordinal)).Click();

        // The menu closes first, then runs the item's action.
        cut.WaitForAssertion(() => Assert.Equal(ThemeChoice.Dark, State.Choice));
        cut.WaitForAssertion(() => Assert.Single(JSInterop.Invocations, i => i.Identifier == "blazorChat.saveTheme"));
        var save = JSInterop.Invocations.Single(i => i.Identifier == "blazorChat.saveTheme");
        Assert.Equal("dark", save.Arguments[0]);
    }

    [Fact]
    public void Switch_OpeningTheMenu_HasTheShellRenderMudBlazorsPopoverProvider_WhichTheMenuNeeds()
    {
        var shell = Services.GetRequiredService<BlazorChat.Components.Layout.ShellState>();
        var cut = Render<ThemeSwitch>();
        Assert.False(shell.Popovers); // the join form's header: no popover provider until something needs it

        cut.Find("button[aria-label=Theme]").Click();

        Assert.True(shell.Popovers);
    }

    [Fact]
    public void Switch_MarksTheCurrentChoice()
    {
        State.Load("dark");
        var cut = Render(Switch());

        cut.Find("button[aria-label=Theme]").Click();

        var checkedItems = cut.FindAll("[role=menuitemradio][aria-checked=true]");
        Assert.Contains("Dark", Assert.Single(checkedItems).TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchAndProvider_LeaveNoSubscriptionBehind_WhenDisposed()
    {
        var cut = Render(builder =>
        {
            builder.OpenComponent<ChatThemeProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<ThemeSwitch>(1);
            builder.CloseComponent();
        });
        Assert.Equal(2, State.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, State.SubscriberCount);
        State.Choose(ThemeChoice.Dark); // nobody left to render: must not throw
    }

    private static RenderFragment Switch() => builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<ThemeSwitch>(1);
        builder.CloseComponent();
    };
}
