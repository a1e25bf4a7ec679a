using System.Net;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Shared;

/// <summary>
/// Static bits of the side panel (a heading, a form's hidden label, a button's words) as one markup frame whose string
/// is made once and shared by every circuit, instead of an element, its attributes and its text in every tab's render
/// tree (kept twice there: the current tree and the buffer for the next). The text is HTML-encoded. Only text written
/// in the code (interned literals) is kept in the shared table, so it stays as small as the code's list of labels;
/// any other text gets its own, uncached markup.
/// </summary>
public static class SharedMarkup
{
    private static readonly LiteralCache<(string Format, string A, string B), MarkupString> Made = new();

    /// <summary><c>&lt;h2 class="side-heading"&gt;label&lt;/h2&gt;</c>.</summary>
    public static MarkupString Heading(string label) => Of("<h2 class=\"side-heading\">{1}</h2>", "", label);

    /// <summary>A visually hidden <c>label</c> for the input with id <paramref name="inputId"/>.</summary>
    public static MarkupString HiddenLabel(string inputId, string label) =>
        Of("<label for=\"{0}\" class=\"visually-hidden\">{1}</label>", inputId, label);

    /// <summary>A MudBlazor button's words: <c>&lt;span class="mud-button-label"&gt;text&lt;/span&gt;</c>.</summary>
    public static MarkupString ButtonLabel(string text) => Of("<span class=\"mud-button-label\">{1}</span>", "", text);

    /// <summary>
    /// Where the tab is, for the app bar: <c>&lt;span class="room-title"&gt;&lt;span class="ns"&gt;/&lt;/span&gt;
    /// &lt;bdi&gt;# general&lt;/bdi&gt;&lt;/span&gt;</c>, encoded, never shared (a conversation's title is a person's name).
    /// </summary>
    public static MarkupString RoomTitle(string @namespace, string title) =>
        Make("<span class=\"room-title\"><span class=\"ns\">{0}</span> <bdi>{1}</bdi></span>", @namespace, title);

    // The side panel renders these in every tab at every presence digest: made once per label (LiteralCache).
    private static MarkupString Of(string format, string a, string b) =>
        Made.Of((format, a, b), static key => LiteralCache.IsLiteral(key.A) && LiteralCache.IsLiteral(key.B),
            static key => Make(key.Format, key.A, key.B));

    private static MarkupString Make(string format, string a, string b) =>
        new(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, WebUtility.HtmlEncode(a), WebUtility.HtmlEncode(b)));
}
