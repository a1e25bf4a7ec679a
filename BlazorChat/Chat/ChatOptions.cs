namespace BlazorChat.Chat;

/// <summary>Chat settings, bound from the "Chat" configuration section.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>How long a message waits for its recipients' acknowledgements before it shows "not delivered".</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a tab may be without its transport (network gone, laptop asleep, browser killed without saying
    /// goodbye) before it counts as gone: it leaves its namespace, so the person shows offline and nobody waits
    /// for its acknowledgements. Blazor keeps the circuit for minutes; when its transport comes back, the tab
    /// reconnects where it was and catches up.
    /// </summary>
    public TimeSpan AwayAfterTransportLoss { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The shortest while over which arrivals, departures and room counts are told together (<see cref="PresenceDigest"/>);
    /// the while grows with the namespace. Zero tells each change on its own, at once.
    /// </summary>
    public TimeSpan PresenceWindow { get; set; } = PresenceDigest.MinWindow;

    /// <summary>Tenants allowed to open a <c>/tenant-{name}</c> namespace; empty allows any valid name.</summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>Per-person limits on messages, typing signals and room joins ("Chat:RateLimits"), see <see cref="ChatRateLimiter"/>.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();
}
