using BlazorChat.Chat;

namespace BlazorChat.Moderation;

/// <summary>The events of moderation between a tab and the server.</summary>
public static class ModerationEvents
{
    // Client -> server (each returns an acknowledgement, or a refusal with its reason).
    /// <summary>Remove a message (<see cref="DeleteMessageRequest"/>): an admin anywhere, a private room's owner in it.</summary>
    public const string DeleteMessage = "moderation:delete-message";

    // Server -> client.
    /// <summary>A message was removed (<see cref="MessageRemoved"/>): every tab that shows it shows "message removed".</summary>
    public const string MessageRemoved = "message:removed";
}

/// <summary>Asks the server to remove a message of <paramref name="Conversation"/> in the sender's namespace.</summary>
/// <param name="Reason">Why, for the audit log; may be empty.</param>
public sealed record DeleteMessageRequest(string Conversation, Guid Id, string? Reason) : ChatEvent;

/// <summary>
/// A message of <paramref name="Room"/> (a room or a private conversation) was removed by a moderator: a new event the
/// view applies (it replaces the message's line with a removed one), never a change to the message a tab holds.
/// </summary>
public sealed record MessageRemoved(string Room, Guid Id, long Sequence) : ChatEvent;
