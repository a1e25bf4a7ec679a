using BlazorChat.Components.Layout;
using BlazorChat.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>
/// What the shell draws around the page (ShellState): a tab on the join form has no side panel and none of MudBlazor's
/// popup providers (each costs every idle circuit), a joined tab has both, and going back to the join form folds the
/// panel away again.
/// </summary>
[Collection(WholePageCollection.Name)]
public sealed class ShellTests : ChatUiContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TestChat _chat = new();
    private readonly ChatSession _session;

    public ShellTests()
    {
        _session = _chat.NewSession("user-ada");
        Services.AddSingleton(_chat.Server);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(_session);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected override Task DisposeTestAsync() => _chat.DisposeAsync().AsTask();

    private const string MenuButton = "button[aria-label='Show or hide rooms and people']";

    [Fact]
    public void TheJoinForm_HasNoSidePanel_NoMenuButton_AndNoPopupProviders()
    {
        var cut = this.RenderChatPage();

        cut.Find("#display-name");
        Assert.Empty(cut.FindAll("#chat-sidebar"));
        Assert.Empty(cut.FindAll(MenuButton));
        Assert.Empty(cut.FindComponents<MudPopoverProvider>());
        Assert.Empty(cut.FindComponents<MudDialogProvider>());
        Assert.Empty(cut.FindComponents<MudSnackbarProvider>());
    }

    [Fact]
    public void AJoinedTab_HasTheSidePanel_ItsMenuButton_AndThePopupProviders()
    {
        var cut = Join(this.RenderChatPage(), "Ada");

        cut.WaitForAssertion(() =>
        {
            Assert.NotNull(cut.Find("#chat-sidebar nav[aria-label=Rooms]"));
            Assert.Equal("chat-sidebar", cut.Find(MenuButton).GetAttribute("aria-controls"));
            Assert.Single(cut.FindComponents<MudPopoverProvider>());
            Assert.Single(cut.FindComponents<MudDialogProvider>());
            Assert.Single(cut.FindComponents<MudSnackbarProvider>());
        }, Wait);
    }

    [Fact]
    public void TheMenuButton_FoldsThePanelAwayAndBack()
    {
        var cut = Join(this.RenderChatPage(), "Ada");
        cut.WaitForAssertion(() => cut.Find(MenuButton), Wait);

        // Open or folded as the (test) viewport's width decides, then the button turns it over and back.
        var open = cut.Find(MenuButton).GetAttribute("aria-expanded");
        Assert.Contains(open, new[] { "true", "false" });

        cut.Find(MenuButton).Click();
        Assert.NotEqual(open, cut.Find(MenuButton).GetAttribute("aria-expanded"));
        cut.Find(MenuButton).Click();
        Assert.Equal(open, cut.Find(MenuButton).GetAttribute("aria-expanded"));
    }

    [Fact]
    public void ChangingName_BackOnTheJoinForm_FoldsTheSidePanelAway_ButKeepsTheProviders()
    {
        var cut = Join(this.RenderChatPage(), "Ada");
        cut.WaitForAssertion(() => cut.Find("#chat-sidebar"), Wait);

        cut.Find("button[aria-label='Change name']").Click();

        cut.WaitForAssertion(() =>
        {
            cut.Find("#display-name");
            Assert.Empty(cut.FindAll("#chat-sidebar"));
            Assert.Empty(cut.FindAll(MenuButton));
        }, Wait);
        Assert.Single(cut.FindComponents<MudSnackbarProvider>()); // a snackbar already shown stays until it closes
    }

    [Fact]
    public void State_NotifiesOnlyOnAChange_AndNoOneOnceUnsubscribed()
    {
        var shell = new ShellState();
        var changes = 0;
        var subscription = shell.Subscribe(() => changes++);

        shell.ShowSidePanel(true);
        shell.ShowSidePanel(true);
        shell.EnablePopups();
        shell.EnablePopups();
        shell.ShowSidePanel(false);
        Assert.Equal(3, changes);
        Assert.False(shell.SidePanel);
        Assert.True(shell.Popups);

        subscription.Dispose();
        shell.ShowSidePanel(true);
        Assert.Equal(3, changes);
    }

    private static IRenderedComponent<MainLayout> Join(IRenderedComponent<MainLayout> cut, string name)
    {
        cut.Find("#display-name").Input(name);
        cut.Find("form.join-form").Submit();
        cut.WaitForAssertion(() => cut.Find("#message-input"), Wait);
        return cut;
    }
}
