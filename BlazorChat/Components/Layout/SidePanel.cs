using BlazorChat.Components.Shared;

namespace BlazorChat.Components.Layout;

/// <summary>
/// Whether the shell's side panel (rooms, people, conversations) is shown, and its markup's classes: MudDrawer's own
/// (responsive, folding away below MudBlazor's md breakpoint, 960 px, clipped under the app bar) on a plain
/// <c>aside</c> in the layout. A MudDrawer would cost every joined circuit about 35 KiB: its component, cascading value
/// and overlay, and the JS interop type metadata (window size, breakpoints, bounding rectangles) its viewport
/// subscription and height measurement serialize in each circuit, only to learn the window's width, which MudBlazor's
/// stylesheet already acts on. So the width is left to CSS: the panel starts as MudDrawer's initial responsive state
/// (shown from tablet width, hidden below), and the menu button flips it to the other state for the width at hand
/// (<see cref="Toggled"/>: folded away when wide, sliding over the chat when narrow, with MudOverlay's scrim).
/// </summary>
public sealed class SidePanel
{
    /// <summary>The menu button's accessible name (one button per width; CSS shows the one that applies).</summary>
    public const string ToggleLabel = "Show or hide rooms and people";

    private const string Drawer = "mud-drawer mud-drawer-fixed mud-drawer-pos-left mud-drawer-md mud-drawer-clipped-always mud-elevation-1 mud-drawer-responsive chat-sidebar";

    /// <summary>MudOverlay's classes as MudDrawer shows it over the page, dark.</summary>
    public const string ScrimClass = "mud-overlay mud-overlay-drawer chat-scrim";

    private IReadOnlyDictionary<string, object>? _wide;
    private IReadOnlyDictionary<string, object>? _narrow;

    /// <summary>The opposite of the width's default: folded away when wide, shown over the chat when narrow.</summary>
    public bool Toggled { get; private set; }

    public void Toggle()
    {
        Toggled = !Toggled;
        (_wide, _narrow) = (null, null);
    }

    // The classes are constants (one string for every circuit), not built at each render.
    private const string OpenPanel = Drawer + " mud-drawer--open mud-drawer--initial";
    private const string ToggledPanel = Drawer + " mud-drawer--closed toggled";

    /// <summary>
    /// MudLayout's classes (with <c>mud-layout</c>): with the panel shown from tablet width, MudBlazor's stylesheet moves the page beside it
    /// (as MudLayout does for an open responsive drawer); below that width the panel never moves the page.
    /// </summary>
    public string LayoutClass(bool hasPanel) => hasPanel && !Toggled
        ? "mud-layout chat-layout mud-drawer-open-responsive-md-left mud-drawer-left-clipped-always"
        : "mud-layout chat-layout";

    public string PanelClass => Toggled ? ToggledPanel : OpenPanel;

    /// <summary>The wide toggle's class (MudIconButton's, and <c>panel-toggle-wide</c>, which CSS shows from tablet width).</summary>
    public static readonly string WideToggleClass = MudButtonLook.IconButton(small: false) + " panel-toggle-wide";

    /// <summary>The narrow toggle's class (<c>panel-toggle-narrow</c>, shown below tablet width).</summary>
    public static readonly string NarrowToggleClass = MudButtonLook.IconButton(small: false) + " panel-toggle-narrow";

    /// <summary>The wide toggle's attributes: shown unless toggled.</summary>
    public IReadOnlyDictionary<string, object> WideToggle => _wide ??= Attributes(expanded: !Toggled);

    /// <summary>The narrow toggle's attributes: shown only when toggled.</summary>
    public IReadOnlyDictionary<string, object> NarrowToggle => _narrow ??= Attributes(expanded: Toggled);

    // Which width a toggle is for is in its class (WideToggleClass), not an attribute: each attribute is a frame in every
    // tab's layout tree, and the layout fits 64-frame buffers without it.
    private static Dictionary<string, object> Attributes(bool expanded) => new()
    {
        ["aria-expanded"] = expanded ? "true" : "false",
        ["aria-controls"] = "chat-sidebar",
    };
}
