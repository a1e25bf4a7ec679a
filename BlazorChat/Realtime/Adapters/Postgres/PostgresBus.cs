using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using BlazorChat.Realtime.Adapters.Cluster;
using Npgsql;

namespace BlazorChat.Realtime.Adapters.Postgres;

/// <summary>
/// One node's <see cref="IClusterBus"/> on PostgreSQL, after socket.io's Postgres adapter: a channel per namespace,
/// LISTEN on one dedicated connection, NOTIFY through the pool. A message too big for NOTIFY is written to
/// <see cref="AttachmentTable"/> and only its row's id is notified; rows are deleted after
/// <see cref="PostgresAdapterOptions.AttachmentRetention"/>.
/// </summary>
/// <remarks>
/// The listening connection is this node's ear: when it drops (the server restarted, the backend was terminated) it is
/// opened again with a growing, jittered delay, and every channel is listened to again. What was notified meanwhile is
/// lost to this node: NOTIFY keeps nothing. Messages that matter (chat messages) are in the store, numbered per
/// conversation, so a node catches up from the store by sequence (the store is the log); presence, typing and the
/// answers to requests are not worth more than the timeouts that already cover them.
/// Notifications are handed on one at a time, in the order they arrived, by one loop: PostgreSQL delivers one session's
/// notifications in commit order, so one node's messages are applied in the order it published them.
/// </remarks>
public sealed partial class PostgresBus : IClusterBus, IAsyncDisposable
{
    /// <summary>NOTIFY's payload must be shorter than this many bytes.</summary>
    public const int NotifyLimit = 8000;

    /// <summary>Where messages too big for NOTIFY wait to be read: shared by every cluster on the database.</summary>
    public const string AttachmentTable = "chat_adapter_attachments";

    /// <summary>The listening connection's application name: this, then the node's id.</summary>
    public const string ListenerName = "blazorchat listener ";

