namespace BlazorChat.Chat;

/// <summary>
/// Who messages posted from outside the server (the emitter: a cron job, another service) come from. Its user id is
/// reserved: a guest's id is "guest-" and 32 hex digits and an account's is a GUID, so no person can have it. Its
/// messages are stored and shown as text like anyone's; a private one cannot be answered (nobody reads the replies).
/// </summary>
public static class SystemSender
{
    /// <summary>The reserved user id of every message the emitter posts.</summary>
    public const string UserId = "system";

    /// <summary>The name its messages are signed with unless the emitter is given another.</summary>
    public const string DefaultDisplayName = "System";

    /// <summary>Why a private message to the system sender is refused.</summary>
    public const string CannotAnswer = "Messages from the system cannot be answered: nobody reads the replies.";
}
