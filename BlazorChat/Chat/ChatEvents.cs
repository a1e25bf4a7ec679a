namespace BlazorChat.Chat;

/// <summary>A person as others see them. <see cref="UserId"/> comes from the server's authentication state.</summary>
public sealed record Person(string UserId, string DisplayName);

/// <summary>A message as stored and delivered. The text is user input: render it as text only.</summary>
public sealed record ChatMessage(Guid Id, string Room, string SenderConnectionId, Person Sender, string Text, DateTimeOffset SentAt);

/// <summary>Everything the registry delivers to a connection. Typed records, never (name, object[]) pairs.</summary>
public abstract record ChatEvent;

public sealed record MessagePosted(ChatMessage Message) : ChatEvent;

/// <summary>A person came online (their first tab joined). Sent to everyone except that connection.</summary>
public sealed record PersonJoined(string Room, Person Person, DateTimeOffset At) : ChatEvent;

/// <summary>A person went offline (their last tab left).</summary>
public sealed record PersonLeft(string Room, Person Person, DateTimeOffset At) : ChatEvent;

/// <summary>
/// The first event a new connection receives: who it is and who is online, taken atomically with the join,
/// so later <see cref="PersonJoined"/>/<see cref="PersonLeft"/> events apply on top of it without a gap.
/// </summary>
public sealed record Welcome(string ConnectionId, Person You, IReadOnlyList<Person> Online) : ChatEvent;
