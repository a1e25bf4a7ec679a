using BlazorChat.Components.Layout;
using BlazorChat.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>
/// What the shell draws around the page (ShellState): a tab on the join form has no side panel, a joined tab has one,
/// and going back to the join form folds it away again; MudBlazor's popup providers (each costs every circuit that has
/// one) come only with the first popup of their kind, in time to show it.
/// </summary>
[Collection(WholePageCollection.Name)]
public sealed class ShellTests : WholePageContext
{
    public ShellTests()
        : base(new TestChat()) => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

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
    public void AJoinedTab_HasTheSidePanel_AndItsMenuButton_ButNoPopupProvidersUntilItOpensAPopup()
    {
        var cut = Join(this.RenderChatPage(), "Ada");

        cut.WaitForAssertion(() =>
        {
            Assert.NotNull(cut.Find("#chat-sidebar nav[aria-label=Rooms]"));
            Assert.Equal("chat-sidebar", cut.Find(MenuButton).GetAttribute("aria-controls"));
        }, Wait);
        Assert.Empty(cut.FindComponents<MudPopoverProvider>());
        Assert.Empty(cut.FindComponents<MudDialogProvider>());
        Assert.Empty(cut.FindComponents<MudSnackbarProvider>());
    }

    [Fact]
    public void TheSidePanel_StartsAsMudDrawersInitialResponsiveState_AndEachWidthsMenuButtonFlipsIt()
    {
        var cut = Join(this.RenderChatPage(), "Ada");
        cut.WaitForAssertion(() => cut.Find("#chat-sidebar nav[aria-label=Rooms]"), Wait);
        string Expanded(string width) => cut.Find($"{MenuButton}.panel-toggle-{width}").GetAttribute("aria-expanded")!;

        // Shown from tablet width (the page beside it), hidden below: MudDrawer's own classes for that state.
        var panel = cut.Find("#chat-sidebar");
        Assert.Equal(MudDrawerClasses(open: true), Classes(panel).Except(["chat-sidebar"]).ToHashSet());
        Assert.Contains("mud-drawer-open-responsive-md-left", Classes(cut.Find(".mud-layout")));
        Assert.Equal(("true", "false"), (Expanded("wide"), Expanded("narrow")));
        Assert.Empty(cut.FindAll(".chat-scrim"));
        Assert.Empty(cut.FindComponents<MudDrawer>());

        cut.Find($"{MenuButton}.panel-toggle-narrow").Click();

        // Flipped: folded away when wide (MudDrawer's closed classes, the page full width), over the chat with
        // MudOverlay's scrim when narrow.
        Assert.Contains("mud-drawer--closed", Classes(cut.Find("#chat-sidebar")));
        Assert.DoesNotContain("mud-drawer--initial", Classes(cut.Find("#chat-sidebar")));
        Assert.DoesNotContain("mud-drawer-open-responsive-md-left", Classes(cut.Find(".mud-layout")));
        Assert.Equal(("false", "true"), (Expanded("wide"), Expanded("narrow")));

        cut.Find(".chat-scrim").Click();

        Assert.Equal(MudDrawerClasses(open: true), Classes(cut.Find("#chat-sidebar")).Except(["chat-sidebar"]).ToHashSet());
        Assert.Empty(cut.FindAll(".chat-scrim"));
        Assert.Equal(("true", "false"), (Expanded("wide"), Expanded("narrow")));
    }

    // The classes MudDrawer 9.x gives a responsive drawer at md, clipped under the app bar, before any viewport
    // notification: so a MudBlazor update that renames them fails here.
    private HashSet<string> MudDrawerClasses(bool open)
    {
        var mud = Render<MudLayout>(p => p.AddChildContent<MudDrawer>(d => d.Add(x => x.Open, open).Add(x => x.Variant, DrawerVariant.Responsive)
            .Add(x => x.Breakpoint, Breakpoint.Md).Add(x => x.ClipMode, DrawerClipMode.Always).Add(x => x.Elevation, 1)));
        return Classes(mud.Find("aside"));
    }

    private static HashSet<string> Classes(AngleSharp.Dom.IElement element) =>
        element.ClassList.ToHashSet();

    [Fact]
    public void OpeningADialog_RendersTheDialogProviderFirst_AndTheDialogShowsInIt()
    {
        var cut = Join(this.RenderChatPage(), "Ada");

        cut.WaitForAssertion(() => cut.Find("button[aria-label='New message']"), Wait);
        cut.Find("button[aria-label='New message']").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Single(cut.FindComponents<MudDialogProvider>());
            Assert.Contains("New message", cut.Find(".mud-dialog-title").TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.Empty(cut.FindComponents<MudSnackbarProvider>());
    }

    [Fact]
    public void ARefusal_RendersTheSnackbarProvider_WhichShowsTheSnackbarAddedJustBefore()
    {
        // Opened at a private conversation with nobody: the page refuses the address in a snackbar.
        var cut = this.RenderChatPage(with: "user-nobody");
        Join(cut, "Ada");

        cut.WaitForAssertion(() =>
        {
            Assert.Single(cut.FindComponents<MudSnackbarProvider>());
            Assert.Contains("nobody by that id", cut.Find(".mud-snackbar").TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.Empty(cut.FindComponents<MudDialogProvider>());
    }

    [Fact]
    public void ChangingName_BackOnTheJoinForm_FoldsTheSidePanelAway()
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
    }

    [Fact]
    public async Task State_NotifiesOnAChange_AndOnTheParts_AtEachPageRender_AndNoOneOnceUnsubscribed()
    {
        var shell = new ShellState();
        var changes = 0;
        var subscription = shell.Subscribe(() => changes++);

        Assert.True(shell.EnablePopovers());
        Assert.False(shell.EnablePopovers());
        shell.EnableSnackbars();
        shell.EnableSnackbars();
        Assert.Equal(2, changes);
        Assert.False(shell.SidePanel);

        // The page gives its parts at each of its renders: each time the shell renders them again.
        RenderFragment title = b => b.AddContent(0, "#general");
        shell.ShowParts(title, title, sidebar: title);
        shell.ShowParts(title, title, sidebar: null);
        Assert.Equal(4, changes);
        Assert.False(shell.SidePanel);
        Assert.Same(title, shell.Title);
        Assert.True(shell.Popovers && shell.Snackbars);
        Assert.False(shell.Dialogs);

        var unsubscribed = 0;
        shell.Subscribe(() => unsubscribed++).Dispose();

        // A dialog waits for the shell to have rendered its provider.
        var dialogs = shell.EnableDialogsAsync();
        Assert.True(shell.Dialogs);
        Assert.Equal(5, changes);
        Assert.Equal(0, unsubscribed);
        Assert.False(dialogs.IsCompleted);
        shell.Rendered();
        await dialogs.WaitAsync(Wait);
        Assert.True(shell.EnableDialogsAsync().IsCompleted);
        Assert.Equal(5, changes);
        subscription.Dispose();
    }

    private static IRenderedComponent<MainLayout> Join(IRenderedComponent<MainLayout> cut, string name)
    {
        cut.Find("#display-name").Input(name);
        cut.Find("form.join-form").Submit();
        cut.WaitForAssertion(() => cut.Find("#message-input"), Wait);
        return cut;
    }
}
