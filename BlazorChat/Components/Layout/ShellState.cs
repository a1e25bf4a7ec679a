using BlazorChat.Components.Shared;

namespace BlazorChat.Components.Layout;

/// <summary>
/// What the app shell (<see cref="AppShell"/>) draws around the page as the page and its parts need it (scoped to the
/// circuit): each of MudBlazor's popover, dialog and snackbar providers only from the first moment something opens one
/// of its kind. Each costs every circuit that has it (components, their render trees, JS listeners), and most tabs never
/// open a menu, a dialog or a snackbar.
/// </summary>
public sealed class ShellState
{
    private readonly Listeners _listeners = new();
    private readonly TaskCompletionSource _dialogsRendered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether MudBlazor's popover provider is rendered (menus). Once on, it stays.</summary>
    public bool Popovers { get; private set; }

    /// <summary>Whether MudBlazor's dialog provider is rendered. Once on, it stays.</summary>
    public bool Dialogs { get; private set; }

    /// <summary>Whether MudBlazor's snackbar provider is rendered. Once on, it stays.</summary>
    public bool Snackbars { get; private set; }

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

    /// <summary>The shell rendered (its providers as they are now): called by <see cref="AppShell"/> after each render.</summary>
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
