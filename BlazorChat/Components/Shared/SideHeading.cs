using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Shared;

/// <summary>
/// The heading row of a part of the side panel (namespaces, rooms, direct messages): its title, which also names the
/// part's navigation landmark, and buttons at its end. Markup, not a component: every joined tab has these parts, and
/// a component would cost each of them a render tree for a heading.
/// </summary>
public static class SideHeading
{
    public static RenderFragment Of(string label, RenderFragment? actions = null) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "side-heading-row");
        builder.AddContent(2, SharedMarkup.Heading(label));
        builder.AddContent(5, actions);
        builder.CloseElement();
    };
}
