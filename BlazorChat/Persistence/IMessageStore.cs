namespace BlazorChat.Persistence;

/// <summary>A message to store. <see cref="Id"/> is made by the client, so a retry is the same message.</summary>
/// <param name="Participants">For a direct conversation, the two people in it (their unread counts and offline
/// queue come from it); empty for a room.</param>
public sealed record NewMessage(Guid Id, string Conversation, string SenderId, string SenderName, string Text,
    DateTimeOffset SentAt, IReadOnlyList<string> Participants);

/// <summary>A stored message: its place in its conversation is <see cref="Sequence"/>, 1, 2, 3… with no gaps.</summary>
/// <param name="Removed">A moderator removed it: it keeps its place, and its text is erased (empty).</param>
public sealed record StoredMessage(string Conversation, long Sequence, Guid Id, string SenderId, string SenderName, string Text, DateTimeOffset SentAt,
    bool Removed = false);

/// <summary>What an append did: stored a new message, or found the same message stored before (a retry).</summary>
public sealed record AppendResult(StoredMessage Message, bool Duplicate);

/// <summary>A conversation a person takes part in, with how far it goes and how far they have read.</summary>
public sealed record ConversationPosition(string Conversation, long LatestSequence, long ReadUpTo)
{
    public long Unread => Math.Max(0, LatestSequence - ReadUpTo);
}

/// <summary>
/// The message store seam: durable, ordered, idempotent history per conversation (a room or a direct
/// conversation). SQLite is the embedded default; every implementation passes the store contract suite.
/// </summary>
public interface IMessageStore : IAsyncDisposable
{
    /// <summary>
    /// Stores a message with the next sequence number of its conversation, atomically. When it returns, the
    /// message is durable. Appending a message whose id is already stored returns that message, unchanged,
    /// with <see cref="AppendResult.Duplicate"/> set.
    /// </summary>
    /// <exception cref="MessageIdConflictException">The id is already used by another sender or conversation.</exception>
    Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> messages after <paramref name="afterSequence"/>, oldest first (catch-up).</summary>
    Task<IReadOnlyList<StoredMessage>> ReadAfterAsync(string conversation, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <paramref name="limit"/> messages just before <paramref name="beforeSequence"/>, oldest first (a page
    /// of history; use <see cref="long.MaxValue"/> for the latest page).
    /// </summary>
    Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string conversation, long beforeSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The conversation's latest sequence number; 0 when it has no messages.</summary>
    Task<long> LatestSequenceAsync(string conversation, CancellationToken cancellationToken = default);

    /// <summary>Records that a person has read up to <paramref name="sequence"/>; a cursor never moves back.</summary>
    Task MarkReadAsync(string userId, string conversation, long sequence, CancellationToken cancellationToken = default);

    /// <summary>The direct conversations a person takes part in, and the rooms they have read, with unread counts.</summary>
    Task<IReadOnlyList<ConversationPosition>> ConversationsOfAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a message: it keeps its place (sequence) and reads as <see cref="StoredMessage.Removed"/> from then on, and
    /// its text is erased from the store, not hidden. Returns the message as now stored; null when
    /// <paramref name="conversation"/> has no message <paramref name="id"/> (nothing changed). Removing it again returns it again.
    /// </summary>
    Task<StoredMessage?> RemoveAsync(string conversation, Guid id, CancellationToken cancellationToken = default);
}

/// <summary>A client reused a message id that belongs to another sender or conversation; nothing was stored.</summary>
public sealed class MessageIdConflictException(Guid id)
    : InvalidOperationException($"The message id {id} is already used by another message; nothing was stored.")
{
    public Guid Id { get; } = id;
}
