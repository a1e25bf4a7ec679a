using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Shared;

/// <summary>
/// A button that is only an icon, in MudIconButton's look (MudBlazor's classes, in the bar's colour): it always has an
/// accessible name (the label), which is also its tooltip unless a title says more. Markup in its parent's render
/// tree, not a MudIconButton nor a component of the app's own: the header's buttons are in every circuit, and a
/// component costs each circuit about 3 KiB (two render-tree buffers and its state; see MudButtonLook).
/// </summary>
public static class ChatIconButton
{
    /// <param name="icon">One of MudBlazor's <c>Icons</c>.</param>
    /// <param name="label">The button's accessible name.</param>
    /// <param name="onClick">What a click does.</param>
    /// <param name="title">The tooltip, when it says more than the label.</param>
    /// <param name="small">The small size (as in the account's row) or MudBlazor's medium one (the bar's own buttons).</param>
    /// <param name="attributes">Attributes for the button element itself (aria-expanded, aria-haspopup).</param>
    /// <param name="lookClass">The whole class, when it adds to <see cref="MudButtonLook.IconButton"/>'s (made once by the caller).</param>
    public static RenderFragment Of(string icon, string label, EventCallback onClick, string? title = null, bool small = true,
        IReadOnlyDictionary<string, object>? attributes = null, string? lookClass = null) => builder =>
    {
        builder.OpenElement(0, "button");
        builder.AddAttribute(1, "type", "button");
        builder.AddAttribute(2, "class", lookClass ?? MudButtonLook.IconButton(small));
        builder.AddAttribute(3, "aria-label", label);
        builder.AddAttribute(4, "title", title ?? label);
        builder.AddAttribute(5, "onclick", onClick);
        foreach (var (name, value) in MudButtonLook.Others(attributes))
            builder.AddAttribute(6, name, value);
        builder.AddContent(7, Glyph.Mud(icon));
        builder.CloseElement();
    };
}
