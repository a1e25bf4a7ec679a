using BlazorChat.Components.Shared;

namespace BlazorChat.Components.Layout;

/// <summary>
/// What the app shell (<see cref="MainLayout"/>) draws around the page, as the page and its parts need it (scoped to the
/// circuit): the side panel, with its menu button, only while the page has something to put in it (a joined tab), and
/// MudBlazor's popover, dialog and snackbar providers only from the first moment something may open one (a joined tab,
/// or the theme menu). Each costs every circuit that has it (components, their render trees, JS listeners): a tab
/// waiting on the join form needs none of them.
/// </summary>
public sealed class ShellState
{
    private readonly Listeners _listeners = new();

    /// <summary>Whether the side panel and its menu button are shown.</summary>
    public bool SidePanel { get; private set; }

    /// <summary>Whether the popover, dialog and snackbar providers are rendered. Once on, they stay.</summary>
    public bool Popups { get; private set; }

    public void ShowSidePanel(bool show)
    {
        if (SidePanel == show)
            return;
        SidePanel = show;
        _listeners.Notify();
    }

    public void EnablePopups()
    {
        if (Popups)
            return;
        Popups = true;
        _listeners.Notify();
    }

    /// <summary>Calls <paramref name="onChange"/> after every change until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(Action onChange) => _listeners.Subscribe(onChange);
}
