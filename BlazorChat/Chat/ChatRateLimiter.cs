using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace BlazorChat.Chat;

/// <summary>What a person does that <see cref="ChatRateLimiter"/> limits, each with a bucket of its own.</summary>
public enum RateLimitKind
{
    Messages,
    Typing,
    Joins,
    PrivateRooms,
}

/// <summary>
/// Flood control: one token bucket per person (their user id, as the server authenticated them) and kind of action,
/// shared by all their tabs in every namespace on this node (<see cref="RateLimitOptions"/>). The handlers ask before
/// anything is stored or sent, so an action over the limit changes nothing. Built on
/// <see cref="PartitionedRateLimiter"/>: it refills every bucket on its own timer, and lets go of a bucket that has been
/// full (idle) for a while, so people who stopped sending cost nothing. Per node: a person whose tabs are on two nodes
/// of a cluster has a bucket on each.
/// </summary>
public sealed partial class ChatRateLimiter : IDisposable
{
    public const string MessagesKind = "messages";
    public const string TypingKind = "typing";
    public const string JoinsKind = "joins";
    public const string PrivateRoomsKind = "private-rooms";

    private readonly PartitionedRateLimiter<(RateLimitKind Kind, string UserId)>? _limiter;
    private readonly RateLimitOptions _settings;
    private readonly IRateLimitObserver[] _observers;
    private readonly ILogger<ChatRateLimiter> _logger;
    private long _bucketsMade;

    /// <exception cref="ArgumentException">The settings cannot be used; the message names the setting.</exception>
    public ChatRateLimiter(IOptions<ChatOptions> options, ILogger<ChatRateLimiter> logger, IEnumerable<IRateLimitObserver>? observers = null)
    {
        _settings = options.Value.RateLimits;
        _logger = logger;
        _observers = [.. observers ?? []];
        if (_settings.Validate() is { } invalid)
            throw new ArgumentException(invalid, nameof(options));
        if (_settings.Enabled)
            _limiter = PartitionedRateLimiter.Create<(RateLimitKind Kind, string UserId), (RateLimitKind, string)>(
                action => RateLimitPartition.GetTokenBucketLimiter(action, MakeBucket));
    }

    /// <summary>Whether anything is limited (<see cref="RateLimitOptions.Enabled"/>).</summary>
    public bool Enabled => _limiter is not null;

    /// <summary>How many buckets have been made since start-up: one per person and kind, again after one was let go.</summary>
    public long BucketsMade => Interlocked.Read(ref _bucketsMade);

    /// <summary>
    /// Takes one token of <paramref name="userId"/>'s bucket for <paramref name="kind"/>: null when the action may go
    /// ahead, else how long until it may (at least the time one token takes to come back, never zero).
    /// </summary>
    public TimeSpan? TryAcquire(RateLimitKind kind, string userId)
    {
        if (_limiter is null)
            return null;
        using var lease = _limiter.AttemptAcquire((kind, userId));
        if (lease.IsAcquired)
            return null;
        var limit = LimitOf(kind);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : limit.TokenEvery;
        LogRefused(NameOf(kind), userId, retryAfter.TotalSeconds);
        foreach (var observer in _observers)
        {
            try
            {
                observer.RateLimitRefused(NameOf(kind));
            }
            catch (Exception ex)
            {
                LogObserverFailed(ex);
            }
        }
        return retryAfter;
    }

    /// <summary>What a person sees when a message is refused: "Slow down: you can send again in 4 s. …".</summary>
    public static string SlowDownSending(TimeSpan retryAfter) =>
        string.Create(CultureInfo.InvariantCulture, $"Slow down: you can send again in {WholeSeconds(retryAfter)} s. This message was not sent.");

    /// <summary>What a person sees when a room join is refused.</summary>
    public static string SlowDownJoining(TimeSpan retryAfter) =>
        string.Create(CultureInfo.InvariantCulture, $"Slow down: you can join a room again in {WholeSeconds(retryAfter)} s.");

    /// <summary>What a person sees when creating a private room, inviting into one or removing from one is refused.</summary>
    public static string SlowDownPrivateRooms(TimeSpan retryAfter) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Slow down: you can create a private room, invite or remove someone again in {WholeSeconds(retryAfter)} s. Nothing was changed.");

    /// <summary>Seconds as a person reads them: rounded up, at least 1 (never "0 s" while still refused).</summary>
    public static int WholeSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    public static string NameOf(RateLimitKind kind) => kind switch
    {
        RateLimitKind.Messages => MessagesKind,
        RateLimitKind.Typing => TypingKind,
        RateLimitKind.PrivateRooms => PrivateRoomsKind,
        _ => JoinsKind,
    };

    private TokenBucketLimit LimitOf(RateLimitKind kind) => kind switch
    {
        RateLimitKind.Messages => _settings.Messages,
        RateLimitKind.Typing => _settings.Typing,
        RateLimitKind.PrivateRooms => _settings.PrivateRooms,
        _ => _settings.Joins,
    };

    private TokenBucketRateLimiterOptions MakeBucket((RateLimitKind Kind, string UserId) action)
    {
        Interlocked.Increment(ref _bucketsMade);
        var limit = LimitOf(action.Kind);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = limit.TokenEvery,
            // Refused at once, never queued: a queued message would be stored later, behind the person's back.
            QueueLimit = 0,
            // The partitioned limiter refills its buckets on its own timer (one for all of them, not one per person).
            AutoReplenishment = false,
        };
    }

    public void Dispose() => _limiter?.Dispose();

    // Debug: a flood is one line per refused action, and must not become a flood of logs; IRateLimitObserver counts them.
    [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "Rate limit: {Kind} of {UserId} refused, allowed again in {RetryAfterSeconds} s")]
    private partial void LogRefused(string kind, string userId, double retryAfterSeconds);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "A rate-limit observer failed")]
    private partial void LogObserverFailed(Exception exception);
}
