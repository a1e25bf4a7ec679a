namespace BlazorChat.Chat;

/// <summary>A person as others see them. <see cref="UserId"/> comes from the server's authentication state.</summary>
public sealed record Person(string UserId, string DisplayName);

/// <summary>A message as stored and delivered. The text is user input: render it as text only.</summary>
/// <param name="Sequence">Its place in its conversation (1, 2, 3… with no gaps), given by the store; 0 for none.</param>
public sealed record ChatMessage(Guid Id, string Room, string SenderConnectionId, Person Sender, string Text, DateTimeOffset SentAt, long Sequence = 0);

/// <summary>Every chat payload. Typed records, never (name, object[]) pairs.</summary>
public abstract record ChatEvent : BlazorChat.Realtime.EventData;

public sealed record MessagePosted(ChatMessage Message) : ChatEvent;

/// <summary>A person came online in a namespace (their first tab entered). Sent to everyone but that person.</summary>
public sealed record PersonJoined(string Namespace, Person Person, DateTimeOffset At) : ChatEvent;

/// <summary>A person went offline in a namespace (their last tab left it).</summary>
public sealed record PersonLeft(string Namespace, Person Person, DateTimeOffset At) : ChatEvent;

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
