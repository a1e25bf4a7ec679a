using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using BlazorChat.Monitoring;
using Npgsql;
using static BlazorChat.Persistence.Postgres.PostgresSql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// The message store for several nodes sharing one PostgreSQL database. A conversation's next number comes from its
/// <c>conversations</c> row, read and bumped in the same transaction as the insert, under that row's lock: whichever node
/// appends, numbers stay 1, 2, 3… without gaps or repeats. The client's message id is unique, so a retry on any node
/// finds the message stored before. Each store writes through one loop that commits whatever is waiting in one
/// transaction, sent in one round trip (group commit); reads use pooled connections and never wait for writes.
/// </summary>
public sealed partial class PostgresMessageStore : IMessageStore
{
    private const string MessageColumns = "conversation, seq, id, sender_id, sender_name, text, sent_at, removed";

    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PostgresDatabase _database;
    private readonly int _maxBatch;
    private readonly Task _writeLoop;
    private readonly ILogger<PostgresMessageStore> _logger;

    private readonly ChatMetrics? _metrics;

    public PostgresMessageStore(PostgresDatabase database, IOptions<StoreOptions> options, ILogger<PostgresMessageStore> logger,
        ChatMetrics? metrics = null)
        : this(database, options.Value.MaxBatch, logger, metrics)
    {
    }

    /// <param name="database">Shared with the room store; not disposed by this store.</param>
    /// <param name="metrics">Where each group commit's duration is recorded; nothing is when null.</param>
    public PostgresMessageStore(PostgresDatabase database, int maxBatch, ILogger<PostgresMessageStore> logger, ChatMetrics? metrics = null)
    {
        _database = database;
        _metrics = metrics;
        _maxBatch = Math.Max(1, maxBatch);
        _logger = logger;
        _writeLoop = Task.Run(RunWriteLoopAsync);
    }

