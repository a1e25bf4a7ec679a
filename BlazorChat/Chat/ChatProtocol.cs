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

    // Server -> client.
    public const string Welcome = "welcome";
    public const string Message = "message";
    public const string Direct = "direct";
    public const string Presence = "presence";
    public const string Rooms = "rooms";
    public const string TypingChanged = "typing:changed";
    public const string Delivery = "delivery";
    public const string Announcement = "announcement";
}

/// <summary>A room as the room list shows it: its name and how many people are in it.</summary>
public sealed record RoomSummary(string Name, int Members);

// ---- client -> server ----

public sealed record JoinRoomRequest(string Room) : ChatEvent;

public sealed record LeaveRoomRequest(string Room) : ChatEvent;

/// <summary>A message for a room. <paramref name="Id"/> is made by the client, so a retry is the same message.</summary>
public sealed record SendMessageRequest(Guid Id, string Room, string Text) : ChatEvent;

/// <summary>A private message to one person (all their tabs).</summary>
public sealed record SendDirectRequest(Guid Id, string ToUserId, string Text) : ChatEvent;

public sealed record TypingRequest(string Room, bool IsTyping) : ChatEvent;

// ---- acknowledgements ----

/// <summary>The server took the message: it is "sent".</summary>
public sealed record MessageAccepted(Guid Id, DateTimeOffset At) : ChatEvent;

/// <summary>A room operation succeeded; the rooms this connection is in now.</summary>
public sealed record RoomMembership(IReadOnlyList<string> Joined) : ChatEvent;

// ---- server -> client ----

/// <summary>The first event of a connection: who it is, who is online, which rooms exist and which it is in.</summary>
public sealed record NamespaceWelcome(string Namespace, string ConnectionId, Person You, IReadOnlyList<Person> Online,
    IReadOnlyList<RoomSummary> Rooms, IReadOnlyList<string> Joined) : ChatEvent;

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

/// <summary>An announcement from the admin namespace, shown in every namespace.</summary>
public sealed record AnnouncementPosted(Person From, string Text, DateTimeOffset At) : ChatEvent;