    private const int MaxChannelBytes = 63; // NAMEDATALEN - 1: PostgreSQL truncates longer identifiers
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);
    // At most 2 s (3 s with jitter) between attempts: after an outage a node listens again, catches up and counts the
    // others well within 10 s of the database's return. (One connection attempt per node: cheap to refuse.)
    private static readonly TimeSpan LastReconnectDelay = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenConnectionString;
    private readonly PacketCodec _codec;
    private readonly PostgresAdapterOptions _options;
    private readonly ILogger<PostgresBus> _logger;
    private readonly Lock _gate = new();
    // By subscription, not by namespace: a dynamic namespace's new adapter may subscribe before its closing one has left.
    private readonly Dictionary<Subscription, (string Namespace, Action<ClusterMessage> Handler)> _handlers = new();
    private readonly List<(string Channel, TaskCompletionSource Listening)> _waiting = [];
    // What the listening connection received, in order, and where it listened again after a break.
    private readonly Channel<Inbound> _inbox = Channel.CreateUnbounded<Inbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _listening;
    private readonly Task _dispatching;
    private readonly ITimer _cleanup;
    private readonly PostgresPublisher _publisher;
    private CancellationTokenSource? _wake; // cancels the listening connection's wait, so it listens to a new channel
    private int _changes; // bumped whenever the set of channels changes
    private volatile bool _listeningNow; // the listening connection is open and has listened to every wanted channel
    private int _disposed;

    /// <param name="dataSource">The pool that publishes and reads attachments (shared by the nodes of one factory; not owned).</param>
    /// <param name="connectionString">
    /// The pool's connection string, for the listening connection: a data source's own <c>ConnectionString</c> has lost its
    /// password.
    /// </param>
    /// <param name="nodeId">This node's id (the <see cref="ILocalConnections.ServerId"/> of its namespaces).</param>
    public PostgresBus(NpgsqlDataSource dataSource, string connectionString, string nodeId, PacketCodec codec, PostgresAdapterOptions options,
        TimeProvider time, ILogger<PostgresBus> logger)
    {
        _dataSource = dataSource;
        NodeId = nodeId;
        _codec = codec;
        _options = options;
        _logger = logger;
        // Its own connection, outside the pool: a pooled one would go back with its LISTENs to someone else.
        _listenConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 10, // an idle wait notices a dead server by its keepalive query failing
            ApplicationName = ListenerName + nodeId, // which backend listens for which node (pg_stat_activity)
        }.ToString();
        _publisher = new PostgresPublisher(dataSource, nodeId, codec, options, _stopping.Token);
        _listening = Task.Run(ListenAsync);
        _dispatching = Task.Run(DispatchAsync);
        _cleanup = time.CreateTimer(_ => _ = DeleteOldAttachmentsAsync(), null, options.AttachmentRetention, options.AttachmentRetention);
    }

    public string NodeId { get; }

    /// <inheritdoc/>
    public bool IsListening => _listeningNow;

    /// <summary>Messages waiting for their turn to be published (<see cref="PostgresPublisher.Waiting"/>).</summary>
    public int PublishBacklog => _publisher.Waiting;

    /// <summary>The channel of a namespace: the prefix and the name, or a hash of the name where both would not fit.</summary>
    public static string ChannelOf(string prefix, string @namespace)
    {
        var channel = $"{prefix}#{@namespace}";
        if (Encoding.UTF8.GetByteCount(channel) <= MaxChannelBytes)
            return channel;
        // Messages also name their namespace, so two names sharing a hash still reach only their own adapter.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(@namespace)))[..16];
        return $"{prefix[..Math.Min(prefix.Length, MaxChannelBytes - 18)]}#~{hash}";
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string @namespace, Action<ClusterMessage> handler, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = new Subscription(this);
        lock (_gate)
        {
            _handlers.Add(subscription, (@namespace, handler));
            _waiting.Add((ChannelName(@namespace), listening));
            ChangedLocked();
        }
        try
        {
            await listening.Task.WaitAsync(cancellationToken);
        }
        catch
        {
            await subscription.DisposeAsync();
            throw;
        }
        return subscription;
    }

    public Task PublishAsync(ClusterMessage message, CancellationToken cancellationToken = default) =>
        _publisher.PublishAsync(message, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _cleanup.DisposeAsync();
        // What this node published last (its goodbyes) goes out first, unless the database is away.
        try
        {
            await _publisher.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            // Given up: stopping cancels it.
        }
        await _stopping.CancelAsync();
        _inbox.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_listening, _dispatching);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        lock (_gate)
        {
            foreach (var (_, listening) in _waiting)
                listening.TrySetCanceled();
            _waiting.Clear();
        }
    }

    private string ChannelName(string @namespace) => ChannelOf(_options.ChannelPrefix, @namespace);

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            if (_handlers.Remove(subscription))
                ChangedLocked();
        }
    }

    // Caller holds _gate.
    private void ChangedLocked()
    {
        _changes++;
        _wake?.Cancel();
    }

    // ---- the listening connection ----

    private async Task ListenAsync()
    {
        var stopping = _stopping.Token;
        var delay = FirstReconnectDelay;
        var listenedBefore = false;
        while (!stopping.IsCancellationRequested)
        {
            var lostOnWake = false;
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                connection.Notification += (_, e) => _inbox.Writer.TryWrite(new Inbound(e.Payload, null));
                await connection.OpenAsync(stopping);
                var listened = new HashSet<string>(StringComparer.Ordinal);
                var resumed = listenedBefore;
                LogListening(NodeId);
                while (true)
                {
                    var changes = await ListenToWantedChannelsAsync(connection, listened, stopping);
                    delay = FirstReconnectDelay;
                    if (resumed)
                    {
                        // The database went away (restarted, or the network to it did): the pooled connections opened
                        // before are dead, and each would fail the next publish or answer made on it. Drop them all.
                        _dataSource.Clear();
                        // Whatever was notified while no connection listened is lost to this node: its subscribers
                        // hear so, after everything received before the break, and catch up from the store.
                        resumed = false;
                        string[] namespaces;
                        lock (_gate)
                            namespaces = [.. _handlers.Values.Select(h => h.Namespace).Distinct(StringComparer.Ordinal)];
                        foreach (var @namespace in namespaces)
                            _inbox.Writer.TryWrite(new Inbound(null, @namespace));
                    }
                    listenedBefore = true;
                    CancellationTokenSource wake;
                    lock (_gate)
                    {
                        if (changes != _changes)
                            continue;
                        _wake = wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    }
                    try
                    {
                        await connection.WaitAsync(wake.Token);
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        // Woken to listen to a channel more (or fewer). A wait cancelled mid-message breaks the connection:
                        // then open another one at once.
                        if (connection.FullState != System.Data.ConnectionState.Open)
                        {
                            lostOnWake = true;
                            break;
                        }
                    }
                    finally
                    {
                        lock (_gate)
                            _wake = null;
                        wake.Dispose();
                    }
                }
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogListenFailed(ex, NodeId, delay.TotalMilliseconds);
            }
            _listeningNow = false;
            if (stopping.IsCancellationRequested)
                return;
            if (lostOnWake)
                continue;
            try
            {
                await Task.Delay(delay * (0.5 + Random.Shared.NextDouble()), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastReconnectDelay.Ticks));
        }
    }

    /// <summary>LISTENs to every channel wanted now and UNLISTENs the rest; tells the waiting subscribers; returns the change count it saw.</summary>
    private async Task<int> ListenToWantedChannelsAsync(NpgsqlConnection connection, HashSet<string> listened, CancellationToken cancellationToken)
    {
        HashSet<string> wanted;
        int changes;
        lock (_gate)
        {
            wanted = new HashSet<string>(_handlers.Values.Select(h => ChannelName(h.Namespace)), StringComparer.Ordinal);
            changes = _changes;
        }
        foreach (var channel in wanted.Except(listened).ToList())
        {
            await ExecuteAsync(connection, $"LISTEN {QuoteIdentifier(channel)}", cancellationToken);
            listened.Add(channel);
        }
        foreach (var channel in listened.Except(wanted).ToList())
        {
            await ExecuteAsync(connection, $"UNLISTEN {QuoteIdentifier(channel)}", cancellationToken);
            listened.Remove(channel);
        }
        _listeningNow = true; // before any subscriber hears it listens
        lock (_gate)
        {
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (listened.Contains(_waiting[i].Channel))
                {
                    _waiting[i].Listening.TrySetResult();
                    _waiting.RemoveAt(i);
                }
            }
        }
        return changes;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // ---- handing messages on ----

    private async Task DispatchAsync()
    {
        await foreach (var (payload, resumed) in _inbox.Reader.ReadAllAsync(_stopping.Token))
        {
            try
            {
                var message = resumed is not null
                    ? new ListeningResumedMessage(resumed, NodeId)
                    : _codec.DeserializeValue<ClusterMessage>(Encoding.UTF8.GetBytes(payload!));
                if (message is null || (message.From == NodeId && resumed is null))
                    continue; // its own echo
                if (message is AttachmentNotice notice && (message = await ReadAttachmentAsync(notice)) is null)
                    continue;
                Action<ClusterMessage>[] handlers;
                lock (_gate)
                    handlers = [.. _handlers.Values.Where(h => h.Namespace == message.Namespace).Select(h => h.Handler)];
                foreach (var handler in handlers)
                    handler(message);
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                LogMessageFailed(ex, NodeId);
            }
        }
    }

    // ---- attachments: messages too big for NOTIFY ----

    private async Task<ClusterMessage?> ReadAttachmentAsync(AttachmentNotice notice)
    {
        await using var select = _dataSource.CreateCommand($"SELECT payload FROM {AttachmentTable} WHERE id = $1");
        select.Parameters.AddWithValue(notice.Id);
        if (await select.ExecuteScalarAsync(_stopping.Token) is not byte[] payload)
        {
            LogAttachmentGone(NodeId, notice.Id, notice.From);
            return null;
        }
        return _codec.DeserializeValue<ClusterMessage>(payload);
    }

    private async Task DeleteOldAttachmentsAsync()
    {
        // Only a node that wrote some: the table may not exist otherwise, and its writers clean up after themselves.
        if (!_publisher.WroteAttachments || Volatile.Read(ref _disposed) != 0)
            return;
        try
        {
            await _publisher.DeleteOldAttachmentsAsync(_stopping.Token);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            LogCleanupFailed(ex, NodeId);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private sealed class Subscription(PostgresBus bus) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            bus.Unsubscribe(this);
            return ValueTask.CompletedTask;
        }
    }

    [LoggerMessage(EventId = 70, Level = LogLevel.Debug, Message = "Node {Node}: listening for the other nodes")]
    private partial void LogListening(string node);

    [LoggerMessage(EventId = 71, Level = LogLevel.Warning, Message = "Node {Node}: the listening connection failed; opening another in about {Delay} ms (notifications meanwhile are lost to this node)")]
    private partial void LogListenFailed(Exception exception, string node, double delay);

    [LoggerMessage(EventId = 72, Level = LogLevel.Warning, Message = "Node {Node}: a message from another node could not be handled")]
    private partial void LogMessageFailed(Exception exception, string node);

    [LoggerMessage(EventId = 73, Level = LogLevel.Warning, Message = "Node {Node}: the attachment {Id} from node {From} was already deleted")]
    private partial void LogAttachmentGone(string node, long id, string from);

    [LoggerMessage(EventId = 74, Level = LogLevel.Warning, Message = "Node {Node}: deleting old attachments failed")]
    private partial void LogCleanupFailed(Exception exception, string node);

    /// <summary>A notification's payload, or (with no payload) the namespace whose channel was listened to again after a break.</summary>
    private readonly record struct Inbound(string? Payload, string? Resumed);
}
