using System.Security.Cryptography;
using System.Text;
using BlazorChat.Chat;
using BlazorChat.Persistence;
using BlazorChat.Persistence.Postgres;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Adapters.Cluster;
using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Realtime.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BlazorChat.Emitter;

/// <summary>Where an emitter posts: the cluster's database and channel prefix, and whom its messages come from.</summary>
public sealed class ChatEmitterOptions
{
    /// <summary>The cluster's PostgreSQL database (the nodes' <c>Store:ConnectionString</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The nodes' <c>Realtime:Postgres:ChannelPrefix</c>: nodes with another prefix do not hear the emitter.</summary>
    public string ChannelPrefix { get; set; } = new PostgresAdapterOptions().ChannelPrefix;

    /// <summary>The name its messages are signed with (display name rules); the sender's id is always <see cref="SystemSender.UserId"/>.</summary>
    public string SenderName { get; set; } = SystemSender.DefaultDisplayName;
}

/// <summary>What an emitter posted: the message's place in its conversation, or, for a retry, the message posted before.</summary>
/// <param name="Conversation">The room's name, or the private conversation's key (<see cref="RoomNames.DirectConversation"/>).</param>
/// <param name="Duplicate">The id was posted before: nothing new was stored or delivered, and this is the original.</param>
public sealed record EmitResult(string Namespace, string Conversation, long Sequence, Guid Id, DateTimeOffset SentAt, bool Duplicate);

/// <summary>The input broke one of the chat's rules (the reason is the one the server gives); nothing was stored or sent.</summary>
public sealed class EmitRefusedException(string reason) : Exception(reason);

/// <summary>
/// Posts into a BlazorChat cluster from outside it (a cron job, another service), as socket.io's
/// <c>@socket.io/postgres-emitter</c> does: the message is appended through the app's own PostgreSQL message store
/// (numbered by the store, durable, stored once per id) and then published on the namespace's channel as the adapter's
/// own broadcast, so every node delivers it to its tabs exactly as if one of its handlers had sent it. The emitter is
/// not a node: it never listens or beats, so no node counts it. Thread-safe; dispose it to close its connections.
/// </summary>
public sealed partial class ChatEmitter : IAsyncDisposable
{
    /// <summary>Why an emitter without a database cannot start.</summary>
    public const string MissingConnectionString =
        "The emitter needs the cluster's PostgreSQL connection string (the nodes' Store:ConnectionString).";

    private const int MaxUserIdLength = 256;

    private readonly PostgresDatabase _database;
    private readonly PostgresMessageStore _store;
    private readonly PostgresPublisher _publisher;
    private readonly string _senderName;
    private readonly TimeProvider _time;
    private readonly ILogger<ChatEmitter> _logger;

    /// <exception cref="ArgumentException">No connection string or channel prefix.</exception>
    /// <exception cref="EmitRefusedException">The sender name breaks the display name rules.</exception>
    public ChatEmitter(ChatEmitterOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException(MissingConnectionString, nameof(options));
        if (string.IsNullOrWhiteSpace(options.ChannelPrefix))
            throw new ArgumentException("The emitter needs the nodes' channel prefix (Realtime:Postgres:ChannelPrefix).", nameof(options));
        if (ChatRules.ValidateDisplayName(options.SenderName, out var senderName) is { } reason)
            throw new EmitRefusedException($"The sender name: {reason}");
        _senderName = senderName;
        loggers ??= NullLoggerFactory.Instance;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger<ChatEmitter>();
        _database = new PostgresDatabase(options.ConnectionString, loggers);
        _store = new PostgresMessageStore(_database, maxBatch: 256, loggers.CreateLogger<PostgresMessageStore>());
        var adapter = new PostgresAdapterOptions { ConnectionString = options.ConnectionString, ChannelPrefix = options.ChannelPrefix };
        // The codec the nodes use: every payload record of the app, named by its type.
        _publisher = new PostgresPublisher(_database.DataSource, Id, new PacketCodec(typeof(ChatServer).Assembly), adapter);
    }

    /// <summary>Who the nodes see publishing (the <c>From</c> of its messages): never a node's id, so no node ignores it as its own echo.</summary>
    public string Id { get; } = $"emitter-{Guid.NewGuid():N}";

    /// <summary>
    /// Posts <paramref name="text"/> in a public room of a namespace: stored as the room's next message, then delivered
    /// to every tab in the room on every node.
    /// </summary>
    /// <param name="namespace">"/" (the default), "/admin", or a team space's "/tenant-{name}" (or just "tenant-{name}").</param>
    /// <param name="messageId">The client message id: a retry with the same id stores and delivers nothing new. A new one when null.</param>
    /// <exception cref="EmitRefusedException">The namespace, room or text breaks the chat's rules, or the id is another message's; nothing was stored.</exception>
    public async Task<EmitResult> PostToRoomAsync(string room, string text, string @namespace = ChatServer.MainNamespace, Guid? messageId = null,
        CancellationToken cancellationToken = default)
    {
        var ns = ValidNamespace(@namespace);
        if (RoomNames.Validate(room, out var name) is { } reason)
            throw new EmitRefusedException(reason);
        var body = ValidText(text);
        var (stored, duplicate) = await AppendAsync(ns, name, messageId, body, participants: [], cancellationToken);
        if (!duplicate)
        {
            var message = ToChatMessage(stored, name);
            await PublishAsync(stored, new BroadcastMessage(ns, Id, new Packet(ChatEvents.Message, new MessagePosted(message)),
                BroadcastOptions.ToRooms(name)), cancellationToken);
        }
        return new EmitResult(ns, name, stored.Sequence, stored.Id, stored.SentAt, duplicate);
    }

