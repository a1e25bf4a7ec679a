using System.Globalization;

namespace BlazorChat.Chat;

/// <summary>
/// Per-person flood control ("Chat:RateLimits"): a token bucket per person and kind of action, on this node. On by
/// default; tests and benchmarks whose subject is not flood control turn it off (<see cref="Enabled"/>).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Whether anything is limited. Off, every action is let through and nothing is counted.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Messages, to a room or to a person: 10 per 10 s, in a burst of up to 10.</summary>
    public TokenBucketLimit Messages { get; set; } = new() { Permits = 10, Period = TimeSpan.FromSeconds(10), Burst = 10 };

    /// <summary>Typing signals: 5 per 5 s, in a burst of up to 5. Those over it are dropped without a word.</summary>
    public TokenBucketLimit Typing { get; set; } = new() { Permits = 5, Period = TimeSpan.FromSeconds(5), Burst = 5 };

    /// <summary>Room joins (listed and private rooms): 20 per minute, in a burst of up to 20.</summary>
    public TokenBucketLimit Joins { get; set; } = new() { Permits = 20, Period = TimeSpan.FromMinutes(1), Burst = 20 };

    /// <summary>
    /// Private rooms: creating one, inviting someone into one, removing someone from one; 20 per minute, in a burst of up to
    /// 20 (a room made and a team invited at once). Each is a write to the store and a notice to every member's tabs.
    /// </summary>
    public TokenBucketLimit PrivateRooms { get; set; } = new() { Permits = 20, Period = TimeSpan.FromMinutes(1), Burst = 20 };

    /// <summary>Why these settings cannot be used (naming the setting and its value), or null when they can.</summary>
    public string? Validate(string section = $"{ChatOptions.Section}:RateLimits") =>
        !Enabled ? null
            : Messages.Validate($"{section}:{nameof(Messages)}")
              ?? Typing.Validate($"{section}:{nameof(Typing)}")
              ?? Joins.Validate($"{section}:{nameof(Joins)}")
              ?? PrivateRooms.Validate($"{section}:{nameof(PrivateRooms)}");
}

/// <summary>
/// One token bucket: <see cref="Permits"/> actions per <see cref="Period"/> on average, and up to <see cref="Burst"/> at
/// once. Tokens come back one at a time, every <see cref="Period"/> / <see cref="Permits"/> (10 per 10 s: one a second),
/// so a person who used their burst may act again soon rather than after the whole period.
/// </summary>
public sealed class TokenBucketLimit
{
    /// <summary>How many actions a person may take per <see cref="Period"/>, on average (at least 1).</summary>
    public int Permits { get; set; }

    /// <summary>The period <see cref="Permits"/> is counted over (more than zero).</summary>
    public TimeSpan Period { get; set; }

    /// <summary>How many actions may come at once, the bucket's size (at least 1); a new person starts with a full bucket.</summary>
    public int Burst { get; set; }

    /// <summary>How often one token comes back.</summary>
    public TimeSpan TokenEvery => Period / Permits;

    /// <summary>Why this limit cannot be used, or null when it can; <paramref name="name"/> is its configuration key.</summary>
    public string? Validate(string name)
    {
        if (Permits < 1)
            return string.Create(CultureInfo.InvariantCulture, $"{name}:{nameof(Permits)} must be at least 1; it is {Permits}.");
        if (Period <= TimeSpan.Zero)
            return string.Create(CultureInfo.InvariantCulture, $"{name}:{nameof(Period)} must be longer than zero; it is {Period}.");
        if (Burst < 1)
            return string.Create(CultureInfo.InvariantCulture, $"{name}:{nameof(Burst)} must be at least 1; it is {Burst}.");
        if (TokenEvery < TimeSpan.FromMilliseconds(1))
            return string.Create(CultureInfo.InvariantCulture,
                $"{name}: {Permits} per {Period} is more than one a millisecond; raise {nameof(Period)} or set {ChatOptions.Section}:RateLimits:Enabled to false.");
        return null;
    }
}

/// <summary>Checks "Chat:RateLimits" at start-up: settings that cannot work stop the app, with the setting named.</summary>
public sealed class RateLimitOptionsValidation : Microsoft.Extensions.Options.IValidateOptions<ChatOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, ChatOptions options) =>
        options.RateLimits.Validate() is { } invalid
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(invalid)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
