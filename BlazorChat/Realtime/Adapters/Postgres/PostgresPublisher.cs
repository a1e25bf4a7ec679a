using System.Text;
using System.Threading.Channels;
using BlazorChat.Persistence.Postgres;
using BlazorChat.Realtime.Adapters.Cluster;
using Npgsql;

namespace BlazorChat.Realtime.Adapters.Postgres;

/// <summary>
/// The sending half of <see cref="PostgresBus"/>: NOTIFY on a namespace's channel, a message too big for NOTIFY through
/// <see cref="PostgresBus.AttachmentTable"/> (only its row's id notified), and the deletion of old rows. It listens to
/// nothing, so whoever only publishes (the emitter, which is not a node) uses it alone: no listening connection, no
/// heartbeat.
/// </summary>
/// <remarks>
/// One loop sends everything, in the order <see cref="PublishAsync"/> was called: what is published while a round trip
/// is under way goes in the next one, as one batch of NOTIFYs in one transaction (one commit for many messages,
/// delivered in order). So a node holds one connection for publishing however busy it is (a room's hundred
/// acknowledgements, a hundred people joining at once), and the other nodes get its messages in the order it published
/// them, which they rely on (a join before the broadcast that follows it).
/// </remarks>
public sealed class PostgresPublisher : IAsyncDisposable
{
    private const long AttachmentTableLock = 0x4368_6174_4174_7461; // "ChatAtta": serialises CREATE TABLE across nodes

    /// <summary>At most this many messages, and about <see cref="MaxBatchChars"/> of payload, in one round trip.</summary>
    internal const int MaxBatch = 256;

    private const int MaxBatchChars = 1 << 20;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PacketCodec _codec;
    private readonly PostgresAdapterOptions _options;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _sending;
    private Task? _attachments;

    /// <param name="dataSource">The pool it publishes through (not owned).</param>
    /// <param name="from">Who publishes: the node id (or the emitter's id) that attachment notices name.</param>
    /// <param name="stopping">Ends the creation of the attachment table (shared by every caller) when the owner stops.</param>
    public PostgresPublisher(NpgsqlDataSource dataSource, string from, PacketCodec codec, PostgresAdapterOptions options,
        CancellationToken stopping = default)
    {
        _dataSource = dataSource;
        From = from;
        _codec = codec;
        _options = options;
        _stopping = stopping;
        _sending = Task.Run(SendAsync);
    }

    public string From { get; }

    /// <summary>Messages published and not yet taken up by the sending loop (the batch in flight not counted).</summary>
    public int Waiting => _outbox.Reader.Count;

    /// <summary>Whether this publisher has made sure of the attachment table (so it has rows to clean up after).</summary>
    public bool WroteAttachments => _attachments is { IsCompletedSuccessfully: true };

