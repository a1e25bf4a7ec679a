namespace BlazorChat.Chat;

/// <summary>The chat's event names: what clients send to a namespace, and what the namespace sends back.</summary>
public static class ChatEvents
{
    // Client -> server (each returns an acknowledgement).
    public const string JoinRoom = "room:join";
    public const string LeaveRoom = "room:leave";
    public const string SendMessage = "message:send";
    public const string SendDirect = "direct:send";
    public const string Typing = "typing";
    public const string History = "history";
    public const string MarkRead = "read";
    public const string CreatePrivateRoom = "room:create-private";
    public const string InviteToRoom = "room:invite";
    public const string RemoveFromRoom = "room:remove";
    public const string FindPerson = "people:find";
    public const string SearchPeople = "people:search";

    // Server -> client.
    public const string Welcome = "welcome";
    public const string Message = "message";
    public const string Direct = "direct";
    public const string Presence = "presence";
    /// <summary>This tab's node missed broadcasts for a while: fetch what follows what the tab has (<see cref="DeliveriesMissed"/>).</summary>
    public const string CatchUp = "catch-up";
    public const string Rooms = "rooms";
    public const string PrivateRooms = "rooms:private";
    public const string TypingChanged = "typing:changed";
    public const string Delivery = "delivery";
    public const string Announcement = "announcement";
    /// <summary>The rooms a person is in changed in another of their tabs (<see cref="RoomMembership"/>).</summary>
    public const string Membership = "rooms:joined";
    /// <summary>The person read a conversation in another of their tabs (<see cref="ReadMarked"/>).</summary>
    public const string ReadMarked = "read:marked";
}

/// <summary>A room as the room list shows it: its name and how many people are in it.</summary>
public sealed record RoomSummary(string Name, int Members);

// ---- client -> server ----

public sealed record JoinRoomRequest(string Room) : ChatEvent;

public sealed record LeaveRoomRequest(string Room) : ChatEvent;

/// <summary>Creates an invite-only room titled <paramref name="Title"/> (room name rules); its creator owns it.</summary>
public sealed record CreatePrivateRoomRequest(string Title) : ChatEvent;

/// <summary>A member invites a person (by user id) into a private room.</summary>
public sealed record InviteToRoomRequest(string Room, string UserId) : ChatEvent;

/// <summary>The owner of a private room removes a member.</summary>
public sealed record RemoveFromRoomRequest(string Room, string UserId) : ChatEvent;

/// <summary>A message for a room. <paramref name="Id"/> is made by the client, so a retry is the same message.</summary>
public sealed record SendMessageRequest(Guid Id, string Room, string Text) : ChatEvent;

/// <summary>A private message to one person (all their tabs).</summary>
public sealed record SendDirectRequest(Guid Id, string ToUserId, string Text) : ChatEvent;

public sealed record TypingRequest(string Room, bool IsTyping) : ChatEvent;

/// <summary>
/// A page of a conversation's history: the <paramref name="Limit"/> messages before <paramref name="Before"/>
/// (scrolling up; <see cref="long.MaxValue"/> for the latest), or, when <paramref name="After"/> is set, the
/// ones after it (catching up after a gap or a reconnect).
/// </summary>
public sealed record HistoryRequest(string Conversation, long Before = long.MaxValue, long? After = null, int Limit = 50) : ChatEvent;

/// <summary>Who is <paramref name="UserId"/> in this namespace (online, or seen here, or in a conversation with the asker)?</summary>
public sealed record FindPersonRequest(string UserId) : ChatEvent;

/// <summary>The answer to <see cref="FindPersonRequest"/>: the person, or null when nobody by that id is known here.</summary>
public sealed record PersonFound(Person? Person) : ChatEvent;

/// <summary>People to message privately whose name contains <paramref name="Text"/>: online, seen here, or registered.</summary>
public sealed record SearchPeopleRequest(string Text) : ChatEvent;

