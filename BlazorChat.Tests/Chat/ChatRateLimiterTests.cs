using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Chat;

/// <summary>
/// <see cref="ChatRateLimiter"/> on its own: one token bucket per person and kind, its burst, its refill, the wait it
/// reports, its settings, and that buckets nobody uses are let go.
/// </summary>
public sealed class ChatRateLimiterTests
{
    private static TokenBucketLimit Limit(int permits, TimeSpan period, int burst) => new() { Permits = permits, Period = period, Burst = burst };

    private static readonly TokenBucketLimit Roomy = Limit(100, TimeSpan.FromSeconds(1), 100);

    private static ChatRateLimiter Limiter(TokenBucketLimit? messages = null, TokenBucketLimit? typing = null, TokenBucketLimit? joins = null,
        bool enabled = true, IRateLimitObserver? observer = null) =>
        new(Options.Create(new ChatOptions
        {
            RateLimits = new RateLimitOptions { Enabled = enabled, Messages = messages ?? Roomy, Typing = typing ?? Roomy, Joins = joins ?? Roomy },
        }), NullLogger<ChatRateLimiter>.Instance, observer is null ? null : [observer]);

    [Fact]
    public void Burst_LetsThatManyThroughAtOnce_ThenRefusesWithTheTimeOneTokenTakes()
    {
        using var limiter = Limiter(messages: Limit(1, TimeSpan.FromMinutes(1), burst: 3));

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-ann")));
        var wait = limiter.TryAcquire(RateLimitKind.Messages, "user-ann");

        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(60, ChatRateLimiter.WholeSeconds(wait.Value));
    }

    [Fact]
    public void Buckets_ArePerPersonAndPerKind()
    {
        using var limiter = Limiter(messages: Limit(1, TimeSpan.FromMinutes(1), 1), typing: Limit(1, TimeSpan.FromMinutes(1), 1),
            joins: Limit(1, TimeSpan.FromMinutes(1), 1));

        Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-ann"));
        Assert.NotNull(limiter.TryAcquire(RateLimitKind.Messages, "user-ann"));

        Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-bob"));
        Assert.Null(limiter.TryAcquire(RateLimitKind.Typing, "user-ann"));
        Assert.Null(limiter.TryAcquire(RateLimitKind.Joins, "user-ann"));
        Assert.NotNull(limiter.TryAcquire(RateLimitKind.Typing, "user-ann"));
        Assert.NotNull(limiter.TryAcquire(RateLimitKind.Joins, "user-ann"));
    }