    public async Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (AppendResult)(await EnqueueAsync(message, cancellationToken))!;
    }

    public Task MarkReadAsync(string userId, string conversation, long sequence, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new ReadMark(userId, conversation, sequence), cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadAfterAsync(string conversation, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadMessagesAsync($"SELECT {MessageColumns} FROM messages WHERE conversation = $1 AND seq > $2 ORDER BY seq LIMIT $3;",
            conversation, afterSequence, limit, reverse: false, cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string conversation, long beforeSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadMessagesAsync($"SELECT {MessageColumns} FROM messages WHERE conversation = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3;",
            conversation, beforeSequence, limit, reverse: true, cancellationToken);

    public async Task<long> LatestSequenceAsync(string conversation, CancellationToken cancellationToken = default) =>
        (await _database.QueryAsync("SELECT coalesce((SELECT last_sequence FROM conversations WHERE key = $1), 0);",
            reader => reader.GetInt64(0), cancellationToken, conversation)).Single();

    public async Task<IReadOnlyList<ConversationPosition>> ConversationsOfAsync(string userId, CancellationToken cancellationToken = default) =>
        await _database.QueryAsync("""
            SELECT c.conversation, coalesce(k.last_sequence, 0), coalesce(r.read_up_to, 0)
            FROM (SELECT conversation FROM participants WHERE user_id = $1
                  UNION SELECT conversation FROM read_cursors WHERE user_id = $1) AS c
            LEFT JOIN conversations k ON k.key = c.conversation
            LEFT JOIN read_cursors r ON r.user_id = $1 AND r.conversation = c.conversation
            ORDER BY c.conversation;
            """, reader => new ConversationPosition(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)), cancellationToken, userId);

    public async Task<StoredMessage?> RemoveAsync(string conversation, Guid id, CancellationToken cancellationToken = default) =>
        // One statement, and the same when run again after a lost connection.
        (await _database.QueryAsync($"UPDATE messages SET text = '', removed = true WHERE conversation = $1 AND id = $2 RETURNING {MessageColumns};",
            ReadMessage, cancellationToken, conversation, id)).SingleOrDefault();

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writeLoop;
    }

    private Task<AppendResult?> EnqueueAsync(object write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite(write);
        if (!_writes.Writer.TryWrite(pending))
            throw new ObjectDisposedException(nameof(PostgresMessageStore));
        return pending.Completion.Task;
    }

    private async Task RunWriteLoopAsync()
    {
        try
        {
            await WriteLoopAsync();
        }
        catch (Exception ex)
        {
            // Should never happen; if it does, no caller may wait forever for a write that will not come.
            LogBatchFailed(ex, 0);
            _writes.Writer.TryComplete(ex);
            while (_writes.Reader.TryRead(out var write))
                write.Completion.TrySetException(new ObjectDisposedException(nameof(PostgresMessageStore), ex));
        }
    }

    private async Task WriteLoopAsync()
    {
        // MaxBatch may be huge ("no limit"): size the list for a typical burst, not for MaxBatch.
        var batch = new List<PendingWrite>(Math.Min(_maxBatch, 1024));
        while (await _writes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _writes.Reader.TryRead(out var write))
                batch.Add(write);
            try
            {
                // A batch may run twice: an append whose id is already stored finds its original.
                Complete(batch, await _database.OnceMoreIfLostAsync(() => CommitAsync(batch)));
            }
            catch (Exception ex) when (batch.Count > 1 && IsRefusal(ex))
            {
                // PostgreSQL refused one statement (a bad write, or a deadlock with another node) and so undid the whole
                // transaction: nothing of the batch is stored. Each write goes again on its own, in order, so only the
                // refused one fails.
                LogBatchSplit(ex, batch.Count);
                foreach (var write in batch)
                {
                    try
                    {
                        Complete([write], await CommitAsync([write]));
                    }
                    catch (Exception single)
                    {
                        write.Completion.TrySetException(single);
                    }
                }
            }
            catch (Exception ex)
            {
                // The server is unreachable or the commit's outcome is unknown: every caller hears so (a retry with the
                // same message id is safe either way).
                LogBatchFailed(ex, batch.Count);
                foreach (var write in batch)
                    write.Completion.TrySetException(ex);
            }
        }
    }

    /// <summary>An error the server reported for a statement (or one raised before sending), not a lost connection.</summary>
    private static bool IsRefusal(Exception ex) => ex is PostgresException || ex is not NpgsqlException;

    private static void Complete(List<PendingWrite> batch, Outcome[] outcomes)
    {
        // Only after the commit does anyone hear "stored".
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Error is { } error)
                batch[i].Completion.TrySetException(error);
            else
                batch[i].Completion.TrySetResult(outcomes[i].Result);
        }
    }

    /// <summary>
    /// Runs the writes in one transaction and commits it: one round trip for all the statements, one more to look up the
    /// originals of any duplicates, and the commit.
    /// </summary>
    private async Task<Outcome[]> CommitAsync(List<PendingWrite> batch)
    {
        var appends = new List<(int Index, NewMessage Message)>();
        var marks = new List<ReadMark>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Write is NewMessage message)
                appends.Add((i, message));
            else
                marks.Add((ReadMark)batch[i].Write);
        }

        await using var connection = await _database.OpenConnectionAsync(CancellationToken.None);
        var began = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var statements = new NpgsqlBatch(connection, transaction);
        if (appends.Count > 0)
        {
            // Lock every conversation the batch appends to, in key order, before numbering anything: the row lock is what
            // serializes appends from all nodes, and one order for everyone means two nodes' batches cannot deadlock.
            // One parameter, an array (not spread into the parameter list).
            object keys = appends.Select(a => a.Message.Conversation).Distinct().ToArray();
            statements.BatchCommands.Add(BatchCommand(
                "INSERT INTO conversations (key) SELECT k FROM unnest($1::text[]) AS k ORDER BY k ON CONFLICT (key) DO NOTHING;", keys));
            statements.BatchCommands.Add(BatchCommand(
                "SELECT key FROM conversations WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE;", keys));
        }
        foreach (var (_, message) in appends)
            statements.BatchCommands.Add(AppendCommand(message));
        // Cursors in one order too (they commit together, so the order among them is not seen).
        foreach (var mark in marks.OrderBy(m => m.UserId, StringComparer.Ordinal).ThenBy(m => m.Conversation, StringComparer.Ordinal))
            statements.BatchCommands.Add(BatchCommand("""
                INSERT INTO read_cursors (user_id, conversation, read_up_to) VALUES ($1, $2, $3)
                ON CONFLICT (user_id, conversation) DO UPDATE SET read_up_to = excluded.read_up_to
                WHERE read_cursors.read_up_to < excluded.read_up_to;
                """, mark.UserId, mark.Conversation, mark.Sequence));

        var sequences = new long?[appends.Count];
        await using (var reader = await statements.ExecuteReaderAsync())
        {
            // Statements without rows (the conversations insert, the cursors) have no result set. The reader starts at
            // the locked keys; after them comes one result set per append: its new number, or none when its id was
            // already stored.
            for (var i = 0; i < appends.Count; i++)
            {
                await reader.NextResultAsync();
                if (await reader.ReadAsync())
                    sequences[i] = reader.GetInt64(0);
            }
        }

        var originals = await OriginalsOfDuplicatesAsync(connection, transaction, appends, sequences);
        await transaction.CommitAsync();
        _metrics?.StoreCommitted(ChatMetrics.PostgresStore, began);

        // A read mark's outcome is the default: done, nothing to return.
        var outcomes = new Outcome[batch.Count];
        for (var i = 0; i < appends.Count; i++)
        {
            var (index, message) = appends[i];
            outcomes[index] = sequences[i] is { } sequence
                ? new Outcome(new AppendResult(new StoredMessage(message.Conversation, sequence, message.Id, message.SenderId,
                    message.SenderName, message.Text, ToStoredTime(message.SentAt)), Duplicate: false), null)
                : DuplicateOf(message, originals);
        }
        return outcomes;
    }

    private static NpgsqlBatchCommand AppendCommand(NewMessage message) => BatchCommand("""
        WITH inserted AS (
            INSERT INTO messages (conversation, seq, id, sender_id, sender_name, text, sent_at)
            SELECT key, last_sequence + 1, $2, $3, $4, $5, $6 FROM conversations WHERE key = $1
            ON CONFLICT (id) DO NOTHING
            RETURNING seq
        ), numbered AS (
            UPDATE conversations SET last_sequence = inserted.seq FROM inserted WHERE conversations.key = $1
        ), joined AS (
            INSERT INTO participants (conversation, user_id) SELECT $1, p FROM unnest($7::text[]) AS p, inserted
            ON CONFLICT DO NOTHING
        )
        SELECT seq FROM inserted;
        """,
        // The number moves only with an insert: a repeated id inserts nothing, so it leaves no gap.
        message.Conversation, message.Id, message.SenderId, message.SenderName, message.Text, ToStoredTime(message.SentAt),
        message.Participants.ToArray());

    /// <summary>The stored messages whose ids the batch's duplicates reused (read in the batch's transaction).</summary>
    private static async Task<Dictionary<Guid, StoredMessage>> OriginalsOfDuplicatesAsync(NpgsqlConnection connection,
        NpgsqlTransaction transaction, List<(int Index, NewMessage Message)> appends, long?[] sequences)
    {
        var ids = appends.Where((_, i) => sequences[i] is null).Select(a => a.Message.Id).Distinct().ToArray();
        if (ids.Length == 0)
            return [];
        await using var command = Command(connection, $"SELECT {MessageColumns} FROM messages WHERE id = ANY($1);", ids);
        command.Transaction = transaction;
        return (await ListAsync(command, ReadMessage, CancellationToken.None)).ToDictionary(m => m.Id);
    }

    private static Outcome DuplicateOf(NewMessage message, Dictionary<Guid, StoredMessage> originals)
    {
        if (!originals.TryGetValue(message.Id, out var stored))
            return new Outcome(null, new InvalidOperationException($"The message {message.Id} was neither stored nor found."));
        // The same id from someone else, or for another conversation, must not reveal or replay that message.
        if (stored.Conversation != message.Conversation || stored.SenderId != message.SenderId)
            return new Outcome(null, new MessageIdConflictException(message.Id));
        return new Outcome(new AppendResult(stored, Duplicate: true), null);
    }

    private async Task<IReadOnlyList<StoredMessage>> ReadMessagesAsync(string sql, string conversation, long sequence, int limit, bool reverse,
        CancellationToken cancellationToken)
    {
        var messages = await _database.QueryAsync(sql, ReadMessage, cancellationToken, conversation, sequence, Math.Clamp(limit, 0, 1000));
        if (reverse)
            messages.Reverse();
        return messages;
    }

    private static StoredMessage ReadMessage(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6), reader.GetBoolean(7));

    private sealed record ReadMark(string UserId, string Conversation, long Sequence);

    /// <summary>A queued write: a <see cref="NewMessage"/> or a <see cref="ReadMark"/>, and who waits for it.</summary>
    private sealed class PendingWrite(object write)
    {
        public object Write { get; } = write;

        public TaskCompletionSource<AppendResult?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>What one write came to: its result (null for a read mark), or why it was refused.</summary>
    private readonly record struct Outcome(AppendResult? Result, Exception? Error);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "Message store: a batch of {Count} writes failed to commit")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "Message store: PostgreSQL refused a batch of {Count} writes; committing them one by one")]
    private partial void LogBatchSplit(Exception exception, int count);
}
