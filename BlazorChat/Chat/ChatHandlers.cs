using System.Diagnostics;
using System.Runtime.InteropServices;
using BlazorChat.Accounts;
using BlazorChat.Monitoring;
using System.Text.RegularExpressions;
using BlazorChat.Persistence;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;
using Microsoft.Extensions.Options;

namespace BlazorChat.Chat;

/// <summary>
/// The chat application on the realtime server: the namespaces it opens ("/", "/admin" and the
/// <c>/tenant-{name}</c> family), their middleware, and the handlers for what clients send.
/// </summary>
public sealed partial class ChatHandlers(
    ChatServer server,
    IMessageStore store,
    IRoomStore rooms,
    PrivateRooms privateRooms,
    SequencedPublisher publisher,
    AccessGuard access,
    IOptions<ChatOptions> options,
    TimeProvider time,
    ILogger<ChatHandlers> logger,
    IAccountDirectory? accounts = null,
    ChatRateLimiter? limiter = null,
    ChatMetrics? metrics = null,
    BlazorChat.Moderation.ModerationService? moderation = null)
{
    /// <summary>The most messages one history request returns.</summary>
    public const int MaxHistoryPage = 200;

    // Counting a person's tabs and announcing them must not interleave for two tabs arriving or leaving at once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _presenceLocks = new(StringComparer.Ordinal);

    /// <summary>
    /// On a cluster, how long after one of a person's tabs closed, while their others were on other nodes only, this node
    /// asks again whether any is left: those nodes may have counted this tab a moment before it went, as this node
    /// counted theirs, and then no node would have said the person left.
    /// </summary>
    public static readonly TimeSpan LeaveRecheckDelay = TimeSpan.FromSeconds(1);

    /// <summary>How many people (per namespace and user id) the server remembers by name once they are away.</summary>
    public const int SeenPeopleCapacity = 100_000;

    // People who have been in a namespace since this process started, by StoreKey(namespace, user id), with their
    // latest name: a private message or an invite may go to them once they are away (it waits in the store). Bounded;
    // after a restart, or once forgotten, the store's history is what knows them. On a cluster each node remembers
    // whom it served, and a look-up this node cannot answer asks the others (SeenPeopleEvent).
    private readonly SeenPeople _seen = new(SeenPeopleCapacity);
    private readonly MessageCache _messages = new(new PersonCache());
    private readonly LastPeople<ChatNamespace> _lastPeople = new();

    /// <summary>The server-side event by which a node asks the others whom they have seen (a cluster's nodes only).</summary>
    public const string SeenPeopleEvent = "people:seen";

    /// <summary>How long a look-up waits for the other nodes' answers; a node that does not answer in time adds nobody.</summary>
    public static readonly TimeSpan SeenPeopleTimeout = TimeSpan.FromSeconds(1);

    public const string AdminNamespace = "/admin";
    public const string AdminRole = "admin";
    public const string TenantFamily = "/tenant-{name}";
    public const string AnnounceEvent = "announce";

    /// <summary>Opens the namespaces and registers every handler. Called once at start-up.</summary>
    public void Configure()
    {
        var main = server.Of(ChatServer.MainNamespace);
        access.RequireSignIn(main);
        Register(main);
        main.OnServerSideEmitWithAck(packet => Task.FromResult<EventData?>(packet is { Event: SeenPeopleEvent, Data: SeenPeopleQuery query } ? AnswerSeen(query) : null));

        // The role is asked of the access checker when a connection enters and again before every event it sends.
        var admin = server.Of(AdminNamespace);
        access.RequireSignIn(admin);
        access.RequireRole(admin, AdminRole, "administrators");
        Register(admin);
        admin.On(AnnounceEvent, AnnounceAsync);

        var tenants = server.Of(TenantPattern(), TenantFamily);
        access.RequireSignIn(tenants);
        tenants.Use(AllowedTenantsOnlyAsync);
        Register(tenants);
        access.Start();
        moderation?.Start();
    }

    /// <summary>Whether a name is one of the chat's namespaces: "/", "/admin" or a valid <c>/tenant-{name}</c>.</summary>
    public static bool IsChatNamespace(string? name) =>
        name is ChatServer.MainNamespace or AdminNamespace || (name is not null && TenantPattern().IsMatch(name));

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
        handlers.OnNodeLeft(OnNodeLeftAsync);
        // The store is the log: a node that missed broadcasts has its tabs fetch what they missed.
        handlers.OnDeliveriesMissed(DeliveriesMissedAsync);
        handlers.On(ChatEvents.JoinRoom, JoinRoomAsync);
        handlers.On(ChatEvents.LeaveRoom, LeaveRoomAsync);
        handlers.On(ChatEvents.SendMessage, SendMessageAsync);
        handlers.On(ChatEvents.SendDirect, SendDirectAsync);
        handlers.On(ChatEvents.Typing, TypingAsync);
        handlers.On(ChatEvents.History, HistoryAsync);
        handlers.On(ChatEvents.MarkRead, MarkReadAsync);
        handlers.On(ChatEvents.FindPerson, FindPersonByIdAsync);
        handlers.On(ChatEvents.SearchPeople, SearchPeopleAsync);
        privateRooms.Register(handlers, FindPersonAsync);
        moderation?.Register(handlers);
        handlers.OnAny((socket, packet) => LogClientEvent(socket.Namespace.Name, socket.Id, packet.Event));
    }

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
        var ns = socket.Namespace;
        // What the store knows of this person (their rooms, unread counts, private rooms) is read before the presence lock,
        // which every arrival and departure in the namespace waits for: read inside it, a thousand arrivals queued behind
        // each other's store reads.
        await socket.JoinAsync(RoomNames.General);
        await RestoreRoomsAsync(socket);
        var unread = await UnreadAsync(socket);
        var privateRoomsOf = await privateRooms.OfAsync(ns, socket.UserId);
        var me = _messages.People.Of(socket.UserId, socket.DisplayName);
        _seen.Remember(StoreKey(ns, socket.UserId), socket.DisplayName);
        var digest = DigestOf(ns);
        var presence = PresenceLockOf(ns);
        var headcount = HeadcountOf(ns);
        var joined = Joined(socket);
        // Who is here: counted, outside the presence lock (a namespace of a thousand is a thousand connections to list and
        // count, and every arrival and departure waits for that lock: holding it for the count made joining quadratic), and
        // on one node counted once per digest, shared by every arrival until the next (SharedHeadcount). The welcome goes out
        // under the lock, with the arrivals and departures told since the count (all in the digest being gathered), and
        // only if no digest went out since the count began: a digest goes out either before the count (which then holds
        // what it told) or after the welcome. (Told in between, it could say someone left whom the welcome, counted before,
        // lists.) Otherwise the count is made again; after a few tries, under the lock, where nothing can come between.
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt == MaxWelcomeCounts;
            var told = digest.Told;
            if (last)
                await presence.WaitAsync();
            var count = await headcount.OfAsync(told, fresh: last);
            if (!last)
                await presence.WaitAsync();
            try
            {
                // A count made under the lock holds everything, whatever a count of rooms alone told meanwhile.
                var since = digest.PendingSince(told);
                if (since is null && !last)
                    continue;
                var (people, rooms) = count.For(since ?? [], me, joined);
                await socket.EmitAsync(ChatEvents.Welcome,
                    new NamespaceWelcome(ns.Name, socket.Id, me, people, rooms, joined, unread, privateRoomsOf));
                // Their first tab on this node. On a cluster their tabs may connect through two nodes at once, each counting
                // the other's: counted across the cluster, neither would announce them. So each node announces its first, and
                // a tab that already lists the person adds no second line.
                var firstTab = (await ns.Local.To(socket.UserRoom).FetchConnectionsAsync()).Count == 1;
                // Their arrival and the rooms' new counts, with whatever else happens in this namespace meanwhile.
                await digest.AddAsync(firstTab ? new PresenceChange(me, Online: true) : null, count.Tabs + 1);
                return;
            }
            finally
            {
                presence.Release();
            }
        }
    }

    /// <summary>How many times an arrival counts the namespace outside the presence lock before it counts under it.</summary>
    internal const int MaxWelcomeCounts = 3;

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ChatNamespace, SharedHeadcount> _headcounts = [];

    private System.Runtime.CompilerServices.ConditionalWeakTable<ChatNamespace, SharedHeadcount>.CreateValueCallback? _newHeadcount;

    private SharedHeadcount HeadcountOf(ChatNamespace ns) => _headcounts.GetValue(ns, _newHeadcount ??= NewHeadcount);

    private SharedHeadcount NewHeadcount(ChatNamespace ns) => new(ns, everyone =>
    {
        var (people, byId) = People(ns, everyone);
        return new Headcount(people, byId, RoomsOf(everyone), everyone.Count);
    });

    private SemaphoreSlim PresenceLockOf(ChatNamespace ns) => _presenceLocks.GetOrAdd(ns.Name, static _ => new SemaphoreSlim(1, 1));

    // The rooms this person belongs to in this namespace, kept across visits: a new tab is in them from the start.
    private async Task RestoreRoomsAsync(ChatSocket socket)
    {
        var memberships = await rooms.RoomsOfAsync(socket.Namespace.Name, socket.UserId);
        var listed = memberships.Where(RoomNames.IsListed).ToArray();
        if (listed.Length > 0)
            await socket.JoinAsync(listed);
        await privateRooms.RestoreAsync(socket, memberships);
    }

    private async Task OnDisconnectedAsync(ChatSocket socket, string reason)
    {
        var ns = socket.Namespace;
        var presence = PresenceLockOf(ns);
        await presence.WaitAsync();
        try
        {
            var tabsLeft = await ns.To(socket.UserRoom).FetchConnectionsAsync();
            var person = _messages.People.Of(socket.UserId, socket.DisplayName);
            if (tabsLeft.Count > 0 && tabsLeft.All(c => c.ServerId != ns.ServerId))
                RecheckLeaveLater(ns, person);
            await DigestOf(ns).AddAsync(tabsLeft.Count == 0 ? new PresenceChange(person, Online: false) : null);
        }
        finally
        {
            presence.Release();
        }
    }

    // Their other tabs were on other nodes only, and may have been closing at this very moment, each node counting the
    // other's: asked again a little later, a person with no tab left is said to have left (perhaps by two nodes: a tab
    // that no longer lists them adds no second line).
    private void RecheckLeaveLater(ChatNamespace ns, Person person) => _ = Task.Run(async () =>
    {
        try
        {
            await Task.Delay(LeaveRecheckDelay, time);
            var presence = PresenceLockOf(ns);
            await presence.WaitAsync();
            try
            {
                if ((await ns.To(ChatNamespace.UserRoomOf(person.UserId)).FetchConnectionsAsync()).Count == 0)
                    await DigestOf(ns).AddAsync(new PresenceChange(person, Online: false));
            }
            finally
            {
                presence.Release();
            }
        }
        catch (Exception ex)
        {
            LogLeaveRecheckFailed(ex, ns.Name);
        }
    });

    // Another node left with its tabs, and their disconnects will never be heard (it died, or closed without them):
    // this node tells its own tabs who is online now, and every node does the same for its own. A person still on
    // another node, or here, stays online.
    private async Task OnNodeLeftAsync(ChatNamespace ns, string nodeId)
    {
        var presence = PresenceLockOf(ns);
        await presence.WaitAsync();
        try
        {
            var everyone = await ns.Operator.FetchConnectionsAsync();
            await ns.Local.EmitAsync(ChatEvents.Presence, new PeopleOnline(ns.Name, People(ns, everyone).People, time.GetUtcNow()));
            await ns.Local.EmitAsync(ChatEvents.Rooms, new RoomsChanged(await RoomsAsync(ns)));
        }
        finally
        {
            presence.Release();
        }
    }

    private async Task<EventData?> JoinRoomAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<JoinRoomRequest>(data);
        if (limiter?.TryAcquire(RateLimitKind.Joins, socket.UserId) is { } joinAfter)
            throw new ChatRefusedException(ChatRateLimiter.SlowDownJoining(joinAfter));
        if (RoomNames.IsPrivateId(request.Room))
        {
            await privateRooms.JoinAsync(socket, request.Room, cancellationToken);
            return new RoomMembership(Joined(socket));
        }
        if (RoomNames.Validate(request.Room, out var room) is { } reason)
            throw new ChatRefusedException(reason);
        // One person across tabs: every tab of theirs in this namespace joins (socket.io's socketsJoin on the user's room).
        await socket.Namespace.In(socket.UserRoom).JoinAsync(room);
        if (room != RoomNames.General)
            await rooms.AddMemberAsync(socket.Namespace.Name, room, new RoomMember(socket.UserId, socket.DisplayName), cancellationToken);
        await DigestOf(socket.Namespace).AddAsync(null);
        return await MembershipChangedAsync(socket);
    }

    private async Task<EventData?> LeaveRoomAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<LeaveRoomRequest>(data);
        if (RoomNames.IsPrivateId(request.Room))
        {
            await privateRooms.LeaveAsync(socket, request.Room, cancellationToken);
            return new RoomMembership(Joined(socket));
        }
        if (!RoomNames.IsListed(request.Room) || !socket.IsIn(request.Room))
            throw new ChatRefusedException($"You are not in the room \"{request.Room}\".");
        await socket.Namespace.In(socket.UserRoom).LeaveAsync(request.Room);
        await rooms.RemoveMemberAsync(socket.Namespace.Name, request.Room, socket.UserId, cancellationToken);
        await DigestOf(socket.Namespace).AddAsync(null);
        return await MembershipChangedAsync(socket);
    }

    private async Task<EventData?> SendMessageAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<SendMessageRequest>(data);
        if (ChatRules.ValidateMessage(request.Text, out var text) is { } reason)
            throw new ChatRefusedException(reason);
        await EnsureNotMutedAsync(socket, request.Room, cancellationToken);
        EnsureMayPost(socket);
        if (!await privateRooms.CanUseAsync(socket, request.Room, cancellationToken))
            throw new ChatRefusedException($"You are not in the room \"{request.Room}\": join it first.");

        var ns = socket.Namespace;
        var message = await StoreAsync(socket, request.Room, request.Id, text, participants: [], cancellationToken);
        metrics?.MessageStored(ChatMetrics.RoomMessage);
        // Write, then publish: the message is durable before anyone sees it, and goes out in sequence order.
        publisher.Publish(StoreKey(ns, request.Room), message.Sequence,
            () => _ = DeliverAsync(socket, ns.To(request.Room), ChatEvents.Message, new MessagePosted(message), message.Id));
        return new MessageAccepted(message.Id, message.SentAt, message.Sequence);
    }

    private async Task<EventData?> SendDirectAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<SendDirectRequest>(data);
        if (ChatRules.ValidateMessage(request.Text, out var text) is { } reason)
            throw new ChatRefusedException(reason);
        await EnsureNotMutedAsync(socket, null, cancellationToken);
        EnsureMayPost(socket);
        if (request.ToUserId == socket.UserId)
            throw new ChatRefusedException("Pick someone else to message privately.");
        if (request.ToUserId == SystemSender.UserId)
            throw new ChatRefusedException(SystemSender.CannotAnswer);
        var ns = socket.Namespace;
        var conversation = RoomNames.DirectConversation(socket.UserId, request.ToUserId);
        // Online or not: a private message to someone away waits in the store for their next visit.
        var to = await PersonAsync(ns, request.ToUserId, conversation, cancellationToken)
            ?? throw new ChatRefusedException("There is nobody by that id here.");

        var message = await StoreAsync(socket, conversation, request.Id, text, [socket.UserId, to.UserId], cancellationToken);
        metrics?.MessageStored(ChatMetrics.DirectMessage);
        // Both people's tabs, and no one else: their two user rooms.
        publisher.Publish(StoreKey(ns, conversation), message.Sequence,
            () => _ = DeliverAsync(socket, ns.To(socket.UserRoom, ChatNamespace.UserRoomOf(to.UserId)), ChatEvents.Direct,
                new DirectPosted(message, to), message.Id));
        return new MessageAccepted(message.Id, message.SentAt, message.Sequence);
    }

    // Flood control, before anything is stored or sequenced: a message over the person's limit is refused with the time
    // until they may send again, and nothing of it is kept. By the user id the server authenticated (socket.UserId), so
    // all of a person's tabs share one bucket, and nothing a client sends can pick another.
    private void EnsureMayPost(ChatSocket socket)
    {
        if (limiter?.TryAcquire(RateLimitKind.Messages, socket.UserId) is { } retryAfter)
            throw new ChatRefusedException(ChatRateLimiter.SlowDownSending(retryAfter));
    }

    // A muted person's send is refused before it costs a token: with the reason and the time left, as "slow down" is.
    // Everywhere mutes hold for every send; a private room's only for a message to that room.
    private Task EnsureNotMutedAsync(ChatSocket socket, string? room, CancellationToken cancellationToken) =>
        moderation?.EnsureNotMutedAsync(socket.UserId, room is null ? null : StoreKey(socket.Namespace, room), cancellationToken) ?? Task.CompletedTask;

    private async Task<EventData?> HistoryAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<HistoryRequest>(data);
        await EnsureCanReadAsync(socket, request.Conversation, cancellationToken);
        var key = StoreKey(socket.Namespace, request.Conversation);
        var limit = Math.Clamp(request.Limit, 1, MaxHistoryPage);
        var page = request.After is { } after
            ? await store.ReadAfterAsync(key, after, limit, cancellationToken)
            : await store.ReadBeforeAsync(key, request.Before, limit, cancellationToken);
        var hasOlder = page.Count > 0 ? page[0].Sequence > 1 : request.After is null && request.Before > 1 && request.Before != long.MaxValue;
        return new HistoryPage(request.Conversation, [.. page.Select(m => _messages.Of(m, request.Conversation))], hasOlder);
    }

    private async Task<EventData?> MarkReadAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<MarkReadRequest>(data);
        await EnsureCanReadAsync(socket, request.Conversation, cancellationToken);
        await store.MarkReadAsync(socket.UserId, StoreKey(socket.Namespace, request.Conversation), request.Sequence, cancellationToken);
        // Read in one tab is read in all: the person's other tabs clear the conversation's unread count.
        await socket.Namespace.To(socket.UserRoom).Except(socket.Id)
            .EmitAsync(ChatEvents.ReadMarked, new ReadMarked(request.Conversation, request.Sequence), cancellationToken);
        return null;
    }

    // The rooms this tab is in now, for its reply; the person's other tabs (joined or left with it) are told the same.
    private static async Task<RoomMembership> MembershipChangedAsync(ChatSocket socket)
    {
        var membership = new RoomMembership(Joined(socket));
        await socket.Namespace.To(socket.UserRoom).Except(socket.Id).EmitAsync(ChatEvents.Membership, membership);
        return membership;
    }

    // Every read path checks here: a room only for its members, a private conversation only for its two people. The
    // refusal is the same whether the conversation exists or not, so it reveals nothing.
    private async Task EnsureCanReadAsync(ChatSocket socket, string conversation, CancellationToken cancellationToken)
    {
        var allowed = RoomNames.OtherParticipant(conversation, socket.UserId) is not null
            || await privateRooms.CanUseAsync(socket, conversation, cancellationToken);
        if (!allowed)
            throw new ChatRefusedException("You cannot read that conversation.");
    }

    // Someone to invite: online in this namespace, seen here since this process started, or a registered person (whom the
    // people picker offers too).
    private async Task<Person?> FindPersonAsync(ChatNamespace ns, string userId, CancellationToken cancellationToken)
    {
        var tabs = await ns.To(ChatNamespace.UserRoomOf(userId)).FetchConnectionsAsync(cancellationToken);
        if (tabs.Count > 0)
            return new Person(userId, tabs[0].DisplayName);
        if (_seen.TryGet(StoreKey(ns, userId), out var name))
            return new Person(userId, name);
        if ((await SeenElsewhereAsync(new SeenPeopleQuery(ns.Name, null, userId, null, 1), cancellationToken)).FirstOrDefault() is { } seen)
            return seen;
        return accounts is null ? null : await accounts.FindPersonAsync(userId, cancellationToken);
    }

    private async Task<ChatMessage> StoreAsync(ChatSocket socket, string conversation, Guid id, string text, IReadOnlyList<string> participants,
        CancellationToken cancellationToken)
    {
        var key = StoreKey(socket.Namespace, conversation);
        AppendResult result;
        try
        {
            result = await publisher.AppendAsync(store, new NewMessage(id, key, socket.UserId, socket.DisplayName, text,
                time.GetUtcNow(), participants), cancellationToken);
        }
        catch (MessageIdConflictException)
        {
            throw new ChatRefusedException("That message id is already taken; nothing was sent.");
        }
        // What you send, you have read.
        _ = store.MarkReadAsync(socket.UserId, key, result.Message.Sequence, CancellationToken.None);
        return _messages.Of(result.Message, conversation) with { SenderConnectionId = socket.Id };
    }

    // An address /dm/{person}: who that is, as the private conversation between the two would name them.
    private async Task<EventData?> FindPersonByIdAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<FindPersonRequest>(data);
        if (string.IsNullOrWhiteSpace(request.UserId) || request.UserId == socket.UserId)
            return new PersonFound(null);
        var conversation = RoomNames.DirectConversation(socket.UserId, request.UserId);
        return new PersonFound(await PersonAsync(socket.Namespace, request.UserId, conversation, cancellationToken));
    }

    /// <summary>The most people one search returns.</summary>
    public const int MaxPeopleFound = 20;

    /// <summary>
    /// The most remembered people one search reads, the most recently seen first: a search for a name nobody has costs
    /// this much at most, however many people the server remembers. Someone seen longer ago is still found while online,
    /// when registered, or by their conversation's address.
    /// </summary>
    public const int MaxPeopleScanned = 10_000;

    // The people picker and the invite dialog: anyone known in this namespace (online now, seen here since start-up) or
    // registered, by name. Bounded: at most MaxPeopleFound, and each source is read no further than it takes to find
    // them. No text lists the people here, online first, then the most recently seen; only a name is looked for among
    // every registered account.
    private async Task<EventData?> SearchPeopleAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var text = (Expect<SearchPeopleRequest>(data).Text ?? string.Empty).Trim();
        if (text.Length > ChatRules.MaxDisplayNameLength)
            throw new ChatRefusedException($"Search for at most {ChatRules.MaxDisplayNameLength} characters of a name.");
        var found = new Dictionary<string, Person>(StringComparer.Ordinal);
        bool Full() => found.Count >= MaxPeopleFound;
        bool Matches(string name) => name.Contains(text, StringComparison.OrdinalIgnoreCase);
        bool Wanted(string userId) => userId != socket.UserId && !found.ContainsKey(userId);
        foreach (var connection in await socket.Namespace.Operator.FetchConnectionsAsync(cancellationToken))
        {
            if (Full())
                break;
            if (Wanted(connection.UserId) && Matches(connection.DisplayName))
                found.Add(connection.UserId, new Person(connection.UserId, connection.DisplayName));
        }
        var prefix = StoreKey(socket.Namespace, string.Empty);
        if (!Full())
        {
            var seen = _seen.Search((key, name) => key.StartsWith(prefix, StringComparison.Ordinal) && Matches(name) && Wanted(key[prefix.Length..]),
                MaxPeopleFound - found.Count, MaxPeopleScanned);
            foreach (var (key, name) in seen)
                found.Add(key[prefix.Length..], new Person(key[prefix.Length..], name));
        }
        if (!Full())
        {
            var query = new SeenPeopleQuery(socket.Namespace.Name, text, null, socket.UserId, MaxPeopleFound - found.Count);
            foreach (var person in await SeenElsewhereAsync(query, cancellationToken))
            {
                if (Full())
                    break;
                if (Wanted(person.UserId) && Matches(person.DisplayName))
                    found.Add(person.UserId, person);
            }
        }
        if (accounts is not null && text.Length > 0 && !Full())
        {
            foreach (var person in await accounts.SearchAsync(text, MaxPeopleFound, cancellationToken))
            {
                if (Full())
                    break;
                if (Wanted(person.UserId))
                    found.Add(person.UserId, person);
            }
        }
        return new PeopleFound([.. found.Values.OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)]);
    }

    // The other person of a private conversation: their name now if they are here, else as they were last seen here,
    // else as they signed their last message in it, else a registered person by their account (the people picker offers
    // every account, also someone who has never been here). Nobody else: guests belong to the namespaces they were in.
    private async Task<Person?> PersonAsync(ChatNamespace ns, string userId, string conversation, CancellationToken cancellationToken)
    {
        if (await FindPersonAsync(ns, userId, cancellationToken) is { } known)
            return known;
        var recent = await store.ReadBeforeAsync(StoreKey(ns, conversation), long.MaxValue, MaxHistoryPage, cancellationToken);
        return recent.LastOrDefault(m => m.SenderId == userId) is { } theirs ? new Person(userId, theirs.SenderName) : null;
    }

    // Whom the other nodes of a cluster have seen (one request to all, answered within SeenPeopleTimeout); nobody on one
    // node, where the adapter has no other node to ask.
    private async Task<IReadOnlyList<Person>> SeenElsewhereAsync(SeenPeopleQuery query, CancellationToken cancellationToken)
    {
        var answers = await server.Main.ServerSideEmitWithAckAsync(SeenPeopleEvent, query, SeenPeopleTimeout, cancellationToken);
        return [.. answers.Replies.Select(r => r.Data).OfType<SeenPeopleFound>().SelectMany(f => f.People).DistinctBy(p => p.UserId)];
    }

    // Another node asks whom this one has seen in a namespace: one person by id, or up to the limit whose names contain
    // the text (the asker's own person left out), read no further than a search here would.
    private SeenPeopleFound AnswerSeen(SeenPeopleQuery query)
    {
        if (query.UserId is { } userId)
            return new SeenPeopleFound(_seen.TryGet(StoreKey(query.Namespace, userId), out var name) ? [new Person(userId, name)] : []);
        var prefix = StoreKey(query.Namespace, string.Empty);
        var text = query.Text ?? string.Empty;
        var seen = _seen.Search((key, name) => key.StartsWith(prefix, StringComparison.Ordinal) && key[prefix.Length..] != query.ExceptUserId
                && name.Contains(text, StringComparison.OrdinalIgnoreCase),
            Math.Clamp(query.Limit, 0, MaxPeopleFound), MaxPeopleScanned);
        return new SeenPeopleFound([.. seen.Select(p => new Person(p.Key[prefix.Length..], p.Name))]);
    }

    // This node missed broadcasts for a while (its listening connection dropped): each of its tabs fetches what follows
    // what it shows, and gets the person's unread counts afresh from the store, which has every message the broadcasts
    // carried, so a conversation it does not show counts what it missed too. One store read per tab, on a rare event.
    private async Task DeliveriesMissedAsync(ChatNamespace ns)
    {
        foreach (var socket in ns.Connections)
        {
            if (socket.Connected)
                await socket.EmitAsync(ChatEvents.CatchUp, new DeliveriesMissed(ns.Name, await UnreadAsync(socket)));
        }
    }

    private async Task<IReadOnlyList<UnreadConversation>> UnreadAsync(ChatSocket socket)
    {
        var prefix = StoreKey(socket.Namespace, string.Empty);
        var unread = new List<UnreadConversation>();
        foreach (var position in await store.ConversationsOfAsync(socket.UserId))
        {
            if (position.Unread == 0 || !position.Conversation.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var conversation = position.Conversation[prefix.Length..];
            Person? with = null;
            if (RoomNames.OtherParticipant(conversation, socket.UserId) is { } other)
                with = await PersonAsync(socket.Namespace, other, conversation, CancellationToken.None);
            else if (!socket.IsIn(conversation))
                continue;
            unread.Add(new UnreadConversation(conversation, with, position.Unread, position.ReadUpTo));
        }
        return unread;
    }

    /// <summary>A conversation's key in the store: rooms and private conversations belong to their namespace.</summary>
    public static string StoreKey(ChatNamespace ns, string conversation) => StoreKey(ns.Name, conversation);

    /// <summary>A conversation's key in the store, by the namespace's name (for writers outside a node: the emitter).</summary>
    public static string StoreKey(string @namespace, string conversation) => $"{@namespace}#{conversation}";

    private async Task<EventData?> TypingAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<TypingRequest>(data);
        // Over the limit, a typing signal is dropped without a word: the indicator is a hint, and the next one comes soon.
        if (limiter?.TryAcquire(RateLimitKind.Typing, socket.UserId) is not null)
            return null;
        if (!await privateRooms.CanUseAsync(socket, request.Room, cancellationToken))
            return null; // Typing in a room you are not in is meaningless, and not worth an error.
        // Volatile: a typing indicator is dropped for backlogged recipients and never queued ahead of messages.
        await socket.To(request.Room).Except(socket.UserRoom).Volatile
            .EmitAsync(ChatEvents.TypingChanged, new TypingChanged(request.Room, new Person(socket.UserId, socket.DisplayName), request.IsTyping), cancellationToken);
        return null;
    }

    private async Task<EventData?> AnnounceAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        // Only "/admin" handles this event, and its event middleware has just asked the access checker for the role.
        var request = Expect<SendMessageRequest>(data);
        if (ChatRules.ValidateMessage(request.Text, out var text) is { } reason)
            throw new ChatRefusedException(reason);
        // An announcement reaches every namespace: it counts as a message of its sender's, like any other.
        await EnsureNotMutedAsync(socket, null, cancellationToken);
        EnsureMayPost(socket);
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
            var published = Stopwatch.GetTimestamp();
            var result = await target.Timeout(options.Value.AckTimeout).EmitWithAckAsync(eventName, payload);
            metrics?.AcknowledgementsIn(published, result.Complete);
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

    // Presence and room counts, per namespace: told as one digest per window (PresenceDigest). By namespace object, not
    // name: a team space nobody is in is removed, and one opened again under its name is a new namespace.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ChatNamespace, PresenceDigest> _digests = [];

    // Made once: a lambda that uses this instance would be a new delegate at every arrival and departure.
    private System.Runtime.CompilerServices.ConditionalWeakTable<ChatNamespace, PresenceDigest>.CreateValueCallback? _newDigest;

    private PresenceDigest DigestOf(ChatNamespace ns) => _digests.GetValue(ns, _newDigest ??= NewDigest);

    private PresenceDigest NewDigest(ChatNamespace ns) =>
        new(ns, PresenceLockOf(ns), options.Value.PresenceWindow, time, RoomsAsync, ex => LogPresenceFailed(ex, ns.Name));

    /// <summary>The listed rooms of a namespace with how many people (not tabs) are in each.</summary>
    public static async Task<IReadOnlyList<RoomSummary>> RoomsAsync(ChatNamespace ns) => RoomsOf(await ns.Operator.FetchConnectionsAsync());

    // Every welcome and every digest counts the whole namespace (under its presence lock, for a welcome): one pass, one
    // dictionary, no per-(room, person) set for the many who have a single tab.
    private static IReadOnlyList<RoomSummary> RoomsOf(IReadOnlyCollection<Realtime.Adapters.RemoteConnection> connections)
    {
        var tabs = new Dictionary<string, int>(connections.Count, StringComparer.Ordinal);
        foreach (var c in connections)
            CollectionsMarshal.GetValueRefOrAddDefault(tabs, c.UserId, out _)++;
        var people = new Dictionary<string, int>(StringComparer.Ordinal);
        HashSet<(string Room, string UserId)>? counted = null; // a person with several tabs counts once per room
        foreach (var c in connections)
        {
            var single = tabs[c.UserId] == 1;
            foreach (var room in c.Rooms)
                if (RoomNames.IsListed(room) && (single || (counted ??= []).Add((room, c.UserId))))
                    CollectionsMarshal.GetValueRefOrAddDefault(people, room, out _)++;
        }
        var rooms = new List<RoomSummary>(people.Count);
        foreach (var (room, count) in people)
            rooms.Add(new RoomSummary(room, count));
        rooms.Sort(Headcount.RoomOrder);
        return rooms;
    }

    // Everyone once (a person's first tab gives their name), by name then id: in the last list's order, with whoever came
    // since merged in (PeopleOrder), not everyone sorted again at every arrival.
    private (IReadOnlyList<Person> People, IReadOnlyDictionary<string, Person> ById) People(ChatNamespace ns,
        IEnumerable<Realtime.Adapters.RemoteConnection> connections)
    {
        var now = new Dictionary<string, Person>(StringComparer.Ordinal);
        foreach (var c in connections)
        {
            if (!now.ContainsKey(c.UserId))
                now[c.UserId] = _messages.People.Of(c.UserId, c.DisplayName);
        }
        return (_lastPeople.Of(ns, now), now);
    }

    /// <summary>The rooms (public and private) a connection is in, "general" first.</summary>
    internal static IReadOnlyList<string> Joined(ChatSocket socket) =>
        [.. socket.Rooms.Where(RoomNames.IsRoom).OrderBy(r => r == RoomNames.General ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal)];

    private static T Expect<T>(EventData? data) where T : EventData =>
        data as T ?? throw new ChatRefusedException($"This request needs a {typeof(T).Name}.");

    [GeneratedRegex("^/tenant-[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex TenantPattern();

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "{Namespace}: {ConnectionId} sent {Event}")]
    private partial void LogClientEvent(string @namespace, string connectionId, string @event);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "{Namespace}: asking again whether a person left failed")]
    private partial void LogLeaveRecheckFailed(Exception exception, string @namespace);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "{Namespace}: telling who came and went failed")]
    private partial void LogPresenceFailed(Exception exception, string @namespace);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Namespace}: delivering message {MessageId} failed")]
    private partial void LogDeliveryFailed(Exception exception, string @namespace, Guid messageId);
}

/// <summary>
/// A node asks the others whom they have seen in <see cref="Namespace"/>: the person <see cref="UserId"/>, or else up to
/// <see cref="Limit"/> people whose names contain <see cref="Text"/>, leaving out <see cref="ExceptUserId"/>.
/// </summary>
public sealed record SeenPeopleQuery(string Namespace, string? Text, string? UserId, string? ExceptUserId, int Limit) : EventData;

/// <summary>A node's answer to <see cref="SeenPeopleQuery"/>.</summary>
public sealed record SeenPeopleFound(IReadOnlyList<Person> People) : EventData;
