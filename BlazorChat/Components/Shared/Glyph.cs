using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace BlazorChat.Components.Shared;

/// <summary>
/// A MudBlazor icon (one of <c>MudBlazor.Icons</c>' SVG paths) as plain markup, for rows that render often and many
/// at a time (people, rooms): <c>MudIcon</c> is a component per icon, this is three elements. The icon strings are
/// constants of MudBlazor's, never user text.
/// </summary>
public static class Glyph
{
    public static RenderFragment Of(string icon) => builder => Render(builder, icon);

    private static void Render(RenderTreeBuilder builder, string icon)
    {
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", "glyph");
        builder.AddAttribute(2, "viewBox", "0 0 24 24");
        builder.AddAttribute(3, "aria-hidden", "true");
        builder.AddAttribute(4, "focusable", "false");
        builder.AddMarkupContent(5, icon);
        builder.CloseElement();
    }
}
