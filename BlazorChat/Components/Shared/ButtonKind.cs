namespace BlazorChat.Components.Shared;

/// <summary>What a <see cref="ChatButton"/> is for; its look follows from that, in one place.</summary>
public enum ButtonKind
{
    /// <summary>Anything else: Cancel, a minor action (a text button).</summary>
    Plain,

    /// <summary>The one main action of a form or dialog: Send, Join, Create, Invite.</summary>
    Main,

    /// <summary>An action beside the main content that is not its purpose: Leave room, Grant admin.</summary>
    Secondary,

    /// <summary>A button in the app bar, in the bar's own colour.</summary>
    Header,
}
