namespace BlazorChat.Chat;

/// <summary>A person as others see them. <see cref="UserId"/> comes from the server's authentication state.</summary>
public sealed record Person(string UserId, string DisplayName);

/// <summary>A message as stored and delivered. The text is user input: render it as text only.</summary>
/// <param name="Sequence">Its place in its conversation (1, 2, 3… with no gaps), given by the store; 0 for none.</param>
/// <param name="Removed">A moderator removed it: its text is gone (empty), and it shows as "message removed".</param>
public sealed record ChatMessage(Guid Id, string Room, string SenderConnectionId, Person Sender, string Text, DateTimeOffset SentAt, long Sequence = 0,
    bool Removed = false);

/// <summary>Every chat payload. Typed records, never (name, object[]) pairs.</summary>
public abstract record ChatEvent : BlazorChat.Realtime.EventData;

public sealed record MessagePosted(ChatMessage Message) : ChatEvent;

/// <summary>A person came online in a namespace (their first tab entered). Sent to everyone but that person.</summary>
public sealed record PersonJoined(string Namespace, Person Person, DateTimeOffset At) : ChatEvent;

/// <summary>A person went offline in a namespace (their last tab left it).</summary>
public sealed record PersonLeft(string Namespace, Person Person, DateTimeOffset At) : ChatEvent;

/// <summary>
/// Who came online and who went offline in a namespace over a short while, in order, and the listed rooms' counts
/// after (null when they did not change): what <see cref="PresenceDigest"/> tells everyone at once. In a room of a
/// thousand, a thousand arrivals are a few of these in each tab, not a thousand events (and a thousand renders) each.
/// </summary>
public sealed record PeopleChanged(string Namespace, IReadOnlyList<PresenceChange> Changes, IReadOnlyList<RoomSummary>? Rooms, DateTimeOffset At) : ChatEvent;

/// <summary>A person came online (<paramref name="Online"/>) or went offline (their first tab entered, their last left).</summary>
public sealed record PresenceChange(Person Person, bool Online);

/// <summary>
/// A transcript line for arrivals and departures in a namespace with many people online: how many came and went in one
/// <see cref="PeopleChanged"/>, not a line per person.
/// </summary>
public sealed record PeopleCameAndWent(string Namespace, int Joined, int Left, DateTimeOffset At) : ChatEvent
{
    public string Text => (Joined, Left) switch
    {
        (> 0, > 0) => $"{People(Joined)} joined, {Left:N0} left",
        (> 0, _) => $"{People(Joined)} joined",
        _ => $"{People(Left)} left",
    };

    private static string People(int count) => count == 1 ? "1 person" : $"{count:N0} people";
}

/// <summary>
/// Everyone online in a namespace now, sent by a node to its own tabs when another node left the cluster with tabs
/// whose disconnects nobody heard. A tab treats each person it listed and this does not as gone (PersonLeft).
/// </summary>
public sealed record PeopleOnline(string Namespace, IReadOnlyList<Person> People, DateTimeOffset At) : ChatEvent;

/// <summary>
/// This tab's node was cut off from the other nodes for a while (its listening connection dropped): messages sent
/// through them meanwhile did not reach the tab. They are stored, so the tab fetches what follows the last message it
/// has in each conversation it shows: in order, each once. <paramref name="Unread"/> is the person's unread count in
/// each conversation as the store has it now, so the conversations it does not show count what it missed too.
/// </summary>
public sealed record DeliveriesMissed(string Namespace, IReadOnlyList<UnreadConversation>? Unread = null) : ChatEvent;