/// <summary>The answer to <see cref="SearchPeopleRequest"/>, by name.</summary>
public sealed record PeopleFound(IReadOnlyList<Person> People) : ChatEvent;

/// <summary>The person has seen a conversation up to <paramref name="Sequence"/>.</summary>
public sealed record MarkReadRequest(string Conversation, long Sequence) : ChatEvent;

// ---- acknowledgements ----

/// <summary>The server stored the message: it is "sent", and durable.</summary>
public sealed record MessageAccepted(Guid Id, DateTimeOffset At, long Sequence = 0) : ChatEvent;

/// <summary>A page of history, oldest first. <paramref name="HasOlder"/>: there is more before it.</summary>
public sealed record HistoryPage(string Conversation, IReadOnlyList<ChatMessage> Messages, bool HasOlder) : ChatEvent;

/// <summary>
/// A private room as its members see it: only ever sent to them. <paramref name="Id"/> is its unguessable key (the
/// conversation key of its messages); <paramref name="Title"/> is what people call it.
/// </summary>
public sealed record PrivateRoomSummary(string Id, string Title, string OwnerId, IReadOnlyList<Person> Members);

/// <summary>A private room was created, or its members changed; the room as it is now.</summary>
public sealed record PrivateRoomUpdated(PrivateRoomSummary Room, IReadOnlyList<string> Joined) : ChatEvent;

/// <summary>The private rooms one person belongs to, sent to all their tabs whenever that set or a member list changes.</summary>
public sealed record PrivateRoomsChanged(IReadOnlyList<PrivateRoomSummary> Rooms) : ChatEvent;

/// <summary>
/// A room operation succeeded; the rooms this connection is in now. Also sent to the person's other tabs, which are
/// joined to and left from rooms together (one person across tabs).
/// </summary>
public sealed record RoomMembership(IReadOnlyList<string> Joined) : ChatEvent;

/// <summary>The person has read <paramref name="Conversation"/> up to <paramref name="Sequence"/> in one of their tabs.</summary>
public sealed record ReadMarked(string Conversation, long Sequence) : ChatEvent;

// ---- server -> client ----

/// <summary>
/// The first event of a connection: who it is, who is online, which rooms exist and which it is in, and the
/// conversations with messages it has not read (private messages sent while it was away among them).
/// </summary>
public sealed record NamespaceWelcome(string Namespace, string ConnectionId, Person You, IReadOnlyList<Person> Online,
    IReadOnlyList<RoomSummary> Rooms, IReadOnlyList<string> Joined, IReadOnlyList<UnreadConversation>? Unread = null,
    IReadOnlyList<PrivateRoomSummary>? PrivateRooms = null) : ChatEvent;

/// <summary>A conversation with unread messages; <paramref name="With"/> is the other person of a private one.</summary>
public sealed record UnreadConversation(string Conversation, Person? With, long Unread, long ReadUpTo);

/// <summary>A private message between two people; only their tabs receive it.</summary>
public sealed record DirectPosted(ChatMessage Message, Person To) : ChatEvent;

/// <summary>The namespace's rooms changed (created, emptied, or member counts moved).</summary>
public sealed record RoomsChanged(IReadOnlyList<RoomSummary> Rooms) : ChatEvent;

/// <summary>Volatile: someone started or stopped typing in a room.</summary>
public sealed record TypingChanged(string Room, Person Person, bool IsTyping) : ChatEvent;

/// <summary>How a message's delivery went: every recipient acknowledged it in time, or some did not.</summary>
public sealed record DeliveryReport(Guid MessageId, int Recipients, int Acknowledged) : ChatEvent
{
    public bool Delivered => Acknowledged == Recipients;
}

/// <summary>
/// A local line, never sent by the server: this tab's connection was ended by the server (access revoked, say), and why.
/// </summary>
public sealed record ConnectionEnded(string Namespace, string Text) : ChatEvent;

/// <summary>An announcement from the admin namespace, shown in every namespace.</summary>
public sealed record AnnouncementPosted(Person From, string Text, DateTimeOffset At) : ChatEvent;
