using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace BlazorChat.Components.Shared;

/// <summary>
/// A MudBlazor icon (one of <c>MudBlazor.Icons</c>' SVG paths) as plain markup, for rows that render often and many
/// at a time (people, rooms): <c>MudIcon</c> is a component per icon, this is three elements. The icon strings are
/// constants of MudBlazor's, never user text.
/// </summary>
public static class Glyph
{
    public static RenderFragment Of(string icon) => builder => Render(builder, icon, "glyph");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MarkupString> Markups = new(StringComparer.Ordinal);

    /// <summary>
    /// The same as <see cref="Of"/>, as one markup string made once per icon: for rows a list repeats (a person's
    /// "Message" button), where the icon is then one frame instead of six.
    /// </summary>
    public static MarkupString Markup(string icon) => Markups.GetOrAdd(icon,
        static i => new MarkupString($"<svg class=\"glyph\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">{i}</svg>"));

    /// <summary>
    /// The icon exactly as <c>MudIcon</c> draws it (its classes and size), for inside MudBlazor's buttons: a button
    /// given its icon this way is one component instead of two, and every button in every circuit has one.
    /// </summary>
    public static RenderFragment Mud(string icon, Size size = Size.Medium) => builder => Render(builder, icon, size switch
    {
        Size.Small => "mud-icon-root mud-svg-icon mud-icon-size-small",
        Size.Large => "mud-icon-root mud-svg-icon mud-icon-size-large",
        _ => "mud-icon-root mud-svg-icon mud-icon-size-medium",
    });

    private static void Render(RenderTreeBuilder builder, string icon, string cssClass)
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", cssClass);
        builder.AddAttribute(2, "viewBox", "0 0 24 24");
        builder.AddAttribute(3, "aria-hidden", "true");
        builder.AddAttribute(4, "focusable", "false");
        builder.AddMarkupContent(5, icon);
        builder.CloseElement();
    }
}
