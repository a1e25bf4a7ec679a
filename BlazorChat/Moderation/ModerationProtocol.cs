using BlazorChat.Chat;

namespace BlazorChat.Moderation;

/// <summary>The events of moderation between a tab and the server.</summary>
public static class ModerationEvents
{
    // Client -> server (each returns an acknowledgement, or a refusal with its reason).
    /// <summary>Remove a message (<see cref="DeleteMessageRequest"/>): an admin anywhere, a private room's owner in it.</summary>
    public const string DeleteMessage = "moderation:delete-message";

    /// <summary>Mute a person for a while (<see cref="MuteRequest"/>): an admin everywhere, a private room's owner in it.</summary>
    public const string Mute = "moderation:mute";

    /// <summary>End a person's mute (<see cref="UnmuteRequest"/>).</summary>
    public const string Unmute = "moderation:unmute";

    /// <summary>Disconnect a connection, or all of a person's (<see cref="DisconnectRequest"/>): admins only.</summary>
    public const string Disconnect = "moderation:disconnect";

    /// <summary>Ban a person (<see cref="BanRequest"/>): admins only. Their tabs end everywhere and they may not come back until it ends.</summary>
    public const string Ban = "moderation:ban";

    /// <summary>Lift a person's ban (<see cref="UnbanRequest"/>): admins only.</summary>
    public const string Unban = "moderation:unban";

    /// <summary>The server-side event by which a node has the others disconnect their tabs of a connection or person (<see cref="DisconnectOrder"/>).</summary>
    public const string DisconnectEvent = "moderation:disconnect";

    /// <summary>The server-side event by which a node tells the others that a person's mutes changed (<see cref="MutesChanged"/>).</summary>
    public const string MutesChangedEvent = "moderation:mutes-changed";

    // Server -> client.
    /// <summary>A message was removed (<see cref="MessageRemoved"/>): every tab that shows it shows "message removed".</summary>
    public const string MessageRemoved = "message:removed";

    /// <summary>A moderator made this tab join or leave a room (<see cref="RoomMovedByModerator"/>).</summary>
    public const string RoomMoved = "rooms:moved";
}

/// <summary>
/// A moderator made this tab join (<paramref name="Joined"/>) or leave <paramref name="Room"/>: the room appears in or
/// disappears from its room list, and <paramref name="Text"/> (the explanation line) shows in its transcript.
/// </summary>
public sealed record RoomMovedByModerator(string Room, bool Joined, string Text) : ChatEvent;

/// <summary>A system notice as stored: in <paramref name="Room"/> of <paramref name="Namespace"/>, its place <paramref name="Sequence"/>.</summary>
public sealed record NoticePosted(string Namespace, string Room, Guid Id, long Sequence);

/// <summary>One page of the audit log, newest first, and whether older entries follow.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, bool HasOlder);

/// <summary>Asks the server to remove a message of <paramref name="Conversation"/> in the sender's namespace.</summary>
/// <param name="Reason">Why, for the audit log; may be empty.</param>
public sealed record DeleteMessageRequest(string Conversation, Guid Id, string? Reason) : ChatEvent;

/// <summary>
/// A message of <paramref name="Room"/> (a room or a private conversation) was removed by a moderator: a new event the
/// view applies (it replaces the message's line with a removed one), never a change to the message a tab holds.
/// </summary>
public sealed record MessageRemoved(string Room, Guid Id, long Sequence) : ChatEvent;

/// <summary>
/// Mutes <paramref name="UserId"/> for <paramref name="Minutes"/>: everywhere when <paramref name="Room"/> is null (admins
/// only), else in that private room of the sender's namespace (its owner, or an admin).
/// </summary>
public sealed record MuteRequest(string? Room, string UserId, int Minutes, string? Reason) : ChatEvent;

/// <summary>Ends <paramref name="UserId"/>'s mute everywhere (null <paramref name="Room"/>) or in a private room.</summary>
public sealed record UnmuteRequest(string? Room, string UserId) : ChatEvent;

/// <summary>The mute now in force (the reply to <see cref="MuteRequest"/>).</summary>
public sealed record MuteSet(Mute Mute) : ChatEvent;

/// <summary>The reply to <see cref="UnmuteRequest"/>: whether there was a mute to end.</summary>
public sealed record MuteEnded(string UserId, bool WasMuted) : ChatEvent;

/// <summary>A person's mutes or ban changed on another node: forget what this node holds of them.</summary>
public sealed record MutesChanged(string UserId) : BlazorChat.Realtime.EventData;

/// <summary>Bans <paramref name="UserId"/> for <paramref name="Minutes"/>, or until lifted when it is null.</summary>
public sealed record BanRequest(string UserId, int? Minutes, string? Reason) : ChatEvent;

/// <summary>Lifts <paramref name="UserId"/>'s ban.</summary>
public sealed record UnbanRequest(string UserId) : ChatEvent;

/// <summary>The ban now in force (the reply to <see cref="BanRequest"/>).</summary>
public sealed record BanSet(Ban Ban) : ChatEvent;

/// <summary>The reply to <see cref="UnbanRequest"/>: whether there was a ban to lift.</summary>
public sealed record BanLifted(string UserId, bool WasBanned) : ChatEvent;

/// <summary>Disconnects one connection (<paramref name="ConnectionId"/>) or every connection of a person (<paramref name="UserId"/>): name one.</summary>
public sealed record DisconnectRequest(string? ConnectionId, string? UserId, string? Reason) : ChatEvent;

/// <summary>The reply to <see cref="DisconnectRequest"/>: how many connections (tabs, per namespace) were told to end.</summary>
public sealed record ConnectionsDisconnected(int Connections) : ChatEvent;

/// <summary>Every node ends its connections that match (the connection, or all of the person's), telling them <paramref name="Message"/>.</summary>
public sealed record DisconnectOrder(string? ConnectionId, string? UserId, string Message) : BlazorChat.Realtime.EventData;
