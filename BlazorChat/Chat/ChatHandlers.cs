using System.Text.RegularExpressions;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;
using Microsoft.Extensions.Options;

namespace BlazorChat.Chat;

/// <summary>
/// The chat application on the realtime server: the namespaces it opens ("/", "/admin" and the
/// <c>/tenant-{name}</c> family), their middleware, and the handlers for what clients send.
/// </summary>
public sealed partial class ChatHandlers(ChatServer server, IOptions<ChatOptions> options, TimeProvider time, ILogger<ChatHandlers> logger)
{
    // Counting a person's tabs and announcing them must not interleave for two tabs arriving or leaving at once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _presenceLocks = new(StringComparer.Ordinal);

    public const string AdminNamespace = "/admin";
    public const string AdminRole = "admin";
    public const string TenantFamily = "/tenant-{name}";
    public const string AnnounceEvent = "announce";

    /// <summary>Opens the namespaces and registers every handler. Called once at start-up.</summary>
    public void Configure()
    {
        Register(server.Of(ChatServer.MainNamespace));

        var admin = server.Of(AdminNamespace);
        admin.Use(AdminsOnlyAsync);
        Register(admin);
        admin.On(AnnounceEvent, AnnounceAsync);

        var tenants = server.Of(TenantPattern(), TenantFamily);
        tenants.Use(AllowedTenantsOnlyAsync);
        Register(tenants);
    }

    /// <summary>The namespace name of a tenant, or null when the tenant name is not valid.</summary>
    public static string? TenantNamespace(string? tenant)
    {
        var name = $"/tenant-{(tenant ?? string.Empty).Trim().ToLowerInvariant()}";
        return TenantPattern().IsMatch(name) ? name : null;
    }

    private void Register(INamespaceHandlers handlers)
    {
        handlers.OnConnection(OnConnectedAsync);
        handlers.OnDisconnect(OnDisconnectedAsync);
        handlers.On(ChatEvents.JoinRoom, JoinRoomAsync);
        handlers.On(ChatEvents.LeaveRoom, LeaveRoomAsync);
        handlers.On(ChatEvents.SendMessage, SendMessageAsync);
        handlers.On(ChatEvents.SendDirect, SendDirectAsync);
        handlers.On(ChatEvents.Typing, TypingAsync);
        handlers.OnAny((socket, packet) => LogClientEvent(socket.Namespace.Name, socket.Id, packet.Event));
    }

    private static Task AdminsOnlyAsync(ConnectContext context, Func<Task> next) =>
        context.Request.User.IsInRole(AdminRole)
            ? next()
            : context.Refuse("Only administrators may enter /admin. Sign in with an admin account to use it.");

    private Task AllowedTenantsOnlyAsync(ConnectContext context, Func<Task> next)
    {
        var allowed = options.Value.AllowedTenants;
        var tenant = context.Namespace.Name["/tenant-".Length..];
        return allowed.Count == 0 || allowed.Contains(tenant, StringComparer.OrdinalIgnoreCase)
            ? next()
            : context.Refuse($"There is no team space called \"{tenant}\" here.");
    }

    private async Task OnConnectedAsync(ChatSocket socket)
    {
        var presence = _presenceLocks.GetOrAdd(socket.Namespace.Name, static _ => new SemaphoreSlim(1, 1));
        await presence.WaitAsync();
        try
        {
            await AnnounceConnectedAsync(socket);
        }
        finally
        {
            presence.Release();
        }
    }

    private async Task AnnounceConnectedAsync(ChatSocket socket)
    {
        await socket.JoinAsync(RoomNames.General);
        var ns = socket.Namespace;
        var everyone = await ns.Operator.FetchConnectionsAsync();
        var me = new Person(socket.UserId, socket.DisplayName);
        var firstTab = everyone.Count(c => c.UserId == socket.UserId) == 1;

        await socket.EmitAsync(ChatEvents.Welcome, new NamespaceWelcome(ns.Name, socket.Id, me, People(everyone),
            await RoomsAsync(ns), Joined(socket)));
        if (firstTab)
            await socket.Broadcast.Except(socket.UserRoom).EmitAsync(ChatEvents.Presence, new PersonJoined(ns.Name, me, time.GetUtcNow()));
        await BroadcastRoomsAsync(ns);
    }

