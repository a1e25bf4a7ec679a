using System.Text;
using BlazorChat.Realtime.Adapters.Cluster;
using Npgsql;

namespace BlazorChat.Realtime.Adapters.Postgres;

/// <summary>
/// The sending half of <see cref="PostgresBus"/>: NOTIFY on a namespace's channel, a message too big for NOTIFY through
/// <see cref="PostgresBus.AttachmentTable"/> (only its row's id notified), and the deletion of old rows. It listens to
/// nothing, so whoever only publishes (the emitter, which is not a node) uses it alone: no listening connection, no
/// heartbeat.
/// </summary>
public sealed class PostgresPublisher
{
    private const long AttachmentTableLock = 0x4368_6174_4174_7461; // "ChatAtta": serialises CREATE TABLE across nodes

    private readonly NpgsqlDataSource _dataSource;
    private readonly PacketCodec _codec;
    private readonly PostgresAdapterOptions _options;
    private readonly CancellationToken _stopping;
    private readonly Lock _gate = new();
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
    }

    public string From { get; }

    /// <summary>Whether this publisher has made sure of the attachment table (so it has rows to clean up after).</summary>
    public bool WroteAttachments => _attachments is { IsCompletedSuccessfully: true };

    /// <summary>Sends a message to every node listening to its namespace's channel.</summary>
    public async Task PublishAsync(ClusterMessage message, CancellationToken cancellationToken = default)
    {
        var payload = _codec.SerializeValue(message);
        if (payload.Length >= _options.PayloadLimit)
        {
            var id = await WriteAttachmentAsync(payload, cancellationToken);
            payload = _codec.SerializeValue<ClusterMessage>(new AttachmentNotice(message.Namespace, From, id));
        }
        await using var notify = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        notify.Parameters.AddWithValue(PostgresBus.ChannelOf(_options.ChannelPrefix, message.Namespace));
        notify.Parameters.AddWithValue(Encoding.UTF8.GetString(payload));
        await notify.ExecuteNonQueryAsync(cancellationToken);
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
}
