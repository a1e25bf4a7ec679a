using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Shared;

/// <summary>
/// "N unread" beside a conversation, in MudBlazor's badge colours, and nothing at zero. Markup, not a component: it is
/// on every room and conversation row of every joined tab, and a component would cost each of them a render tree
/// for one span.
/// </summary>
public static class UnreadBadge
{
    public static RenderFragment Of(int count) => builder =>
    {
        if (count <= 0)
            return;
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "unread mud-theme-primary");
        builder.AddAttribute(2, "aria-label", $"{count} unread");
        builder.AddContent(3, count > 99 ? "99+" : count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.CloseElement();
    };
}
