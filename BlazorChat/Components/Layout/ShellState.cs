using BlazorChat.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Layout;

/// <summary>
/// What the app shell (<see cref="MainLayout"/>) draws around the page, as the page and its parts need it (scoped to the
/// circuit): the page's parts (where the person is, who they are, and the side panel, with its menu button, only while
/// the page has something to put in it: a joined tab), and each of MudBlazor's popover, dialog and snackbar providers
/// only from the first moment something opens one of its kind. Each costs every circuit that has it (components, their
/// render trees, JS listeners), and most tabs never open a menu, a dialog or a snackbar.
/// </summary>
public sealed class ShellState
{
    private readonly Listeners _listeners = new();
    private readonly TaskCompletionSource _dialogsRendered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Where the person is: the namespace and the conversation on screen.</summary>
    public RenderFragment? Title { get; private set; }

    /// <summary>Who the person is, and signing in or out.</summary>
    public RenderFragment? Account { get; private set; }

    /// <summary>The side panel (namespaces, rooms, direct messages, people); none: no panel and no menu button.</summary>
    public RenderFragment? Sidebar { get; private set; }

    /// <summary>Whether the side panel and its menu button are shown.</summary>
    public bool SidePanel => Sidebar is not null;

    /// <summary>Whether MudBlazor's popover provider is rendered (menus). Once on, it stays.</summary>
    public bool Popovers { get; private set; }

    /// <summary>Whether MudBlazor's dialog provider is rendered. Once on, it stays.</summary>
    public bool Dialogs { get; private set; }

    /// <summary>Whether MudBlazor's snackbar provider is rendered. Once on, it stays.</summary>
    public bool Snackbars { get; private set; }

    /// <summary>
    /// The page's parts, rendered by the shell with the page's state as it is when the shell renders: the page gives them
    /// at each of its renders, and the shell renders them again. (Sections did the same with an outlet, its content
    /// renderer and the page's content for each part: nine components in every tab.)
    /// </summary>
    public void ShowParts(RenderFragment title, RenderFragment account, RenderFragment? sidebar)
    {
        (Title, Account, Sidebar) = (title, account, sidebar);
        _listeners.Notify();
    }

    /// <summary>Has the shell render the popover provider. False when it already was.</summary>
    public bool EnablePopovers() => Enable(Popovers, () => Popovers = true);

    /// <summary>
    /// Has the shell render the snackbar provider, which shows the snackbars added before it too: a snackbar can be added
    /// right after this.
    /// </summary>
    public void EnableSnackbars() => Enable(Snackbars, () => Snackbars = true);

    /// <summary>
    /// Has the shell render the dialog provider, and completes once it has (a dialog shown before its provider exists
    /// would never appear): await this before <c>IDialogService.ShowAsync</c>.
    /// </summary>
    public Task EnableDialogsAsync()
    {
        Enable(Dialogs, () => Dialogs = true);
        return _dialogsRendered.Task;
    }

    /// <summary>The shell rendered (its providers as they are now): called by <see cref="MainLayout"/> after each render.</summary>
    public void Rendered()
    {
        if (Dialogs)
            _dialogsRendered.TrySetResult();
    }

    /// <summary>Calls <paramref name="onChange"/> after every change until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(Action onChange) => _listeners.Subscribe(onChange);

    private bool Enable(bool already, Action enable)
    {
        if (already)
            return false;
        enable();
        _listeners.Notify();
        return true;
    }
}
