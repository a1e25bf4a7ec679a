using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Shared;

/// <summary>
/// A one-line form of the side panel: a text box and its button (New room + Create, Team space + Open), in the look
/// of the app's text boxes and of a small main ChatButton. Markup in its parent's render tree, which holds the text:
/// every joined tab has two of these forms, and a component costs each tab about 3 KiB (its render trees and state).
/// The box's label is for screen readers; the placeholder hints.
/// </summary>
public static class InlineForm
{
    private static readonly string ButtonClass = MudButtonLook.Button(ButtonKind.Main, small: true, "inline-button");

    /// <param name="inputId">The text box's id.</param>
    /// <param name="label">The text box's accessible name.</param>
    /// <param name="value">The text in the box.</param>
    /// <param name="onInput">Called on every edit (<c>EventCallback.Factory.CreateBinder</c> keeps the parent's field).</param>
    /// <param name="onSubmit">Submits the form (the button or Enter).</param>
    /// <param name="button">The button's text.</param>
    /// <param name="placeholder">A hint shown in the empty box.</param>
    /// <param name="buttonLabel">The button's accessible name, when its text alone would be unclear; else its text.</param>
    /// <param name="disabled">While an earlier submit is under way.</param>
    public static RenderFragment Of(string inputId, string label, string? value, EventCallback<ChangeEventArgs> onInput,
        EventCallback onSubmit, string button, string? placeholder = null, string? buttonLabel = null, bool disabled = false) => builder =>
    {
        builder.OpenElement(0, "form");
        builder.AddAttribute(1, "class", "inline-form");
        builder.AddAttribute(2, "onsubmit", onSubmit);
        builder.AddAttribute(3, "novalidate", true);
        builder.AddContent(4, SharedMarkup.HiddenLabel(inputId, label));
        builder.OpenElement(8, "input");
        builder.AddAttribute(9, "id", inputId);
        builder.AddAttribute(10, "class", "chat-input inline-input");
        builder.AddAttribute(11, "placeholder", placeholder);
        builder.AddAttribute(12, "autocomplete", "off");
        builder.AddAttribute(13, "value", value);
        builder.AddAttribute(14, "oninput", onInput);
        builder.SetUpdatesAttributeName("value");
        builder.CloseElement();
        builder.OpenElement(15, "button");
        builder.AddAttribute(16, "type", "submit");
        builder.AddAttribute(17, "class", ButtonClass);
        builder.AddAttribute(18, "disabled", disabled);
        builder.AddAttribute(19, "aria-label", buttonLabel);
        builder.AddContent(20, SharedMarkup.ButtonLabel(button));
        builder.CloseElement();
        builder.CloseElement();
    };
}
