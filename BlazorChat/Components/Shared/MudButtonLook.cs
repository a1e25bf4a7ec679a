namespace BlazorChat.Components.Shared;

/// <summary>
/// MudBlazor's button classes, as <c>MudButton</c> and <c>MudIconButton</c> 9.x write them, for the app's own buttons
/// (<see cref="ChatButton"/>, <see cref="ChatIconButton"/>), which render one plain element each. A MudButton is a
/// component with its own render tree, parameter state and attribute dictionary (about 2 KiB in every circuit, for
/// every button shown); the look comes entirely from MudBlazor's stylesheet and these classes, ripple included.
/// </summary>
public static class MudButtonLook
{
    // Made once per look and shared by every circuit (LiteralCache): only for extra classes written in the code.
    private static readonly LiteralCache<(ButtonKind Kind, bool Small, string? Extra), string> Buttons = new();

    public static string Button(ButtonKind kind, bool small, string? extra) =>
        Buttons.Of((kind, small, extra), static key => LiteralCache.IsLiteral(key.Extra),
            static key => ButtonClass(key.Kind, key.Small, key.Extra));

    private static string ButtonClass(ButtonKind kind, bool small, string? extra)
    {
        var (variant, color) = kind switch
        {
            ButtonKind.Main => ("filled", "primary"),
            ButtonKind.Secondary => ("outlined", "default"),
            ButtonKind.Header => ("text", "inherit"),
            _ => ("text", "default"),
        };
        var size = small ? "small" : "medium";
        var css = $"mud-button-root mud-button mud-button-{variant} mud-button-{variant}-{color} mud-button-{variant}-size-{size} mud-ripple";
        if (kind == ButtonKind.Header)
            css += " header-button";
        return extra is null ? css : $"{css} {extra}";
    }

    public static string IconButton(bool small) => small
        ? "mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon mud-icon-button-size-small"
        : "mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon";

    /// <summary>
    /// A button's other attributes (aria-label, title, form), each added on its own (<c>foreach ... AddAttribute</c>):
    /// the framework's AddMultipleAttributes would give the render tree of every component showing such a button a
    /// dictionary for checking duplicate names (about 0.5 KiB per circuit each). They never repeat the button's own.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, object>> Others(IReadOnlyDictionary<string, object>? attributes) =>
        attributes ?? (IEnumerable<KeyValuePair<string, object>>)[];

    /// <summary>An icon inside a button's label, before or after its text.</summary>
    public static string Icon(string side, bool small) => (side, small) switch
    {
        ("start", false) => "mud-button-icon-start mud-button-icon-size-medium",
        ("start", true) => "mud-button-icon-start mud-button-icon-size-small",
        ("end", false) => "mud-button-icon-end mud-button-icon-size-medium",
        ("end", true) => "mud-button-icon-end mud-button-icon-size-small",
        _ => $"mud-button-icon-{side} mud-button-icon-size-{(small ? "small" : "medium")}",
    };
}
