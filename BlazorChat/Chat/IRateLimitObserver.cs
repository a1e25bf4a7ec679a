namespace BlazorChat.Chat;

/// <summary>
/// Told of every action <see cref="ChatRateLimiter"/> refuses: the seam for metrics. Register an implementation as a
/// singleton (<c>services.AddSingleton&lt;IRateLimitObserver&gt;(...)</c>); none is registered today. Called on the
/// sender's path, so it must be quick and must not throw.
/// </summary>
public interface IRateLimitObserver
{
    /// <param name="kind">What was refused: <see cref="ChatRateLimiter.MessagesKind"/>, <see cref="ChatRateLimiter.TypingKind"/>
    /// <see cref="ChatRateLimiter.JoinsKind"/> or <see cref="ChatRateLimiter.PrivateRoomsKind"/>.</param>
    void RateLimitRefused(string kind);
}
