using System.Diagnostics;
using System.Globalization;
using BlazorChat.Monitoring;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BlazorChat.Persistence.Sqlite;

/// <summary>
/// The embedded message store: one SQLite file in WAL mode. Every write goes through one writer connection
/// and one writer loop, which commits whatever is waiting in a single transaction (group commit), so a
/// burst costs one fsync, not one per message. Reads use their own pooled connections and never wait
/// for writes (WAL).
/// </summary>
public sealed partial class SqliteMessageStore : IMessageStore
{
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _writer;
    // The writer loop's own statements, prepared once on the writer: a savepoint and its release around every write, and
    // the read mark, which comes once a second from every reader of a busy room.
    private readonly PreparedStatement _savepoint;
    private readonly PreparedStatement _release;
    private readonly PreparedStatement _markRead;
    private readonly string _readConnectionString;
    private readonly int _maxBatch;
    private readonly Task _writeLoop;
    private readonly ILogger<SqliteMessageStore> _logger;

    private readonly ChatMetrics? _metrics;

    public SqliteMessageStore(IOptions<StoreOptions> options, IHostEnvironment environment, ILogger<SqliteMessageStore> logger,
        ChatMetrics? metrics = null)
        : this(Path.Combine(environment.ContentRootPath, options.Value.DatabasePath), options.Value.MaxBatch, logger, metrics)
    {
    }

    /// <param name="metrics">Where each group commit's duration is recorded; nothing is when null.</param>
    public SqliteMessageStore(string databasePath, int maxBatch, ILogger<SqliteMessageStore> logger, ChatMetrics? metrics = null)
    {
        _logger = logger;
        _metrics = metrics;
        _maxBatch = Math.Max(1, maxBatch);
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);

