using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Persistence;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Moderation;

/// <summary>
/// The moderation actions, for a tab's events and for the operator's dashboard alike. Each method takes the acting
/// <see cref="ClaimsPrincipal"/> as the server authenticated it and asks <see cref="IAccessChecker"/> about it at that
/// moment (the account now, not the principal's claims, and never anything a client sends): the <c>admin</c> role may
/// act anywhere, a private room's owner in that room where the action allows it. Every action that changed something is
/// recorded in the <see cref="IAuditLog"/> before anyone is told of it. A refusal (<see cref="ChatRefusedException"/>)
/// changes nothing.
/// </summary>
public sealed partial class ModerationService(
    ChatServer server,
    IMessageStore messages,
    SequencedPublisher publisher,
    IRoomStore rooms,
    IAuditLog audit,
    IMuteStore mutes,
    IAccessChecker access,
    TimeProvider time,
    ILogger<ModerationService> logger,
    BlazorChat.Monitoring.ChatEventRing? events = null) : ISignInGate
{
    /// <summary>The longest reason a moderator may give, in UTF-16 code units.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Why an action is refused to someone who may not take it; the same whatever the target, so it reveals nothing.</summary>
    public const string NotAllowed = "Only an administrator, or the owner of a private room in it, may do that.";

    /// <summary>The longest mute, in minutes (a year).</summary>
    public const int MaxMuteMinutes = 365 * 24 * 60;

    /// <summary>How many people's mutes a node keeps in memory at most before it starts again from the store.</summary>
    public const int MuteCacheCapacity = 50_000;

    // The mutes of each person who sent since, by user id: read from the store once, forgotten when they change (here or,
    // told by a server-side emit, on another node), so a send costs no store read. Expiry is checked at each send.
    // A person's ban is kept in the same store and the same cache (scope Ban.Scope), so a connect costs no store read either.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<IReadOnlyList<Mute>>> _mutes = new(StringComparer.Ordinal);
    private readonly BanStore _bans = new(mutes);
    private int _started;

    /// <summary>Registers the tab-facing moderation events on a namespace (called for every chat namespace).</summary>
    public void Register(INamespaceHandlers handlers)
    {
        handlers.On(ModerationEvents.DeleteMessage, DeleteMessageFromTabAsync);
        handlers.On(ModerationEvents.Mute, MuteFromTabAsync);
        handlers.On(ModerationEvents.Unmute, UnmuteFromTabAsync);
        handlers.On(ModerationEvents.Disconnect, DisconnectFromTabAsync);
        handlers.On(ModerationEvents.Ban, BanFromTabAsync);
        handlers.On(ModerationEvents.Unban, UnbanFromTabAsync);
        // A banned person's tab may not enter (a reload, a reconnect, the same guest again) nor, should it have entered on
        // a node that had not heard of the ban yet, send anything.
        handlers.Use(async (context, next) =>
        {
            if (await FindBanAsync(context.Request.UserId) is { } ban)
                await context.Refuse(Banned(ban));
            await next();
        });
        // On every event of every tab: a person this node knows to hold no restriction (nearly everyone, nearly always)
        // passes on without an await of its own, so the check adds no state machine to the send path.
        handlers.UseEvents((context, next) => HoldsNothing(context.Socket.UserId) ? next() : RefuseIfBannedAsync(context, next));
    }

    private async Task RefuseIfBannedAsync(EventContext context, Func<Task> next)
    {
        if (await FindBanAsync(context.Socket.UserId) is { } ban)
        {
            await context.Socket.DisconnectAsync(DisconnectedReason, Banned(ban));
            throw new ChatRefusedException(Banned(ban));
        }
        await next();
    }

    /// <summary>Whether this node already knows that <paramref name="userId"/> holds no mute and no ban (read before, not changed since).</summary>
    private bool HoldsNothing(string userId) =>
        _mutes.TryGetValue(userId, out var load) && load.IsCompletedSuccessfully && load.Result.Count == 0;

    /// <summary>Listens for the other nodes' changes (a cluster's). Called once at start-up.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            return;
        server.Main.OnServerSideEmit(packet =>
        {
            if (packet is { Event: ModerationEvents.MutesChangedEvent, Data: MutesChanged changed })
                _mutes.TryRemove(changed.UserId, out _);
            if (packet is { Event: ModerationEvents.DisconnectEvent, Data: DisconnectOrder order })
                return DisconnectHereAsync(order);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Refuses a send of <paramref name="userId"/> in <paramref name="conversationKey"/> (a store key; null for what goes
    /// everywhere, an announcement) while a mute holds: everywhere, or in that private room.
    /// </summary>
    /// <exception cref="ChatRefusedException">They are muted: the reason and the time left.</exception>
    public Task EnsureNotMutedAsync(string userId, string? conversationKey, CancellationToken cancellationToken = default) =>
        HoldsNothing(userId) ? Task.CompletedTask : RefuseIfMutedAsync(userId, conversationKey, cancellationToken);

    private async Task RefuseIfMutedAsync(string userId, string? conversationKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var held = await MutesOfAsync(userId, cancellationToken);
        if (held.Where(m => m.Until > now && (m.Scope == Mute.Everywhere || m.Scope == conversationKey)).MaxBy(m => m.Until) is { } mute)
            throw new ChatRefusedException(Muted(mute.Until - now, mute.Reason));
    }

    /// <summary>What a muted person sees when a send is refused.</summary>
    public static string Muted(TimeSpan left, string reason)
    {
        var time = left >= TimeSpan.FromHours(2) ? Count((int)Math.Ceiling(left.TotalHours), "hour")
            : left >= TimeSpan.FromMinutes(1) ? Count((int)Math.Ceiling(left.TotalMinutes), "minute")
            : Count(ChatRateLimiter.WholeSeconds(left), "second");
        return reason.Length > 0 ? $"You are muted for {time}: {reason}" : $"You are muted for {time}.";

        static string Count(int n, string unit) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{n} more {unit}{(n == 1 ? "" : "s")}");
    }

    private async Task<IReadOnlyList<Mute>> MutesOfAsync(string userId, CancellationToken cancellationToken)
    {
        if (!_mutes.TryGetValue(userId, out var load))
        {
            // Counted only when someone new is read (ConcurrentDictionary.Count takes every lock of the map: not per send).
            if (_mutes.Count > MuteCacheCapacity)
                _mutes.Clear();
            load = _mutes.GetOrAdd(userId, id => mutes.ActiveAsync(id, time.GetUtcNow(), CancellationToken.None));
        }
        try
        {
            return await load.WaitAsync(cancellationToken);
        }
        catch when (load.IsFaulted)
        {
            // Not kept: the next send asks the store again.
            _mutes.TryRemove(new KeyValuePair<string, Task<IReadOnlyList<Mute>>>(userId, load));
            throw;
        }
    }

    private async Task<EventData?> MuteFromTabAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = data as MuteRequest ?? throw new ChatRefusedException($"This request needs a {nameof(MuteRequest)}.");
        return new MuteSet(await MuteAsync(socket.User, socket.DisplayName, socket.Namespace.Name, request.Room, request.UserId,
            request.Minutes, request.Reason, cancellationToken));
    }

    private async Task<EventData?> UnmuteFromTabAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = data as UnmuteRequest ?? throw new ChatRefusedException($"This request needs a {nameof(UnmuteRequest)}.");
        return new MuteEnded(request.UserId ?? string.Empty,
            await UnmuteAsync(socket.User, socket.DisplayName, socket.Namespace.Name, request.Room, request.UserId ?? string.Empty, cancellationToken));
    }

    /// <summary>
    /// Mutes <paramref name="userId"/> for <paramref name="minutes"/>: everywhere when <paramref name="room"/> is null
    /// (admins only), else in that private room of <paramref name="namespace"/> (its owner, or an admin). Their sends are
    /// refused with the reason and the time left until it ends; it outlives a restart. A new mute replaces the old one.
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed or bad input; nothing changed.</exception>
    public Task<Mute> MuteAsync(ClaimsPrincipal actor, string @namespace, string? room, string userId, int minutes, string? reason,
        CancellationToken cancellationToken = default) =>
        MuteAsync(actor, NameOf(actor), @namespace, room, userId, minutes, reason, cancellationToken);

    /// <summary>Ends <paramref name="userId"/>'s mute everywhere (null <paramref name="room"/>) or in a private room; returns whether there was one.</summary>
    /// <exception cref="ChatRefusedException">Not allowed or bad input; nothing changed.</exception>
    public Task<bool> UnmuteAsync(ClaimsPrincipal actor, string @namespace, string? room, string userId, CancellationToken cancellationToken = default) =>
        UnmuteAsync(actor, NameOf(actor), @namespace, room, userId, cancellationToken);

    /// <summary>The disconnect reason (for logs and hooks) of a connection a moderator ended.</summary>
    public const string DisconnectedReason = "disconnected by a moderator";

    private async Task<EventData?> DisconnectFromTabAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = data as DisconnectRequest ?? throw new ChatRefusedException($"This request needs a {nameof(DisconnectRequest)}.");
        return new ConnectionsDisconnected(await DisconnectAsync(socket.User, socket.DisplayName, request.ConnectionId, request.UserId, request.Reason,
            cancellationToken));
    }

    /// <summary>
    /// Ends one connection (<paramref name="connectionId"/>) or every connection of a person (<paramref name="userId"/>) in
    /// every namespace, on every node (a server-side emit), and each tab shows why. Admins only. Returns how many
    /// connections there were. The person may come back (a reload); a ban is what keeps them out.
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed, bad input, or nobody by that id connected; nothing changed.</exception>
    public Task<int> DisconnectAsync(ClaimsPrincipal actor, string? connectionId, string? userId, string? reason,
        CancellationToken cancellationToken = default) =>
        DisconnectAsync(actor, NameOf(actor), connectionId, userId, reason, cancellationToken);

    private async Task<int> DisconnectAsync(ClaimsPrincipal actor, string actorName, string? connectionId, string? userId, string? reason,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeAsync(actor, ChatServer.MainNamespace, string.Empty, ownersToo: false, cancellationToken);
        if (string.IsNullOrWhiteSpace(connectionId) == string.IsNullOrWhiteSpace(userId))
            throw new ChatRefusedException("Name either one connection or one person to disconnect.");
        var why = ValidReason(reason);
        // Counted across the cluster: every connection is in a room named by its id, and a person's in their user room.
        var room = connectionId ?? ChatNamespace.UserRoomOf(userId!);
        var count = 0;
        foreach (var ns in server.Namespaces)
            count += (await ns.To(room).FetchConnectionsAsync(cancellationToken)).Count;
        if (count == 0)
            throw new ChatRefusedException("Nobody by that id is connected; nothing was changed.");
        await AuditAsync(actorId, actorName, AuditActions.Disconnect, connectionId ?? userId!, why, cancellationToken);
        var order = new DisconnectOrder(connectionId, userId, why.Length > 0
            ? $"A moderator disconnected you: {why}"
            : "A moderator disconnected you.");
        await DisconnectHereAsync(order);
        await server.Main.ServerSideEmitAsync(ModerationEvents.DisconnectEvent, order, CancellationToken.None);
        return count;
    }

    // This node's connections that the order names, in every namespace, each told why.
    private async Task DisconnectHereAsync(DisconnectOrder order)
    {
        foreach (var ns in server.Namespaces)
        {
            foreach (var socket in ns.Connections.Where(s => s.Id == order.ConnectionId || (order.UserId is not null && s.UserId == order.UserId)))
                await socket.DisconnectAsync(DisconnectedReason, order.Message);
        }
    }

    /// <summary>What a banned person sees: when their tab ends, when it tries to come back, and when they sign in.</summary>
    public static string Banned(Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        var until = ban.Until is { } end
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC")
            : string.Empty;
        return ban.Reason.Length > 0 ? $"You are banned{until}: {ban.Reason}" : $"You are banned{until}.";
    }

    /// <summary>
    /// The ban that holds for <paramref name="userId"/> now, if any: read from the store once, then from this node's memory
    /// until a ban, unban, mute or unmute of theirs (here or on another node) makes it forget.
    /// </summary>
    public async Task<Ban?> FindBanAsync(string userId, CancellationToken cancellationToken = default) =>
        string.IsNullOrEmpty(userId) ? null : Ban.Among(await MutesOfAsync(userId, cancellationToken), time.GetUtcNow());

    /// <summary>Why <paramref name="userId"/> may not sign in now (their ban), or null.</summary>
    public async Task<string?> RefusalAsync(string userId, CancellationToken cancellationToken = default) =>
        await FindBanAsync(userId, cancellationToken) is { } ban ? $"{Banned(ban)} You may not sign in while it holds." : null;

    /// <summary>
    /// Bans <paramref name="userId"/> (an account or a guest) for <paramref name="minutes"/>, or until lifted when it is
    /// null. Admins only. Every tab of theirs, in every namespace on every node, ends and shows why; while it holds their
    /// sign-in, their tabs' connects and the same guest's return are refused with the reason. A new ban replaces the old.
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed or bad input; nothing changed.</exception>
    public Task<Ban> BanAsync(ClaimsPrincipal actor, string userId, int? minutes, string? reason, CancellationToken cancellationToken = default) =>
        BanAsync(actor, NameOf(actor), userId, minutes, reason, cancellationToken);

    /// <summary>Lifts <paramref name="userId"/>'s ban (admins only); returns whether there was one. They may sign in and come back at once.</summary>
    /// <exception cref="ChatRefusedException">Not allowed or bad input; nothing changed.</exception>
    public Task<bool> UnbanAsync(ClaimsPrincipal actor, string userId, CancellationToken cancellationToken = default) =>
        UnbanAsync(actor, NameOf(actor), userId, cancellationToken);

    /// <summary>The bans and the mutes that hold now, for the dashboard (admins only): at most <see cref="IMuteStore.MaxPage"/> in all.</summary>
    /// <exception cref="ChatRefusedException">Not allowed.</exception>
    public async Task<ActiveRestrictions> ActiveRestrictionsAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await AuthorizeAsync(actor, ChatServer.MainNamespace, string.Empty, ownersToo: false, cancellationToken);
        var held = await mutes.ListActiveAsync(time.GetUtcNow(), IMuteStore.MaxPage, cancellationToken);
        return new ActiveRestrictions([.. held.Where(m => m.Scope == Ban.Scope).Select(Ban.From)], [.. held.Where(m => m.Scope != Ban.Scope)]);
    }

    private async Task<EventData?> BanFromTabAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = data as BanRequest ?? throw new ChatRefusedException($"This request needs a {nameof(BanRequest)}.");
        return new BanSet(await BanAsync(socket.User, socket.DisplayName, request.UserId ?? string.Empty, request.Minutes, request.Reason,
            cancellationToken));
    }

    private async Task<EventData?> UnbanFromTabAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = data as UnbanRequest ?? throw new ChatRefusedException($"This request needs a {nameof(UnbanRequest)}.");
        return new BanLifted(request.UserId ?? string.Empty,
            await UnbanAsync(socket.User, socket.DisplayName, request.UserId ?? string.Empty, cancellationToken));
    }

    private async Task<Ban> BanAsync(ClaimsPrincipal actor, string actorName, string userId, int? minutes, string? reason,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeAsync(actor, ChatServer.MainNamespace, string.Empty, ownersToo: false, cancellationToken);
        if (string.IsNullOrWhiteSpace(userId))
            throw new ChatRefusedException("Name the person to ban.");
        if (userId == actorId)
            throw new ChatRefusedException("You may not ban yourself; nothing was changed.");
        if (minutes is < 1 or > MaxMuteMinutes)
            throw new ChatRefusedException($"Ban for 1 to {MaxMuteMinutes} minutes, or leave the time empty for a ban until lifted; nothing was changed.");
        var ban = new Ban(userId, minutes is { } m ? time.GetUtcNow().AddMinutes(m) : null, ValidReason(reason), actorId);
        await _bans.SetAsync(ban, cancellationToken);
        var what = minutes is { } length ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{length} min") : "until lifted";
        await AuditAsync(actorId, actorName, AuditActions.Ban, userId, ban.Reason.Length > 0 ? $"{what}: {ban.Reason}" : what, cancellationToken);
        // Every node forgets what it held of them before their tabs are told to end, so a tab that reconnects at once is refused.
        await MutesChangedAsync(userId);
        var order = new DisconnectOrder(null, userId, Banned(ban));
        await DisconnectHereAsync(order);
        await server.Main.ServerSideEmitAsync(ModerationEvents.DisconnectEvent, order, CancellationToken.None);
        return ban;
    }

    private async Task<bool> UnbanAsync(ClaimsPrincipal actor, string actorName, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeAsync(actor, ChatServer.MainNamespace, string.Empty, ownersToo: false, cancellationToken);
        if (string.IsNullOrWhiteSpace(userId))
            throw new ChatRefusedException("Name the person whose ban to lift.");
        var was = await _bans.RemoveAsync(userId, cancellationToken);
        await AuditAsync(actorId, actorName, AuditActions.Unban, userId, string.Empty, cancellationToken);
        await MutesChangedAsync(userId);
        return was;
    }

    private async Task<Mute> MuteAsync(ClaimsPrincipal actor, string actorName, string @namespace, string? room, string userId, int minutes,
        string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeScopeAsync(actor, @namespace, room, cancellationToken);
        if (string.IsNullOrWhiteSpace(userId))
            throw new ChatRefusedException("Name the person to mute.");
        if (minutes is < 1 or > MaxMuteMinutes)
            throw new ChatRefusedException($"Mute for 1 to {MaxMuteMinutes} minutes; nothing was changed.");
        var mute = new Mute(userId, ScopeOf(@namespace, room), time.GetUtcNow().AddMinutes(minutes), ValidReason(reason), actorId);
        await mutes.SetAsync(mute, cancellationToken);
        // The target is the person (the dashboard filters by it); how long and where go before the moderator's reason.
        var what = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{minutes} min, {WhereOf(mute.Scope)}");
        await AuditAsync(actorId, actorName, AuditActions.Mute, userId, mute.Reason.Length > 0 ? $"{what}: {mute.Reason}" : what, cancellationToken);
        await MutesChangedAsync(userId);
        return mute;
    }

    private async Task<bool> UnmuteAsync(ClaimsPrincipal actor, string actorName, string @namespace, string? room, string userId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeScopeAsync(actor, @namespace, room, cancellationToken);
        if (string.IsNullOrWhiteSpace(userId))
            throw new ChatRefusedException("Name the person to unmute.");
        var scope = ScopeOf(@namespace, room);
        var was = await mutes.RemoveAsync(userId, scope, cancellationToken);
        await AuditAsync(actorId, actorName, AuditActions.Unmute, userId, WhereOf(scope), cancellationToken);
        await MutesChangedAsync(userId);
        return was;
    }

    // Everywhere: an admin. A private room: its owner too. A room that is not a private room of this namespace: nobody.
    private async Task<string> AuthorizeScopeAsync(ClaimsPrincipal actor, string @namespace, string? room, CancellationToken cancellationToken)
    {
        if (room is null)
            return await AuthorizeAsync(actor, @namespace, string.Empty, ownersToo: false, cancellationToken);
        var actorId = await AuthorizeAsync(actor, @namespace, room, ownersToo: true, cancellationToken);
        if (!ChatHandlers.IsChatNamespace(@namespace) || !RoomNames.IsPrivateId(room)
            || await rooms.FindPrivateRoomAsync(@namespace, room, cancellationToken) is null)
            throw new ChatRefusedException("A mute holds everywhere or in one private room; there is no such private room here.");
        return actorId;
    }

    private static string WhereOf(string scope) => scope == Mute.Everywhere ? "everywhere" : $"in {scope}";

    private static string ScopeOf(string @namespace, string? room) => room is null ? Mute.Everywhere : ChatHandlers.StoreKey(@namespace, room);

    // Durable first: the action is in the audit log before anyone is told of it; then this node's live event log.
    private async Task AuditAsync(string actorId, string actorName, string action, string target, string reason, CancellationToken cancellationToken,
        string? @namespace = null)
    {
        await audit.AppendAsync(new AuditEntry(Guid.NewGuid(), time.GetUtcNow(), actorId, actorName, action, target, reason), cancellationToken);
        events?.Record(BlazorChat.Monitoring.ChatEventRing.AdminAction, @namespace, personId: actorId,
            detail: reason.Length > 0 ? $"{action} {target}: {reason}" : $"{action} {target}");
    }

    // This node forgets the person's mutes at once; the others when the server-side emit reaches them.
    private async Task MutesChangedAsync(string userId)
    {
        _mutes.TryRemove(userId, out _);
        try
        {
            await server.Main.ServerSideEmitAsync(ModerationEvents.MutesChangedEvent, new MutesChanged(userId), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogMutesChangedNotSent(ex, userId);
        }
    }

    // A tab's request: the actor is the connection's principal (authenticated by the server), whatever the payload says.
    private async Task<EventData?> DeleteMessageFromTabAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = data as DeleteMessageRequest ?? throw new ChatRefusedException($"This request needs a {nameof(DeleteMessageRequest)}.");
        return await DeleteMessageAsync(socket.User, socket.DisplayName, socket.Namespace.Name, request.Conversation, request.Id, request.Reason,
            cancellationToken);
    }

    /// <summary>
    /// Removes a message of <paramref name="conversation"/> (a room, a private room's id, or a private conversation's key)
    /// in <paramref name="namespace"/>: the store erases its text and marks it removed, the audit log records it, and
    /// every tab that shows it (on every node) replaces it with "message removed".
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed, bad input, or no such message; nothing changed.</exception>
    public Task<MessageRemoved> DeleteMessageAsync(ClaimsPrincipal actor, string @namespace, string conversation, Guid id, string? reason,
        CancellationToken cancellationToken = default) =>
        DeleteMessageAsync(actor, NameOf(actor), @namespace, conversation, id, reason, cancellationToken);

    private async Task<MessageRemoved> DeleteMessageAsync(ClaimsPrincipal actor, string actorName, string @namespace, string conversation, Guid id,
        string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeAsync(actor, @namespace, conversation, ownersToo: true, cancellationToken);
        if (!ChatHandlers.IsChatNamespace(@namespace) || string.IsNullOrWhiteSpace(conversation))
            throw new ChatRefusedException("Name the namespace and the conversation of the message to remove.");
        var why = ValidReason(reason);
        var key = ChatHandlers.StoreKey(@namespace, conversation);
        var removed = await messages.RemoveAsync(key, id, cancellationToken)
            ?? throw new ChatRefusedException("There is no such message in that conversation; nothing was removed.");
        await AuditAsync(actorId, actorName, AuditActions.DeleteMessage, $"{key}/{id:D}", why, cancellationToken, @namespace);
        LogMessageRemoved(@namespace, conversation, id, actorId);
        var notice = new MessageRemoved(conversation, id, removed.Sequence);
        if (server.Namespaces.FirstOrDefault(n => n.Name == @namespace) is { } ns)
            await RecipientsOf(ns, conversation, removed).EmitAsync(ModerationEvents.MessageRemoved, notice, CancellationToken.None);
        return notice;
    }

    // Everyone who may show the message, on every node (through the adapter): a room's members, or the two people of a
    // private conversation on all their tabs.
    private static BroadcastOperator RecipientsOf(ChatNamespace ns, string conversation, StoredMessage message) =>
        RoomNames.IsDirect(conversation) && RoomNames.OtherParticipant(conversation, message.SenderId) is { } other
            ? ns.To(ChatNamespace.UserRoomOf(message.SenderId), ChatNamespace.UserRoomOf(other))
            : ns.To(conversation);

    /// <summary>
    /// Posts a system notice: into <paramref name="room"/> (a public room) of <paramref name="namespace"/>, or, when
    /// <paramref name="room"/> is null or empty, to the whole namespace, which is its "general" room: every tab of a
    /// namespace is in it, so everyone online sees the notice once, and it stays in that room's history (one copy, not
    /// one per room). It goes the way every message goes: validated by the message rules, stored with the room's next
    /// sequence number, published in order, replayed by history and catch-up; signed as the system
    /// (<see cref="SystemSender"/>), so tabs show it as a notice. Admins only.
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed, or bad input (namespace, room, text); nothing was stored.</exception>
    public async Task<NoticePosted> PostNoticeAsync(ClaimsPrincipal actor, string @namespace, string? room, string? text,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeAsync(actor, ChatServer.MainNamespace, string.Empty, ownersToo: false, cancellationToken);
        var ns = ValidNamespace(@namespace);
        var name = string.IsNullOrWhiteSpace(room) ? RoomNames.General : ValidPublicRoom(room, "A notice goes to a public room or to a whole namespace");
        if (ChatRules.ValidateMessage(text, out var body) is { } reason)
            throw new ChatRefusedException(reason);
        var key = ChatHandlers.StoreKey(ns, name);
        await AuditAsync(actorId, NameOf(actor), AuditActions.Notice, key, body, cancellationToken, ns);
        var stored = (await publisher.AppendAsync(messages, new NewMessage(Guid.NewGuid(), key, SystemSender.UserId, SystemSender.DefaultDisplayName,
            body, time.GetUtcNow(), []), cancellationToken)).Message;
        var message = new ChatMessage(stored.Id, name, string.Empty, new Person(SystemSender.UserId, stored.SenderName), stored.Text, stored.SentAt,
            stored.Sequence);
        // In sequence order with the room's messages, through the namespace's adapter, which carries it to the other nodes'
        // tabs. A team space nobody on this node is in is opened here for it, and let go again once it has gone out:
        // skipped, the notice reached the tabs on other nodes only when they next caught up (a reconnect, a reload).
        publisher.Publish(key, stored.Sequence, () =>
        {
            var target = server.Namespaces.FirstOrDefault(n => n.Name == ns);
            _ = target is not null
                ? EmitQuietlyAsync(target.To(name), ChatEvents.Message, new MessagePosted(message))
                : EmitThenLetGoAsync(server.Of(ns), name, new MessagePosted(message));
        });
        return new NoticePosted(ns, name, stored.Id, stored.Sequence);
    }

    private async Task EmitThenLetGoAsync(ChatNamespace opened, string room, ChatEvent payload)
    {
        try
        {
            await EmitQuietlyAsync(opened.To(room), ChatEvents.Message, payload);
        }
        finally
        {
            // Removed only while still empty (a team space's namespace; the main one always stays).
            await server.OnConnectionLeftAsync(opened);
        }
    }

    private async Task EmitQuietlyAsync(BroadcastOperator target, string eventName, ChatEvent payload)
    {
        try
        {
            await target.EmitAsync(eventName, payload, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The notice is stored: tabs that missed it get it from history or catch-up.
            LogNoticeNotSent(ex, eventName);
        }
    }

    /// <summary>
    /// Makes one connection (<paramref name="connectionId"/>) or every connection of a person (<paramref name="userId"/>)
    /// in <paramref name="namespace"/>, on every node, join <paramref name="room"/> (socket.io's <c>socketsJoin</c>).
    /// For a person it is their membership too, as their own join would be: their next tabs are in the room. One
    /// connection's join lasts as long as the connection. Each tab's room list shows the room with a line saying a
    /// moderator added them; every tab's room counts follow. Public rooms only: a private room is its owner's, who
    /// invites and removes people. Admins only. Returns how many connections were moved.
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed, bad input, or nobody by that id connected there; nothing changed.</exception>
    public Task<int> AddToRoomAsync(ClaimsPrincipal actor, string @namespace, string room, string? connectionId, string? userId, string? reason,
        CancellationToken cancellationToken = default) =>
        MoveAsync(actor, @namespace, room, connectionId, userId, reason, join: true, cancellationToken);

    /// <summary>
    /// Makes one connection or every connection of a person in <paramref name="namespace"/>, on every node, leave
    /// <paramref name="room"/> (socket.io's <c>socketsLeave</c>); for a person, their membership ends too. The room
    /// disappears from each tab's room list with a line saying why. Public rooms only. Admins only. Returns how many
    /// connections were in the room.
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed, bad input, or no such connection in that room; nothing changed.</exception>
    public Task<int> RemoveFromRoomAsync(ClaimsPrincipal actor, string @namespace, string room, string? connectionId, string? userId, string? reason,
        CancellationToken cancellationToken = default) =>
        MoveAsync(actor, @namespace, room, connectionId, userId, reason, join: false, cancellationToken);

    private async Task<int> MoveAsync(ClaimsPrincipal actor, string @namespace, string room, string? connectionId, string? userId, string? reason,
        bool join, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeAsync(actor, ChatServer.MainNamespace, string.Empty, ownersToo: false, cancellationToken);
        var nsName = ValidNamespace(@namespace);
        var name = ValidPublicRoom(room, "Only public rooms can be joined or left this way");
        if (string.IsNullOrWhiteSpace(connectionId) == string.IsNullOrWhiteSpace(userId))
            throw new ChatRefusedException("Name either one connection or one person; nothing was changed.");
        var why = ValidReason(reason);
        var ns = server.Namespaces.FirstOrDefault(n => n.Name == nsName)
            ?? throw new ChatRefusedException($"Nobody is connected in {nsName}; nothing was changed.");
        var target = connectionId?.Trim() ?? ChatNamespace.UserRoomOf(userId!.Trim());
        var tabs = await ns.To(target).FetchConnectionsAsync(cancellationToken);
        if (tabs.Count == 0)
            throw new ChatRefusedException($"Nobody by that id is connected in {nsName}; nothing was changed.");
        var moved = join ? tabs.Count(c => !c.Rooms.Contains(name)) : tabs.Count(c => c.Rooms.Contains(name));
        if (moved == 0)
            throw new ChatRefusedException(join ? $"They are in #{name} already; nothing was changed." : $"They are not in #{name}; nothing was changed.");
        var where = $"{nsName}#{name}";
        await AuditAsync(actorId, NameOf(actor), join ? AuditActions.AddToRoom : AuditActions.RemoveFromRoom, connectionId?.Trim() ?? userId!.Trim(),
            why.Length > 0 ? $"{where}: {why}" : where, cancellationToken, nsName);
        if (join)
            await ns.In(target).JoinAsync(name);
        else
            await ns.In(target).LeaveAsync(name);
        // A person's membership is kept, as their own join or leave keeps it; "general" is everyone's at every connect.
        if (userId is not null && name != RoomNames.General)
        {
            if (join)
                await rooms.AddMemberAsync(nsName, name, new RoomMember(userId.Trim(), tabs[0].DisplayName), CancellationToken.None);
            else
                await rooms.RemoveMemberAsync(nsName, name, userId.Trim(), CancellationToken.None);
        }
        var text = join ? $"A moderator added you to #{name}." : $"A moderator removed you from #{name}.";
        await ns.To(target).EmitAsync(ModerationEvents.RoomMoved, new RoomMovedByModerator(name, join, why.Length > 0 ? $"{text} {why}" : text),
            CancellationToken.None);
        await ns.EmitAsync(ChatEvents.Rooms, new RoomsChanged(await ChatHandlers.RoomsAsync(ns)), CancellationToken.None);
        return moved;
    }

    /// <summary>The audit log, newest first: <paramref name="take"/> entries after the newest <paramref name="skip"/>. Admins only.</summary>
    /// <exception cref="ChatRefusedException">Not allowed, or a page beyond the latest <see cref="IAuditLog.MaxPage"/> entries.</exception>
    public async Task<AuditPage> AuditAsync(ClaimsPrincipal actor, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await AuthorizeAsync(actor, ChatServer.MainNamespace, string.Empty, ownersToo: false, cancellationToken);
        if (skip < 0 || take < 1 || skip + take >= IAuditLog.MaxPage)
            throw new ChatRefusedException($"The dashboard pages through the latest {IAuditLog.MaxPage - 1} entries only.");
        var entries = await audit.RecentAsync(skip + take + 1, AuditFilter.All, cancellationToken);
        return new AuditPage([.. entries.Skip(skip).Take(take)], entries.Count > skip + take);
    }

    private static string ValidNamespace(string? @namespace)
    {
        var ns = (@namespace ?? string.Empty).Trim();
        return ChatHandlers.IsChatNamespace(ns)
            ? ns
            : throw new ChatRefusedException("There is no such namespace: use \"/\", \"/admin\" or a team space's \"/tenant-name\"; nothing was changed.");
    }

    private static string ValidPublicRoom(string? room, string privateRefusal)
    {
        var raw = (room ?? string.Empty).Trim().TrimStart('#');
        if (RoomNames.IsPrivateId(raw))
            throw new ChatRefusedException($"{privateRefusal}: a private room is its owner's, who invites and removes people. Nothing was changed.");
        if (RoomNames.Validate(room, out var name) is { } reason)
            throw new ChatRefusedException(reason);
        return name;
    }

    /// <summary>
    /// The actor's user id, when they may act: signed in still, and an admin now (asked of the account), or, where
    /// <paramref name="ownersToo"/>, the owner of the private room <paramref name="conversation"/>.
    /// </summary>
    private async Task<string> AuthorizeAsync(ClaimsPrincipal actor, string @namespace, string conversation, bool ownersToo,
        CancellationToken cancellationToken)
    {
        var actorId = actor.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(actorId) || !await access.IsStillSignedInAsync(actor, cancellationToken))
            throw new ChatRefusedException(NotAllowed);
        // A banned person may do nothing here, an admin's role and a room's ownership included: they could lift their own ban.
        if (await FindBanAsync(actorId, cancellationToken) is { } ban)
            throw new ChatRefusedException(Banned(ban));
        if (await access.IsInRoleAsync(actor, ChatHandlers.AdminRole, cancellationToken))
            return actorId;
        if (ownersToo && RoomNames.IsPrivateId(conversation) && ChatHandlers.IsChatNamespace(@namespace)
            && await rooms.FindPrivateRoomAsync(@namespace, conversation, cancellationToken) is { } room && room.OwnerId == actorId)
            return actorId;
        throw new ChatRefusedException(NotAllowed);
    }

    private static string ValidReason(string? reason)
    {
        var why = UnicodeText.RemoveDirectionControls((reason ?? string.Empty).Trim());
        if (why.Length > MaxReasonLength)
            throw new ChatRefusedException($"Give a reason of at most {MaxReasonLength} characters; nothing was changed.");
        return why;
    }

    private static string NameOf(ClaimsPrincipal actor) =>
        actor.Identity?.Name is { Length: > 0 } name ? name : actor.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty;

    [LoggerMessage(EventId = 92, Level = LogLevel.Warning, Message = "Telling tabs of a notice ({Event}) failed; it is stored")]
    private partial void LogNoticeNotSent(Exception exception, string @event);

    [LoggerMessage(EventId = 91, Level = LogLevel.Warning, Message = "Telling the other nodes that the mutes of {UserId} changed failed")]
    private partial void LogMutesChangedNotSent(Exception exception, string userId);

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "{Namespace}: message {MessageId} of {Conversation} removed by {ActorId}")]
    private partial void LogMessageRemoved(string @namespace, string conversation, Guid messageId, string actorId);
}
