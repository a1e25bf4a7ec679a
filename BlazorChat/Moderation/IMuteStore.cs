namespace BlazorChat.Moderation;

/// <summary>
/// A person may not send until <see cref="Until"/>: everywhere (<see cref="Everywhere"/>, an admin's mute) or in one
/// private room (its store key, a room owner's mute).
/// </summary>
public sealed record Mute(string UserId, string Scope, DateTimeOffset Until, string Reason, string ByUserId)
{
    /// <summary>The scope of a mute that holds in every namespace and conversation.</summary>
    public const string Everywhere = "*";
}

/// <summary>
/// The durable list of mutes (they survive a restart, and every node of a cluster reads the same). SQLite is the
/// embedded default (in the message store's file); every implementation passes the mute store contract suite.
/// </summary>
public interface IMuteStore
{
    /// <summary>Mutes a person in a scope until the mute's end, replacing any mute of theirs in that scope.</summary>
    /// <exception cref="ArgumentException">The user id or scope is empty; nothing was stored.</exception>
    Task SetAsync(Mute mute, CancellationToken cancellationToken = default);

    /// <summary>Ends a person's mute in a scope; returns whether there was one (expired or not).</summary>
    Task<bool> RemoveAsync(string userId, string scope, CancellationToken cancellationToken = default);

    /// <summary>A person's mutes that still hold at <paramref name="now"/>, ordered by scope.</summary>
    Task<IReadOnlyList<Mute>> ActiveAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Everyone's mutes (and bans, <see cref="Ban.Scope"/>) that still hold at <paramref name="now"/>, at most
    /// <paramref name="count"/>, ordered by scope (bans first, then mutes everywhere, then by room), then by end and person.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 1 to <see cref="MaxPage"/>.</exception>
    Task<IReadOnlyList<Mute>> ListActiveAsync(DateTimeOffset now, int count, CancellationToken cancellationToken = default);

    /// <summary>The most mutes one <see cref="ListActiveAsync"/> returns.</summary>
    const int MaxPage = 1000;
}

/// <summary>The checks every <see cref="IMuteStore"/> makes before it stores anything.</summary>
public static class MuteRules
{
    /// <exception cref="ArgumentException">The user id or scope is empty.</exception>
    public static void Validate(Mute mute)
    {
        ArgumentNullException.ThrowIfNull(mute);
        if (string.IsNullOrWhiteSpace(mute.UserId))
            throw new ArgumentException("A mute needs the id of the person muted; nothing was stored.", nameof(mute));
        if (string.IsNullOrWhiteSpace(mute.Scope))
            throw new ArgumentException("A mute needs its scope; nothing was stored.", nameof(mute));
        ArgumentNullException.ThrowIfNull(mute.Reason);
        ArgumentNullException.ThrowIfNull(mute.ByUserId);
    }

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 1 to <see cref="IMuteStore.MaxPage"/>.</exception>
    public static void ValidatePage(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, IMuteStore.MaxPage);
    }
}