        var builder = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true };
        _writer = new SqliteConnection(builder.ToString());
        try
        {
            OpenWriter();
        }
        catch
        {
            _writer.Dispose();
            throw;
        }
        _savepoint = new PreparedStatement(_writer, "SAVEPOINT w;");
        _release = new PreparedStatement(_writer, "RELEASE w;");
        _markRead = new PreparedStatement(_writer, """
            INSERT INTO read_cursors (user_id, conversation, read_up_to) VALUES ($user, $conversation, $seq)
            ON CONFLICT (user_id, conversation) DO UPDATE SET read_up_to = max(read_up_to, excluded.read_up_to);
            """, "$user", "$conversation", "$seq");

        builder.Mode = SqliteOpenMode.ReadOnly;
        _readConnectionString = builder.ToString();
        _writeLoop = Task.Factory.StartNew(RunWriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        LogOpened(DatabasePath, SqliteSchema.VersionOf(_writer));
    }

    private void OpenWriter()
    {
        _writer.Open();
        // WAL: readers never block the writer nor each other, and a crash leaves a consistent database.
        // synchronous=FULL: each commit is fsynced before the sender hears "sent", so "sent" survives a power
        // cut, not just a killed process (NORMAL would only promise the latter). Group commit keeps it cheap.
        Execute(_writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
        SqliteSchema.Migrate(_writer);
    }

    /// <summary>The database file, as an absolute path.</summary>
    public string DatabasePath { get; }

    public Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return EnqueueAsync((connection, transaction) => Append(connection, transaction, message), cancellationToken);
    }

    public Task MarkReadAsync(string userId, string conversation, long sequence, CancellationToken cancellationToken = default) =>
        EnqueueAsync<object?>((_, transaction) =>
        {
            _markRead.Run(transaction, userId, conversation, sequence);
            return null;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadAfterAsync(string conversation, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadMessagesAsync("""
            SELECT conversation, seq, id, sender_id, sender_name, text, sent_at_ms, removed FROM messages
            WHERE conversation = $conversation AND seq > $seq ORDER BY seq LIMIT $limit;
            """, conversation, afterSequence, limit, reverse: false, cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string conversation, long beforeSequence, int limit, CancellationToken cancellationToken = default) =>
        ReadMessagesAsync("""
            SELECT conversation, seq, id, sender_id, sender_name, text, sent_at_ms, removed FROM messages
            WHERE conversation = $conversation AND seq < $seq ORDER BY seq DESC LIMIT $limit;
            """, conversation, beforeSequence, limit, reverse: true, cancellationToken);

    public async Task<long> LatestSequenceAsync(string conversation, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT coalesce(max(seq), 0) FROM messages WHERE conversation = $conversation;");
        command.Parameters.AddWithValue("$conversation", conversation);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<ConversationPosition>> ConversationsOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null, """
            SELECT c.conversation,
                   coalesce((SELECT max(seq) FROM messages m WHERE m.conversation = c.conversation), 0),
                   coalesce(r.read_up_to, 0)
            FROM (SELECT conversation FROM participants WHERE user_id = $user
                  UNION SELECT conversation FROM read_cursors WHERE user_id = $user) AS c
            LEFT JOIN read_cursors r ON r.user_id = $user AND r.conversation = c.conversation
            ORDER BY c.conversation;
            """);
        command.Parameters.AddWithValue("$user", userId);
        var positions = new List<ConversationPosition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            positions.Add(new ConversationPosition(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return positions;
    }

    public Task<StoredMessage?> RemoveAsync(string conversation, Guid id, CancellationToken cancellationToken = default) =>
        EnqueueAsync((connection, transaction) =>
        {
            using var remove = Command(connection, transaction, """
                UPDATE messages SET text = '', removed = 1 WHERE conversation = $conversation AND id = $id
                RETURNING conversation, seq, id, sender_id, sender_name, text, sent_at_ms, removed;
                """);
            remove.Parameters.AddWithValue("$conversation", conversation);
            remove.Parameters.AddWithValue("$id", id.ToString("D"));
            using var reader = remove.ExecuteReader();
            return reader.Read() ? ReadMessage(reader) : null;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writeLoop;
        _savepoint.Dispose();
        _release.Dispose();
        _markRead.Dispose();
        await _writer.DisposeAsync();
    }

    private static AppendResult Append(SqliteConnection connection, SqliteTransaction transaction, NewMessage message)
    {
        // The next number is computed inside the insert, by the only writer: strictly increasing, no gaps.
        // A repeated id hits the unique index and inserts nothing (no check-then-insert race).
        using (var insert = Command(connection, transaction, """
            INSERT INTO messages (conversation, seq, id, sender_id, sender_name, text, sent_at_ms)
            SELECT $conversation, coalesce(max(seq), 0) + 1, $id, $sender, $name, $text, $at FROM messages WHERE conversation = $conversation
            ON CONFLICT (id) DO NOTHING
            RETURNING seq;
            """))
        {
            insert.Parameters.AddWithValue("$conversation", message.Conversation);
            insert.Parameters.AddWithValue("$id", message.Id.ToString("D"));
            insert.Parameters.AddWithValue("$sender", message.SenderId);
            insert.Parameters.AddWithValue("$name", message.SenderName);
            insert.Parameters.AddWithValue("$text", message.Text);
            insert.Parameters.AddWithValue("$at", message.SentAt.ToUnixTimeMilliseconds());
            if (insert.ExecuteScalar() is long sequence)
            {
                foreach (var participant in message.Participants)
                {
                    using var join = Command(connection, transaction, "INSERT OR IGNORE INTO participants (conversation, user_id) VALUES ($conversation, $user);");
                    join.Parameters.AddWithValue("$conversation", message.Conversation);
                    join.Parameters.AddWithValue("$user", participant);
                    join.ExecuteNonQuery();
                }
                return new AppendResult(new StoredMessage(message.Conversation, sequence, message.Id, message.SenderId, message.SenderName,
                    message.Text, DateTimeOffset.FromUnixTimeMilliseconds(message.SentAt.ToUnixTimeMilliseconds())), Duplicate: false);
            }
        }

        using var existing = Command(connection, transaction, """
            SELECT conversation, seq, id, sender_id, sender_name, text, sent_at_ms, removed FROM messages WHERE id = $id;
            """);
        existing.Parameters.AddWithValue("$id", message.Id.ToString("D"));
        using var reader = existing.ExecuteReader();
        reader.Read();
        var stored = ReadMessage(reader);
        // The same id from someone else, or for another conversation, must not reveal or replay that message.
        if (stored.Conversation != message.Conversation || stored.SenderId != message.SenderId)
            throw new MessageIdConflictException(message.Id);
        return new AppendResult(stored, Duplicate: true);
    }

    /// <summary>
    /// Runs <paramref name="write"/> on the single writer connection, in the next group commit; completes after the
    /// commit. Other stores sharing this file (<see cref="SqliteRoomStore"/>) write through here, so one file has one writer.
    /// </summary>
    internal Task<T> EnqueueAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var completion = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite(new PendingWrite((c, t) => write(c, t), completion)))
            throw new ObjectDisposedException(nameof(SqliteMessageStore));
        return Cast<T>(completion.Task);

        static async Task<TResult> Cast<TResult>(Task<object?> task) => (TResult)(await task)!;
    }

    private void RunWriteLoop()
    {
        try
        {
            WriteLoop();
        }
        catch (Exception ex)
        {
            // Should never happen; if it does, no caller may wait forever for a write that will not come.
            LogBatchFailed(ex, 0);
            _writes.Writer.TryComplete(ex);
            while (_writes.Reader.TryRead(out var write))
                write.Completion.TrySetException(new ObjectDisposedException(nameof(SqliteMessageStore), ex));
        }
    }

    private void WriteLoop()
    {
        // MaxBatch may be huge ("no limit"): size the lists for a typical burst, not for MaxBatch.
        var capacity = Math.Min(_maxBatch, 1024);
        var batch = new List<PendingWrite>(capacity);
        var results = new List<(PendingWrite Write, object? Result, Exception? Error)>(capacity);
        while (_writes.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            results.Clear();
            while (batch.Count < _maxBatch && _writes.Reader.TryRead(out var write))
                batch.Add(write);
            try
            {
                var began = Stopwatch.GetTimestamp();
                using var transaction = _writer.BeginTransaction(deferred: false);
                foreach (var write in batch)
                {
                    // A savepoint per write: one refused write does not undo the others in the batch, whatever
                    // refused it (a conflict, a constraint, a caller's bad argument). If the failure broke the
                    // transaction itself, ROLLBACK TO throws and the whole batch fails below.
                    _savepoint.Run(transaction);
                    try
                    {
                        results.Add((write, write.Apply(_writer, transaction), null));
                        _release.Run(transaction);
                    }
                    catch (Exception ex)
                    {
                        Execute(_writer, "ROLLBACK TO w; RELEASE w;", transaction);
                        results.Add((write, null, ex));
                    }
                }
                transaction.Commit();
                _metrics?.StoreCommitted(ChatMetrics.SqliteStore, began);
            }
            catch (Exception ex)
            {
                // The commit failed: nothing of this batch is stored, and every caller hears so.
                LogBatchFailed(ex, batch.Count);
                foreach (var write in batch)
                    write.Completion.TrySetException(ex);
                continue;
            }
            // Only after the commit (and its fsync) does anyone hear "stored".
            foreach (var (write, result, error) in results)
            {
                if (error is null)
                    write.Completion.TrySetResult(result);
                else
                    write.Completion.TrySetException(error);
            }
        }
    }

    private async Task<IReadOnlyList<StoredMessage>> ReadMessagesAsync(string sql, string conversation, long sequence, int limit, bool reverse,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null, sql);
        command.Parameters.AddWithValue("$conversation", conversation);
        command.Parameters.AddWithValue("$seq", sequence);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 0, 1000));
        var messages = new List<StoredMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            messages.Add(ReadMessage(reader));
        if (reverse)
            messages.Reverse();
        return messages;
    }

    /// <summary>A read-only connection of its own (WAL: never waits for the writer).</summary>
    internal async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static StoredMessage ReadMessage(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), Guid.Parse(reader.GetString(2)), reader.GetString(3), reader.GetString(4),
        reader.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetInt64(7) != 0);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    private sealed record PendingWrite(Func<SqliteConnection, SqliteTransaction, object?> Apply, TaskCompletionSource<object?> Completion);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Message store: {Path} (schema version {Version})")]
    private partial void LogOpened(string path, int version);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Message store: a batch of {Count} writes failed to commit")]
    private partial void LogBatchFailed(Exception exception, int count);
}
