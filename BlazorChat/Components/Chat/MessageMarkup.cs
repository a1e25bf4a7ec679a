using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Chat;

/// <summary>
/// What a message shows inside its article (avatar, author, time, text) as HTML, made once per message and reader's
/// clock and shared by every tab that shows it and every render of its block. A message reaches a thousand tabs as one
/// object: built as render-tree frames, each tab made the same two dozen frames (and strings) for it on every render of
/// its block, and kept two copies of them (a component's current and previous tree). As markup, an article is its
/// element, two attributes and one frame holding this string.
/// </summary>
/// <remarks>
/// Everything from a person (name, text) is HTML-encoded here, so it renders as text, never as markup; the rest (the
/// hue, the time) is the app's own. Your own messages are not made this way: they show their delivery state and a
/// Retry button, which need the renderer's frames.
/// </remarks>
public static class MessageMarkup
{
    // Every character allowed as itself (names and texts in any script stay readable in the markup); the encoder still
    // encodes what HTML gives meaning to (< > & " ') and anything unsafe.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static readonly ConditionalWeakTable<ChatMessage, Look> Looks = [];

    /// <summary>A person's text (a name, a message) HTML-encoded for markup: it renders as text, never as markup.</summary>
    public static string Encode(string text) => Encoder.Encode(text);

    /// <summary>The look of <paramref name="message"/>, made on first use and kept while the message is.</summary>
    public static Look Of(ChatMessage message) => Looks.GetValue(message, static m => new Look(m));

    /// <summary>A message's accessible name and its article's inside, per reader's clock.</summary>
    public sealed class Look(ChatMessage message)
    {
        // Readers almost all share one offset. One object, swapped whole: tabs render on several threads at once.
        private Made? _last;

        /// <summary>
        /// The article's key (the message's id), boxed once and shared: keyed by the id itself, every tab boxed it again at
        /// every render of its block, into both of its trees (two objects per line per tab: 31 KiB per tab with a full window).
        /// </summary>
        public object Key { get; } = message.Id;

        /// <summary>"Author: text", the article's accessible name.</summary>
        public string Label { get; } = $"{message.Sender.DisplayName}: {message.Text}";

        /// <summary>The article's inside for a reader whose clock is <paramref name="utcOffset"/> from UTC.</summary>
        public MarkupString Body(TimeSpan utcOffset)
        {
            if (_last is { } last && last.Offset == utcOffset)
                return last.Body;
            var body = new MarkupString(
                $"<span class=\"avatar\" aria-hidden=\"true\" style=\"--hue: {Hue(message.Sender.UserId)}\">{Encoder.Encode(Initial(message.Sender.DisplayName))}</span>"
                + $"<div class=\"bubble\"><header><bdi class=\"author\">{Encoder.Encode(message.Sender.DisplayName)}</bdi>"
                + $"<time datetime=\"{message.SentAt:O}\">{Format(message.SentAt, utcOffset)}</time></header>"
                + $"<p class=\"text\" dir=\"auto\">{Encoder.Encode(message.Text)}</p></div>");
            _last = new Made(utcOffset, body);
            return body;
        }

        private sealed record Made(TimeSpan Offset, MarkupString Body);
    }

    /// <summary>A time as the reader's clock shows it.</summary>
    public static string Format(DateTimeOffset at, TimeSpan utcOffset) => at.ToOffset(utcOffset).ToString("HH:mm");

    /// <summary>The first letter of a name, for its avatar.</summary>
    public static string Initial(string name) =>
        name.EnumerateRunes().FirstOrDefault() is { Value: > 0 } first ? first.ToString().ToUpperInvariant() : "?";

    /// <summary>A stable hash (FNV-1a) of a user id: a person keeps their colour across restarts, unlike string.GetHashCode.</summary>
    public static int Hue(string userId)
    {
        var hash = 2166136261u;
        foreach (var c in userId)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % 360);
    }
}
