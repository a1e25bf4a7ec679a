using BlazorChat.Components.Theme;
using BlazorChat.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace BlazorChat.Tests.Components;

/// <summary>The light and dark themes: the person's choice, the system's preference, and the header's switch.</summary>
public sealed class ThemeTests : ChatUiContext
{
    // As the server prerenders; a test of the live circuit says so.
    public ThemeTests() => SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    private ThemeState State => Services.GetRequiredService<ThemeState>();

    [Theory]
    [InlineData("dark", "0", ThemeChoice.Dark, true)]
    [InlineData("light", "1", ThemeChoice.Light, false)]
    [InlineData("system", "1", ThemeChoice.System, true)]
    [InlineData("system", "0", ThemeChoice.System, false)]
    [InlineData(null, "1", ThemeChoice.System, true)]
    [InlineData("<script>", "yes", ThemeChoice.System, false)]
    [InlineData("7", null, ThemeChoice.System, false)]
    public void Cookies_GiveTheChoice_AndAnythingUnknownFollowsTheSystem(string? choice, string? systemDark, ThemeChoice expected, bool dark)
    {
        var state = new ThemeState();
        state.Load(choice, systemDark);

        Assert.Equal(expected, state.Choice);
        Assert.Equal(dark, state.IsDark);
    }

    [Fact]
    public void Provider_FollowsTheSystem_UntilThePersonChooses()
    {
        var cut = Render<ChatThemeProvider>();
        var provider = cut.FindComponent<MudThemeProvider>();
        Assert.False(Dark(provider));

        cut.InvokeAsync(() => State.SystemChanged(true));
        cut.WaitForAssertion(() => Assert.True(Dark(provider)));

        cut.InvokeAsync(() => State.Choose(ThemeChoice.Light));
        cut.WaitForAssertion(() => Assert.False(Dark(provider)));

        // A chosen theme stays whatever the system does next.
        cut.InvokeAsync(() => State.SystemChanged(false));
        cut.InvokeAsync(() => State.SystemChanged(true));
        Assert.False(Dark(provider));
    }

    [Fact]
    public void Provider_AsksTheBrowserWhatItPrefers_OnceInteractive()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode", _ => true).SetResult(true);

        var cut = Render<ChatThemeProvider>();

        cut.WaitForAssertion(() => Assert.True(Dark(cut.FindComponent<MudThemeProvider>())));
        Assert.True(State.SystemDark);
    }

    [Fact]
    public void Switch_ChoosingDark_ThemesThePage_AndRemembersTheChoiceInTheBrowser()
    {
        var cut = Render(Switch());

        cut.Find("button[aria-label=Theme]").Click();
        cut.FindAll("[role=menuitemradio]").Single(i => i.TextContent.Contains("Dark", StringComparison.Ordinal)).Click();

        // The menu closes first, then runs the item's action.
        cut.WaitForAssertion(() => Assert.Equal(ThemeChoice.Dark, State.Choice));
        Assert.True(State.IsDark);
        cut.WaitForAssertion(() => Assert.Single(JSInterop.Invocations, i => i.Identifier == "blazorChat.saveTheme"));
        var save = JSInterop.Invocations.Single(i => i.Identifier == "blazorChat.saveTheme");
        Assert.Equal("dark", save.Arguments[0]);
    }

    [Fact]
    public void Switch_MarksTheCurrentChoice()
    {
        State.Load("dark", "0");
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
            builder.OpenComponent<ChatThemeProvider>(0); // with its popover provider, which the switch's menu needs
            builder.CloseComponent();
            builder.OpenComponent<ThemeSwitch>(1);
            builder.CloseComponent();
        });
        Assert.Equal(2, State.SubscriberCount);

        await DisposeComponentsAsync();

        Assert.Equal(0, State.SubscriberCount);
        State.Choose(ThemeChoice.Dark); // nobody left to render: must not throw
    }

    private static bool Dark(IRenderedComponent<MudThemeProvider> provider) => provider.Instance.GetState(p => p.IsDarkMode);

    private static RenderFragment Switch() => builder =>
    {
        builder.OpenComponent<MudPopoverProvider>(0);
        builder.CloseComponent();
        builder.OpenComponent<ThemeSwitch>(1);
        builder.CloseComponent();
    };
}