    [Fact]
    public async Task Refill_GivesBackATokenAfterItsTime_ButNeverMoreThanTheBurst()
    {
        // One token every 100 ms, at most 2 in the bucket.
        using var limiter = Limiter(messages: Limit(10, TimeSpan.FromSeconds(1), burst: 2));
        Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-ann"));
        Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-ann"));
        Assert.NotNull(limiter.TryAcquire(RateLimitKind.Messages, "user-ann"));

        await Eventually.HoldsAsync(() => Task.FromResult(limiter.TryAcquire(RateLimitKind.Messages, "user-ann") is null));

        // Long enough for 10 tokens: the bucket holds 2. Its refill runs on the partitioned limiter's own 100 ms clock, on
        // the thread pool, which a loaded machine can hold up past the second (a clean-clone CI run at fb4394e found the
        // bucket still empty): two tokens in a row, once the refill has run, and then none.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => Task.FromResult(
            limiter.TryAcquire(RateLimitKind.Messages, "user-ann") is null && limiter.TryAcquire(RateLimitKind.Messages, "user-ann") is null));
        Assert.NotNull(limiter.TryAcquire(RateLimitKind.Messages, "user-ann"));
    }

    [Fact]
    public void Disabled_RefusesNothingAndKeepsNoBuckets()
    {
        using var limiter = Limiter(messages: Limit(1, TimeSpan.FromMinutes(1), 1), enabled: false);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-ann")));
        Assert.False(limiter.Enabled);
        Assert.Equal(0, limiter.BucketsMade);
    }

    [Fact]
    public void ARefusal_IsToldToTheObserver_ByKind()
    {
        var observer = new RecordingObserver();
        using var limiter = Limiter(messages: Limit(1, TimeSpan.FromMinutes(1), 1), typing: Limit(1, TimeSpan.FromMinutes(1), 1), observer: observer);

        limiter.TryAcquire(RateLimitKind.Messages, "user-ann");
        limiter.TryAcquire(RateLimitKind.Typing, "user-ann");
        Assert.Empty(observer.Kinds);
        limiter.TryAcquire(RateLimitKind.Messages, "user-ann");
        limiter.TryAcquire(RateLimitKind.Typing, "user-ann");

        Assert.Equal([ChatRateLimiter.MessagesKind, ChatRateLimiter.TypingKind], observer.Kinds);
    }

    [Fact]
    public async Task IdleBuckets_AreLetGo()
    {
        // Each person's bucket is full again 10 ms after their one action; the partitioned limiter lets go of a bucket
        // that has been full for 10 s, so the next action of each makes a new one.
        using var limiter = Limiter(messages: Limit(100, TimeSpan.FromSeconds(1), burst: 1));
        var people = Enumerable.Range(0, 1000).Select(i => $"user-{i}").ToArray();
        foreach (var person in people)
            Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, person));
        Assert.Equal(1000, limiter.BucketsMade);

        await Task.Delay(TimeSpan.FromSeconds(12));
        foreach (var person in people)
            Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, person));

        Assert.Equal(2000, limiter.BucketsMade);
    }

    [Theory]
    [InlineData(0, 10, 10, "Chat:RateLimits:Messages:Permits must be at least 1; it is 0.")]
    [InlineData(10, 0, 10, "Chat:RateLimits:Messages:Period must be longer than zero; it is 00:00:00.")]
    [InlineData(10, -5, 10, "Chat:RateLimits:Messages:Period must be longer than zero; it is -00:00:05.")]
    [InlineData(10, 10, 0, "Chat:RateLimits:Messages:Burst must be at least 1; it is 0.")]
    public void BadSettings_AreRefusedWithTheSettingNamed(int permits, int periodSeconds, int burst, string reason)
    {
        var options = new RateLimitOptions { Messages = Limit(permits, TimeSpan.FromSeconds(periodSeconds), burst) };

        Assert.Equal(reason, options.Validate());
        var error = Assert.Throws<ArgumentException>(() => new ChatRateLimiter(Options.Create(new ChatOptions { RateLimits = options }),
            NullLogger<ChatRateLimiter>.Instance));
        Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadSettings_OfAnotherKind_NameThatKind_AndOffNothingIsChecked()
    {
        Assert.Equal("Chat:RateLimits:Joins:Burst must be at least 1; it is 0.",
            new RateLimitOptions { Joins = Limit(1, TimeSpan.FromMinutes(1), 0) }.Validate());
        Assert.StartsWith("Chat:RateLimits:Typing: 1000000 per 00:00:01 is more than one a millisecond",
            new RateLimitOptions { Typing = Limit(1_000_000, TimeSpan.FromSeconds(1), 5) }.Validate(), StringComparison.Ordinal);
        Assert.Equal("Chat:RateLimits:PrivateRooms:Permits must be at least 1; it is 0.",
            new RateLimitOptions { PrivateRooms = Limit(0, TimeSpan.FromMinutes(1), 5) }.Validate());
        Assert.Null(new RateLimitOptions { Enabled = false, Joins = Limit(0, TimeSpan.Zero, 0) }.Validate());
    }

    [Fact]
    public void Defaults_AreOn_TenMessagesPerTenSecondsInABurstOfTen()
    {
        var defaults = new ChatOptions().RateLimits;

        Assert.True(defaults.Enabled);
        Assert.Null(defaults.Validate());
        Assert.Equal((10, TimeSpan.FromSeconds(10), 10), (defaults.Messages.Permits, defaults.Messages.Period, defaults.Messages.Burst));
        Assert.Equal(TimeSpan.FromSeconds(1), defaults.Messages.TokenEvery);
    }

    [Theory]
    [InlineData(0.2, "Slow down: you can send again in 1 s. This message was not sent.")]
    [InlineData(4, "Slow down: you can send again in 4 s. This message was not sent.")]
    [InlineData(4.1, "Slow down: you can send again in 5 s. This message was not sent.")]
    public void SlowDown_SaysTheWholeSecondsLeft_RoundedUp(double seconds, string expected) =>
        Assert.Equal(expected, ChatRateLimiter.SlowDownSending(TimeSpan.FromSeconds(seconds)));

    private sealed class RecordingObserver : IRateLimitObserver
    {
        public List<string> Kinds { get; } = [];

        public void RateLimitRefused(string kind)
        {
            lock (Kinds)
                Kinds.Add(kind);
        }
    }
}