    /// <summary>
    /// Posts <paramref name="text"/> privately to one person (by user id): stored in their private conversation with the
    /// system sender (in their history and unread counts, also while they are away), then delivered to all their tabs in
    /// the namespace on every node. Whether anyone has that id is not checked: a message to an id nobody has is stored
    /// and never shown.
    /// </summary>
    /// <exception cref="EmitRefusedException">The namespace, user id or text breaks the chat's rules, or the id is another message's; nothing was stored.</exception>
    public async Task<EmitResult> PostToPersonAsync(string userId, string text, string @namespace = ChatServer.MainNamespace, Guid? messageId = null,
        CancellationToken cancellationToken = default)
    {
        var ns = ValidNamespace(@namespace);
        var to = ValidUserId(userId);
        var body = ValidText(text);
        var conversation = RoomNames.DirectConversation(SystemSender.UserId, to);
        var (stored, duplicate) = await AppendAsync(ns, conversation, messageId, body, [SystemSender.UserId, to], cancellationToken);
        if (!duplicate)
        {
            // Only their tabs: their user room. Their page sees the sender as the other person of the conversation.
            var message = ToChatMessage(stored, conversation);
            await PublishAsync(stored, new BroadcastMessage(ns, Id,
                new Packet(ChatEvents.Direct, new DirectPosted(message, new Person(to, to))),
                BroadcastOptions.ToRooms(ChatNamespace.UserRoomOf(to))), cancellationToken);
        }
        return new EmitResult(ns, conversation, stored.Sequence, stored.Id, stored.SentAt, duplicate);
    }

    /// <summary>
    /// A message id made from any text (a job's name and date, say): the same text gives the same id, so a job that runs
    /// again posts nothing new. A name-based UUID (version 5 layout, SHA-256 of the text).
    /// </summary>
    public static Guid MessageIdFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("blazorchat-emitter:" + key), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _store.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The namespace a name means: "/", "/admin" or "/tenant-{name}" (the leading '/' may be left out).</summary>
    /// <exception cref="EmitRefusedException">No namespace of the chat has that name.</exception>
    public static string ValidNamespace(string? name)
    {
        var trimmed = (name ?? string.Empty).Trim();
        var ns = trimmed.Length == 0 ? ChatServer.MainNamespace : trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
        return ChatHandlers.IsChatNamespace(ns)
            ? ns
            : throw new EmitRefusedException(
                $"There is no namespace \"{trimmed}\": use \"/\", \"/admin\" or a team space's \"/tenant-name\" (lower-case letters, digits and '-').");
    }

    private static string ValidText(string? text) =>
        ChatRules.ValidateMessage(text, out var normalized) is { } reason ? throw new EmitRefusedException(reason) : normalized;

    private static string ValidUserId(string? userId)
    {
        if (string.IsNullOrWhiteSpace(userId))
            throw new EmitRefusedException("Name the person by their user id.");
        if (userId.Length > MaxUserIdLength || userId.Trim().Length != userId.Length || userId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            throw new EmitRefusedException($"\"{userId}\" is not a user id: at most {MaxUserIdLength} characters, no spaces or control characters.");
        if (userId == SystemSender.UserId)
            throw new EmitRefusedException($"\"{SystemSender.UserId}\" is the system sender's own id: name a person.");
        return userId;
    }

    private async Task<(StoredMessage Message, bool Duplicate)> AppendAsync(string ns, string conversation, Guid? messageId, string text,
        IReadOnlyList<string> participants, CancellationToken cancellationToken)
    {
        var message = new NewMessage(messageId ?? Guid.NewGuid(), ChatHandlers.StoreKey(ns, conversation), SystemSender.UserId, _senderName,
            text, _time.GetUtcNow(), participants);
        try
        {
            var result = await _store.AppendAsync(message, cancellationToken);
            return (result.Message, result.Duplicate);
        }
        catch (MessageIdConflictException)
        {
            throw new EmitRefusedException("That message id is already taken by another message; nothing was sent.");
        }
    }

    private async Task PublishAsync(StoredMessage stored, BroadcastMessage broadcast, CancellationToken cancellationToken)
    {
        try
        {
            await _publisher.PublishAsync(broadcast, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"Stored as message {stored.Sequence} of {stored.Conversation}, but telling the nodes failed: open tabs show it at their next "
                + "catch-up, and a retry with the same id stores nothing new.", ex);
        }
        if (_publisher.WroteAttachments)
        {
            // A long message went through the attachment table: clean up after itself, as a node does, since no node may.
            try
            {
                await _publisher.DeleteOldAttachmentsAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCleanupFailed(ex);
            }
        }
    }

    // As a node's handler makes it (no sender connection: nobody's own tab sent it).
    private static ChatMessage ToChatMessage(StoredMessage stored, string conversation) =>
        new(stored.Id, conversation, string.Empty, new Person(stored.SenderId, stored.SenderName), stored.Text, stored.SentAt, stored.Sequence);

    [LoggerMessage(EventId = 90, Level = LogLevel.Warning, Message = "Emitter: deleting old attachments failed")]
    private partial void LogCleanupFailed(Exception exception);
}