    private async Task OnDisconnectedAsync(ChatSocket socket, string reason)
    {
        var ns = socket.Namespace;
        var presence = _presenceLocks.GetOrAdd(ns.Name, static _ => new SemaphoreSlim(1, 1));
        await presence.WaitAsync();
        try
        {
            var tabsLeft = await ns.To(socket.UserRoom).FetchConnectionsAsync();
            if (tabsLeft.Count == 0)
                await ns.EmitAsync(ChatEvents.Presence, new PersonLeft(ns.Name, new Person(socket.UserId, socket.DisplayName), time.GetUtcNow()));
        }
        finally
        {
            presence.Release();
        }
        await BroadcastRoomsAsync(ns);
    }

    private async Task<EventData?> JoinRoomAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<JoinRoomRequest>(data);
        if (RoomNames.Validate(request.Room, out var room) is { } reason)
            throw new ChatRefusedException(reason);
        await socket.JoinAsync(room);
        await BroadcastRoomsAsync(socket.Namespace);
        return new RoomMembership(Joined(socket));
    }

    private async Task<EventData?> LeaveRoomAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<LeaveRoomRequest>(data);
        if (!RoomNames.IsListed(request.Room) || !socket.Rooms.Contains(request.Room))
            throw new ChatRefusedException($"You are not in the room \"{request.Room}\".");
        await socket.LeaveAsync(request.Room);
        await BroadcastRoomsAsync(socket.Namespace);
        return new RoomMembership(Joined(socket));
    }

    private Task<EventData?> SendMessageAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<SendMessageRequest>(data);
        if (ChatRules.ValidateMessage(request.Text, out var text) is { } reason)
            throw new ChatRefusedException(reason);
        if (!RoomNames.IsListed(request.Room) || !socket.Rooms.Contains(request.Room))
            throw new ChatRefusedException($"You are not in the room \"{request.Room}\": join it first.");

        var now = time.GetUtcNow();
        var message = new ChatMessage(request.Id, request.Room, socket.Id, new Person(socket.UserId, socket.DisplayName), text, now);
        _ = DeliverAsync(socket, socket.Namespace.To(request.Room), ChatEvents.Message, new MessagePosted(message), message.Id);
        return Task.FromResult<EventData?>(new MessageAccepted(message.Id, now));
    }

    private async Task<EventData?> SendDirectAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<SendDirectRequest>(data);
        if (ChatRules.ValidateMessage(request.Text, out var text) is { } reason)
            throw new ChatRefusedException(reason);
        if (request.ToUserId == socket.UserId)
            throw new ChatRefusedException("Pick someone else to message privately.");
        var ns = socket.Namespace;
        var theirTabs = await ns.To(ChatNamespace.UserRoomOf(request.ToUserId)).FetchConnectionsAsync(cancellationToken);
        if (theirTabs.Count == 0)
            throw new ChatRefusedException("That person is not online here any more.");

        var now = time.GetUtcNow();
        var to = new Person(request.ToUserId, theirTabs[0].DisplayName);
        var message = new ChatMessage(request.Id, RoomNames.DirectConversation(socket.UserId, request.ToUserId), socket.Id,
            new Person(socket.UserId, socket.DisplayName), text, now);
        // Both people's tabs, and no one else: their two user rooms.
        _ = DeliverAsync(socket, ns.To(socket.UserRoom, ChatNamespace.UserRoomOf(to.UserId)), ChatEvents.Direct,
            new DirectPosted(message, to), message.Id);
        return new MessageAccepted(message.Id, now);
    }

    private async Task<EventData?> TypingAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<TypingRequest>(data);
        if (!RoomNames.IsListed(request.Room) || !socket.Rooms.Contains(request.Room))
            return null; // Typing in a room you are not in is meaningless, and not worth an error.
        // Volatile: a typing indicator is dropped for backlogged recipients and never queued ahead of messages.
        await socket.To(request.Room).Except(socket.UserRoom).Volatile
            .EmitAsync(ChatEvents.TypingChanged, new TypingChanged(request.Room, new Person(socket.UserId, socket.DisplayName), request.IsTyping), cancellationToken);
        return null;
    }

    private async Task<EventData?> AnnounceAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        // Middleware let this connection in; the operation checks again, so a revoked role stops here too.
        if (!socket.User.IsInRole(AdminRole))
            throw new ChatRefusedException("Only administrators may make announcements.");
        var request = Expect<SendMessageRequest>(data);
        if (ChatRules.ValidateMessage(request.Text, out var text) is { } reason)
            throw new ChatRefusedException(reason);
        var announcement = new AnnouncementPosted(new Person(socket.UserId, socket.DisplayName), text, time.GetUtcNow());
        foreach (var ns in server.Namespaces)
            await ns.EmitAsync(ChatEvents.Announcement, announcement, cancellationToken);
        return new MessageAccepted(request.Id, announcement.At);
    }

    // Emit with acknowledgements, then tell the sender's connection how delivery went. Runs in the background:
    // the sender already has "sent"; "delivered" or "not delivered" follows within the ack timeout.
    private async Task DeliverAsync(ChatSocket sender, BroadcastOperator target, string eventName, ChatEvent payload, Guid messageId)
    {
        try
        {
            var result = await target.Timeout(options.Value.AckTimeout).EmitWithAckAsync(eventName, payload);
            var recipients = result.Responses.Count(r => r.ConnectionId != sender.Id) + result.Missing.Count(id => id != sender.Id);
            var acknowledged = result.Responses.Count(r => r.ConnectionId != sender.Id);
            if (sender.Connected)
                await sender.EmitAsync(ChatEvents.Delivery, new DeliveryReport(messageId, recipients, acknowledged));
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(ex, sender.Namespace.Name, messageId);
        }
    }

    private static async Task BroadcastRoomsAsync(ChatNamespace ns) =>
        await ns.EmitAsync(ChatEvents.Rooms, new RoomsChanged(await RoomsAsync(ns)));

    /// <summary>The listed rooms of a namespace with how many people (not tabs) are in each.</summary>
    public static async Task<IReadOnlyList<RoomSummary>> RoomsAsync(ChatNamespace ns)
    {
        var connections = await ns.Operator.FetchConnectionsAsync();
        return
        [
            .. connections
                .SelectMany(c => c.Rooms.Where(RoomNames.IsListed).Select(room => (room, c.UserId)))
                .Distinct()
                .GroupBy(x => x.room, StringComparer.Ordinal)
                .Select(g => new RoomSummary(g.Key, g.Count()))
                .OrderBy(r => r.Name == RoomNames.General ? 0 : 1).ThenBy(r => r.Name, StringComparer.Ordinal),
        ];
    }

    private static IReadOnlyList<Person> People(IEnumerable<Realtime.Adapters.RemoteConnection> connections) =>
    [
        .. connections.DistinctBy(c => c.UserId).Select(c => new Person(c.UserId, c.DisplayName))
            .OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase),
    ];

    private static IReadOnlyList<string> Joined(ChatSocket socket) =>
        [.. socket.Rooms.Where(RoomNames.IsListed).OrderBy(r => r == RoomNames.General ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal)];

    private static T Expect<T>(EventData? data) where T : EventData =>
        data as T ?? throw new ChatRefusedException($"This request needs a {typeof(T).Name}.");

    [GeneratedRegex("^/tenant-[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex TenantPattern();

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "{Namespace}: {ConnectionId} sent {Event}")]
    private partial void LogClientEvent(string @namespace, string connectionId, string @event);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Namespace}: delivering message {MessageId} failed")]
    private partial void LogDeliveryFailed(Exception exception, string @namespace, Guid messageId);
}
