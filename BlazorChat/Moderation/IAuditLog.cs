namespace BlazorChat.Moderation;

/// <summary>
/// One moderation action as the audit log keeps it: who did what to whom, when, and why. <see cref="Id"/> is made by the
/// caller, so appending the same entry twice (a retry after a lost connection) keeps one.
/// </summary>
/// <param name="ActorId">The user id the server authenticated for whoever acted.</param>
/// <param name="ActorName">Their display name at the time, as it was shown.</param>
/// <param name="Action">What was done: one of <see cref="AuditActions"/>.</param>
/// <param name="Target">What it was done to: a user id, a connection id, a message id, a room or a namespace.</param>
/// <param name="Reason">Why, as the moderator wrote it; empty when none was given.</param>
public sealed record AuditEntry(Guid Id, DateTimeOffset At, string ActorId, string ActorName, string Action, string Target, string Reason);

/// <summary>Which entries <see cref="IAuditLog.RecentAsync"/> returns; a null field matches every entry.</summary>
public sealed record AuditFilter(string? ActorId = null, string? Action = null, string? Target = null)
{
    public static AuditFilter All { get; } = new();
}

/// <summary>The names of the actions the audit log records.</summary>
public static class AuditActions
{
    public const string DeleteMessage = "delete-message";
    public const string Mute = "mute";
    public const string Unmute = "unmute";
    public const string Ban = "ban";
    public const string Unban = "unban";
    public const string Disconnect = "disconnect";
    public const string Notice = "notice";
    public const string AddToRoom = "add-to-room";
    public const string RemoveFromRoom = "remove-from-room";
}

/// <summary>
/// The durable audit log of moderation actions (the seam the dashboard reads). SQLite is the embedded default (in the
/// message store's file); every implementation passes the audit log contract suite.
/// </summary>
public interface IAuditLog
{
    /// <summary>Stores an entry; when it returns, the entry is durable. An entry whose id is stored already is kept once.</summary>
    /// <exception cref="ArgumentException">The actor, action or target is empty; nothing was stored.</exception>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The latest <paramref name="count"/> entries that match <paramref name="filter"/>, newest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 1 to <see cref="MaxPage"/>.</exception>
    Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, AuditFilter filter, CancellationToken cancellationToken = default);

    /// <summary>The most entries one <see cref="RecentAsync"/> returns.</summary>
    const int MaxPage = 1000;
}

/// <summary>The checks every <see cref="IAuditLog"/> makes before it stores or reads anything.</summary>
public static class AuditLogRules
{
    /// <exception cref="ArgumentException">The actor, action or target is empty.</exception>
    public static void Validate(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (string.IsNullOrWhiteSpace(entry.ActorId))
            throw new ArgumentException("An audit entry needs the id of whoever acted; nothing was stored.", nameof(entry));
        if (string.IsNullOrWhiteSpace(entry.Action))
            throw new ArgumentException("An audit entry needs the action it records; nothing was stored.", nameof(entry));
        if (string.IsNullOrWhiteSpace(entry.Target))
            throw new ArgumentException("An audit entry needs the target of its action; nothing was stored.", nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.ActorName);
        ArgumentNullException.ThrowIfNull(entry.Reason);
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 1 to <see cref="IAuditLog.MaxPage"/>.</exception>
    public static void ValidatePage(int count, AuditFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, IAuditLog.MaxPage);
    }
}
