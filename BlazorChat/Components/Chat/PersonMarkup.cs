using System.Runtime.CompilerServices;
using BlazorChat.Chat;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Chat;

/// <summary>
/// What a row of the online list shows of a person (the presence dot and the name) as HTML, and the label of its
/// "Message" button: made once per person and shared by every tab that lists them and every render of the list. In a
/// namespace of a thousand, every tab lists the same people; built as frames, each tab made the same elements and
/// strings for each row it showed, on every render of the list, and kept two copies of them.
/// </summary>
/// <remarks>The name is HTML-encoded here (as <see cref="MessageMarkup"/> encodes), so it renders as text, never as markup.</remarks>
public static class PersonMarkup
{
    private static readonly ConditionalWeakTable<Person, Look> Looks = [];

    /// <summary>The look of <paramref name="person"/>, made on first use and kept while the person object is.</summary>
    public static Look Of(Person person) => Looks.GetValue(person, static p => new Look(p));

    /// <summary>A person's row inside and button label.</summary>
    public sealed class Look(Person person)
    {
        /// <summary>The presence dot and the name.</summary>
        public MarkupString Row { get; } = new(
            $"<span class=\"presence-dot\" aria-hidden=\"true\"></span><bdi class=\"name\">{MessageMarkup.Encode(person.DisplayName)}</bdi>");

        /// <summary>The accessible name of the button that opens a private conversation with them.</summary>
        public string MessageLabel { get; } = $"Message {person.DisplayName}";
    }
}
