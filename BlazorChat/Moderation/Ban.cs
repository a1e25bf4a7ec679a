namespace BlazorChat.Moderation;

/// <summary>
/// <paramref name="UserId"/> may not sign in, enter a chat namespace nor come back as the same guest until
/// <paramref name="Until"/>, or, when it is null, until an administrator lifts the ban.
/// </summary>
public sealed record Ban(string UserId, DateTimeOffset? Until, string Reason, string ByUserId)
{
    /// <summary>
    /// The mute store scope that holds bans. Neither <see cref="Mute.Everywhere"/> nor a room's store key (which starts
    /// with its namespace's '/') can be it, so a ban is never taken for a mute.
    /// </summary>
    public const string Scope = "!ban";

    /// <summary>How the end of a ban without one is stored: a time every engine keeps to the millisecond.</summary>
    public static readonly DateTimeOffset Forever = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The ban as the mute store keeps it.</summary>
    public Mute AsMute() => new(UserId, Scope, Until ?? Forever, Reason, ByUserId);

    /// <summary>The ban a stored mute of scope <see cref="Scope"/> is.</summary>
    public static Ban From(Mute stored) => new(stored.UserId, stored.Until >= Forever ? null : stored.Until, stored.Reason, stored.ByUserId);

    /// <summary>The ban among a person's <paramref name="held"/> mutes that holds at <paramref name="now"/>, if any.</summary>
    public static Ban? Among(IEnumerable<Mute> held, DateTimeOffset now) =>
        held.FirstOrDefault(m => m.Scope == Scope && m.Until > now) is { } stored ? From(stored) : null;
}

/// <summary>
/// The durable list of bans. A ban is kept in the <see cref="IMuteStore"/> as a restriction of scope
/// <see cref="Ban.Scope"/>: one table, one writer and one contract on every engine (SQLite, PostgreSQL), so bans outlive a
/// restart and every node of a cluster reads the same.
/// </summary>
public sealed class BanStore(IMuteStore mutes)
{
    /// <summary>Bans a person, replacing any ban of theirs.</summary>
    /// <exception cref="ArgumentException">The user id is empty; nothing was stored.</exception>
    public Task SetAsync(Ban ban, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ban);
        if (ban.Until >= Ban.Forever)
            throw new ArgumentOutOfRangeException(nameof(ban), "A ban that never ends has no end time; nothing was stored.");
        return mutes.SetAsync(ban.AsMute(), cancellationToken);
    }

    /// <summary>Lifts a person's ban; returns whether there was one (expired or not).</summary>
    public Task<bool> RemoveAsync(string userId, CancellationToken cancellationToken = default) =>
        mutes.RemoveAsync(userId, Ban.Scope, cancellationToken);

    /// <summary>The person's ban that holds at <paramref name="now"/>, if any.</summary>
    public async Task<Ban?> FindAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Ban.Among(await mutes.ActiveAsync(userId, now, cancellationToken), now);

    /// <summary>Everyone's bans that hold at <paramref name="now"/>, at most <paramref name="count"/>, those that end soonest first.</summary>
    public async Task<IReadOnlyList<Ban>> ActiveAsync(DateTimeOffset now, int count, CancellationToken cancellationToken = default) =>
        [.. (await mutes.ListActiveAsync(now, count, cancellationToken)).Where(m => m.Scope == Ban.Scope).Select(Ban.From)];
}

/// <summary>The bans and mutes that hold now, as the dashboard lists them.</summary>
public sealed record ActiveRestrictions(IReadOnlyList<Ban> Bans, IReadOnlyList<Mute> Mutes);
