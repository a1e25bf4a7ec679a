using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BlazorChat.Components.Shared;

/// <summary>
/// A MudBlazor icon (one of <c>MudBlazor.Icons</c>' SVG paths) as plain markup: one markup frame, its string made once
/// per icon and look and shared by every circuit. <c>MudIcon</c> is a component per icon, and the same SVG built element
/// by element is six frames, kept twice (a component's current tree and the buffer for its next) by every tab that
/// shows it. The icon strings are constants of MudBlazor's, never user text.
/// </summary>
public static class Glyph
{
    private const string PlainClass = "glyph";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Icon, string Class), MarkupString> Markups = new();

    /// <summary>The icon in the app's own look (<c>glyph</c>), for rows and the side panel.</summary>
    public static MarkupString Of(string icon) => Svg(icon, PlainClass);

    /// <summary>
    /// The icon exactly as <c>MudIcon</c> draws it (its classes and size), for inside MudBlazor's buttons: a button
    /// given its icon this way is one component instead of two, and every button in every circuit has one.
    /// </summary>
    public static MarkupString Mud(string icon, Size size = Size.Medium) => Svg(icon, size switch
    {
        Size.Small => "mud-icon-root mud-svg-icon mud-icon-size-small",
        Size.Large => "mud-icon-root mud-svg-icon mud-icon-size-large",
        _ => "mud-icon-root mud-svg-icon mud-icon-size-medium",
    });

    private static MarkupString Svg(string icon, string cssClass) => Markups.GetOrAdd((icon, cssClass),
        static key => new MarkupString(
            $"<svg class=\"{key.Class}\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">{key.Icon}</svg>"));
}
