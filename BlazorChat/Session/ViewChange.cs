namespace BlazorChat.Session;

/// <summary>
/// Which parts of the screen an event changed, so a page renders only those: with a thousand people in a room, a
/// message re-renders each tab's transcript, not its layout, sidebar and composer.
/// </summary>
[Flags]
public enum ViewChange
{
    None = 0,

    /// <summary>The conversation on screen: its lines, or the delivery state of one of your messages.</summary>
    Transcript = 1,

    /// <summary>Who is typing in the conversation on screen.</summary>
    Typing = 2,

    /// <summary>The people side: who is online, private conversations and their unread counts, a private room's members.</summary>
    People = 4,

    /// <summary>The rooms: their list, member counts and unread counts.</summary>
    Rooms = 8,

    /// <summary>Everything, header included (a new namespace, a new set of private rooms).</summary>
    Everything = Transcript | Typing | People | Rooms | 16,
}