    /// <summary>
    /// Sends a message to every node listening to its namespace's channel, after everything published before it.
    /// Completes once PostgreSQL has taken it (or fails with why it could not).
    /// </summary>
    public Task PublishAsync(ClusterMessage message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_outbox.Writer.TryWrite(new Outgoing(message, sent)))
            throw new ObjectDisposedException(nameof(PostgresPublisher));
        return cancellationToken.CanBeCanceled ? sent.Task.WaitAsync(cancellationToken) : sent.Task;
    }

    /// <summary>Sends what was already published, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _outbox.Writer.TryComplete();
        await _sending;
    }

    private async Task SendAsync()
    {
        var batch = new List<(string Channel, string Payload, TaskCompletionSource Sent)>();
        var inBatch = new HashSet<(string, string)>();
        Outgoing? carried = null;
        try
        {
            while (carried is not null || await _outbox.Reader.WaitToReadAsync(_stopping))
            {
                var chars = 0;
                while (batch.Count < MaxBatch && chars < MaxBatchChars && (carried ?? (_outbox.Reader.TryRead(out var next) ? next : null)) is { } item)
                {
                    carried = null;
                    if (await PrepareAsync(item) is not { } notify)
                        continue;
                    // PostgreSQL delivers one of several identical notifications of a transaction: a repeat goes in the next.
                    if (!inBatch.Add((notify.Channel, notify.Payload)))
                    {
                        carried = item;
                        break;
                    }
                    batch.Add((notify.Channel, notify.Payload, item.Sent));
                    chars += notify.Payload.Length;
                }
                if (batch.Count > 0)
                    await NotifyAsync(batch);
                batch.Clear();
                inBatch.Clear();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: what is left fails below.
        }
        foreach (var (_, _, sent) in batch)
            sent.TrySetCanceled(_stopping);
        if (carried is not null)
            carried.Sent.TrySetCanceled(_stopping);
        _outbox.Writer.TryComplete();
        while (_outbox.Reader.TryRead(out var left))
            left.Sent.TrySetCanceled(_stopping);
    }

    // The channel and payload to notify, the message written to the attachment table first when too big for NOTIFY; null
    // when that failed (the publisher hears why).
    private async Task<(string Channel, string Payload)?> PrepareAsync(Outgoing item)
    {
        try
        {
            var payload = _codec.SerializeValue(item.Message);
            if (payload.Length >= _options.PayloadLimit)
            {
                var id = await WriteAttachmentAsync(payload, _stopping);
                payload = _codec.SerializeValue<ClusterMessage>(new AttachmentNotice(item.Message.Namespace, From, id));
            }
            return (PostgresBus.ChannelOf(_options.ChannelPrefix, item.Message.Namespace), Encoding.UTF8.GetString(payload));
        }
        catch (Exception ex)
        {
            item.Sent.TrySetException(ex);
            return null;
        }
    }

    private async Task NotifyAsync(List<(string Channel, string Payload, TaskCompletionSource Sent)> batch)
    {
        try
        {
            try
            {
                await SendBatchAsync(batch);
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested && PostgresDatabase.IsConnectionLost(ex))
            {
                // The pooled connection died with the server (it restarted) or its backend was ended: every pooled one
                // did. Once more on a new connection. (Should the first have been delivered after all, the other nodes
                // get it twice: every message they apply is safe twice, as a redelivered chat message is shown once.)
                _dataSource.Clear();
                await SendBatchAsync(batch);
            }
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            foreach (var (_, _, sent) in batch)
                sent.TrySetException(ex);
            // What waits behind it would most likely fail the same way (the database is away), each after its own wait
            // for a connection: it fails now, and whoever published it hears so (the next message tries again).
            while (_outbox.Reader.TryRead(out var waiting))
                waiting.Sent.TrySetException(ex);
            return;
        }
        foreach (var (_, _, sent) in batch)
            sent.TrySetResult();
    }

    private async Task SendBatchAsync(List<(string Channel, string Payload, TaskCompletionSource Sent)> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(_stopping);
        await using var notify = new NpgsqlBatch(connection);
        foreach (var (channel, payload, _) in batch)
        {
            var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
            command.Parameters.AddWithValue(channel);
            command.Parameters.AddWithValue(payload);
            notify.BatchCommands.Add(command);
        }
        await notify.ExecuteNonQueryAsync(_stopping);
    }

    /// <summary>Deletes the attachment rows older than <see cref="PostgresAdapterOptions.AttachmentRetention"/> (every writer's).</summary>
    public async Task DeleteOldAttachmentsAsync(CancellationToken cancellationToken = default)
    {
        await using var delete = _dataSource.CreateCommand($"DELETE FROM {PostgresBus.AttachmentTable} WHERE created_at < now() - $1");
        delete.Parameters.AddWithValue(_options.AttachmentRetention);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> WriteAttachmentAsync(byte[] payload, CancellationToken cancellationToken)
    {
        await EnsureAttachmentTableAsync(cancellationToken);
        await using var insert = _dataSource.CreateCommand($"INSERT INTO {PostgresBus.AttachmentTable} (payload) VALUES ($1) RETURNING id");
        insert.Parameters.AddWithValue(payload);
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    private Task EnsureAttachmentTableAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_attachments is null || _attachments.IsFaulted || _attachments.IsCanceled)
                _attachments = CreateAttachmentTableAsync();
            return _attachments.WaitAsync(cancellationToken);
        }
    }

    private async Task CreateAttachmentTableAsync()
    {
        await using var connection = await _dataSource.OpenConnectionAsync(_stopping);
        await using var transaction = await connection.BeginTransactionAsync(_stopping);
        // Under a lock, as nodes starting together would otherwise race on the table's type and fail one of them.
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AttachmentTableLock})");
        await ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {PostgresBus.AttachmentTable} (
                id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                created_at timestamptz NOT NULL DEFAULT now(),
                payload    bytea NOT NULL
            )
            """);
        await transaction.CommitAsync(_stopping);
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(_stopping);
    }

    private sealed record Outgoing(ClusterMessage Message, TaskCompletionSource Sent);
}
