using BlazorChat.Persistence;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Chat;

/// <summary>
/// Invite-only rooms. A private room has an unguessable id (<see cref="RoomNames.NewPrivateId"/>) and lives in the
/// room store; its members' connections are in the adapter room of that id. Only members ever hear of it: it is never
/// in the public room list, and to anyone else every request about it is refused exactly as for a room that does not
/// exist. Membership is read from the store at every operation, so a removal holds even against a tab still in the room.
/// Creating, inviting and removing take a token of the person's <see cref="RateLimitKind.PrivateRooms"/> bucket first
/// (when a <paramref name="limiter"/> is given): over it, the request is refused and nothing changes.
/// </summary>
public sealed class PrivateRooms(IRoomStore store, TimeProvider time, ChatRateLimiter? limiter = null)
{
    /// <summary>The one answer to a non-member, the same as for an id that names no room: it does not reveal existence.</summary>
    public const string NoSuchRoom = "There is no such room here.";

    /// <summary>Registers the private-room events. <paramref name="findPerson"/> finds someone to invite (online or seen here).</summary>
    public void Register(INamespaceHandlers handlers, Func<ChatNamespace, string, CancellationToken, Task<Person?>> findPerson)
    {
        handlers.On(ChatEvents.CreatePrivateRoom, CreateAsync);
        handlers.On(ChatEvents.InviteToRoom, (socket, data, ct) => InviteAsync(socket, data, findPerson, ct));
        handlers.On(ChatEvents.RemoveFromRoom, RemoveAsync);
    }

    /// <summary>Whether this connection may use (read, send to, type in) a room: it is in it, and for a private room still a member.</summary>
    public async Task<bool> CanUseAsync(ChatSocket socket, string room, CancellationToken cancellationToken = default) =>
        RoomNames.IsRoom(room) && socket.IsIn(room)
        && (!RoomNames.IsPrivateId(room) || await store.IsMemberAsync(socket.Namespace.Name, room, socket.UserId, cancellationToken));

    /// <summary>Puts a member's tabs (back) in a private room; anyone else hears <see cref="NoSuchRoom"/>.</summary>
    public async Task JoinAsync(ChatSocket socket, string id, CancellationToken cancellationToken)
    {
        var room = await RequireMemberAsync(socket, id, cancellationToken);
        await JoinWhileMemberAsync(socket.Namespace, room.Id, socket.UserId);
    }

    /// <summary>
    /// A member leaves a private room: their membership ends and all their tabs leave it. An owner who leaves hands the
    /// room to another member (the first by user id), so someone can still remove members.
    /// </summary>
    public async Task LeaveAsync(ChatSocket socket, string id, CancellationToken cancellationToken)
    {
        var room = await RequireMemberAsync(socket, id, cancellationToken);
        await store.RemoveMemberAsync(socket.Namespace.Name, room.Id, socket.UserId, cancellationToken);
        if (room.OwnerId == socket.UserId
            && (await store.MembersOfAsync(room.Namespace, room.Id, cancellationToken)).FirstOrDefault() is { } heir)
            await store.SetOwnerAsync(room.Namespace, room.Id, heir.UserId, cancellationToken);
        await socket.Namespace.In(socket.UserRoom).LeaveAsync(room.Id);
        await TellAsync(socket.Namespace, room.Id, [socket.UserId], cancellationToken);
    }

    /// <summary>Puts a connection that just entered in the private rooms its person belongs to.</summary>
    public async Task RestoreAsync(ChatSocket socket, IEnumerable<string> memberships)
    {
        var ns = socket.Namespace.Name;
        foreach (var id in memberships.Where(RoomNames.IsPrivateId))
        {
            if (await store.FindPrivateRoomAsync(ns, id) is null)
                continue;
            await socket.JoinAsync(id);
            // Removed meanwhile (after the memberships were read, before the join): the removal's leave may have run
            // before this join, so take the connection out again here.
            if (!await store.IsMemberAsync(ns, id, socket.UserId))
                await socket.LeaveAsync(id);
        }
    }

    /// <summary>The private rooms a person belongs to, with their members, by title.</summary>
    public async Task<IReadOnlyList<PrivateRoomSummary>> OfAsync(ChatNamespace ns, string userId, CancellationToken cancellationToken = default)
    {
        var summaries = new List<PrivateRoomSummary>();
        foreach (var id in (await store.RoomsOfAsync(ns.Name, userId, cancellationToken)).Where(RoomNames.IsPrivateId))
        {
            if (await store.FindPrivateRoomAsync(ns.Name, id, cancellationToken) is { } room)
                summaries.Add(await SummaryAsync(ns, room, cancellationToken));
        }
        return [.. summaries.OrderBy(r => r.Title, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    private async Task<EventData?> CreateAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<CreatePrivateRoomRequest>(data);
        SlowDownIfOverLimit(socket);
        if (RoomNames.Validate(request.Title, out var title) is { } reason)
            throw new ChatRefusedException(reason);
        var ns = socket.Namespace;
        var room = new StoredRoom(ns.Name, RoomNames.NewPrivateId(), title, socket.UserId, time.GetUtcNow());
        await store.CreatePrivateRoomAsync(room, new RoomMember(socket.UserId, socket.DisplayName), cancellationToken);
        await JoinWhileMemberAsync(ns, room.Id, socket.UserId);
        await TellAsync(ns, room.Id, [], cancellationToken);
        return new PrivateRoomUpdated(await SummaryAsync(ns, room, cancellationToken), ChatHandlers.Joined(socket));
    }

    private async Task<EventData?> InviteAsync(ChatSocket socket, EventData? data,
        Func<ChatNamespace, string, CancellationToken, Task<Person?>> findPerson, CancellationToken cancellationToken)
    {
        var request = Expect<InviteToRoomRequest>(data);
        SlowDownIfOverLimit(socket);
        var room = await RequireMemberAsync(socket, request.Room, cancellationToken);
        var ns = socket.Namespace;
        if (request.UserId == socket.UserId)
            throw new ChatRefusedException($"You are already a member of {room.Title}.");
        var person = await findPerson(ns, request.UserId, cancellationToken)
            ?? throw new ChatRefusedException("There is nobody by that id here: invite someone who has been here.");
        if (await store.IsMemberAsync(ns.Name, room.Id, person.UserId, cancellationToken))
            throw new ChatRefusedException($"{person.DisplayName} is already a member of {room.Title}.");
        await store.AddMemberAsync(ns.Name, room.Id, new RoomMember(person.UserId, person.DisplayName), cancellationToken);
        // Live if they are here (all their tabs); otherwise on their next visit (RestoreAsync).
        await JoinWhileMemberAsync(ns, room.Id, person.UserId);
        await TellAsync(ns, room.Id, [], cancellationToken);
        return new PrivateRoomUpdated(await SummaryAsync(ns, room, cancellationToken), ChatHandlers.Joined(socket));
    }

    private async Task<EventData?> RemoveAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = Expect<RemoveFromRoomRequest>(data);
        SlowDownIfOverLimit(socket);
        var room = await RequireMemberAsync(socket, request.Room, cancellationToken);
        var ns = socket.Namespace;
        if (room.OwnerId != socket.UserId)
            throw new ChatRefusedException($"Only the owner of {room.Title} can remove members.");
        if (request.UserId == socket.UserId)
            throw new ChatRefusedException("You cannot remove yourself: use Leave.");
        if (!await store.RemoveMemberAsync(ns.Name, room.Id, request.UserId, cancellationToken))
            throw new ChatRefusedException($"That person is not a member of {room.Title}.");
        // At once: their tabs leave the room, so nothing more of it reaches them.
        await ns.In(ChatNamespace.UserRoomOf(request.UserId)).LeaveAsync(room.Id);
        await TellAsync(ns, room.Id, [request.UserId], cancellationToken);
        return new PrivateRoomUpdated(await SummaryAsync(ns, room, cancellationToken), ChatHandlers.Joined(socket));
    }

    // A well-formed request takes a token (a malformed one was refused above without one): the same bucket whether it is
    // then allowed or refused for what it asks, as a message's is.
    private void SlowDownIfOverLimit(ChatSocket socket)
    {
        if (limiter?.TryAcquire(RateLimitKind.PrivateRooms, socket.UserId) is { } retryAfter)
            throw new ChatRefusedException(ChatRateLimiter.SlowDownPrivateRooms(retryAfter));
    }

    // All of a person's tabs join; if a removal overtook the join, they leave again (the store is the truth).
    private async Task JoinWhileMemberAsync(ChatNamespace ns, string id, string userId)
    {
        var tabs = ns.In(ChatNamespace.UserRoomOf(userId));
        await tabs.JoinAsync(id);
        if (!await store.IsMemberAsync(ns.Name, id, userId))
            await tabs.LeaveAsync(id);
    }

    private async Task<StoredRoom> RequireMemberAsync(ChatSocket socket, string? id, CancellationToken cancellationToken)
    {
        var ns = socket.Namespace.Name;
        if (!RoomNames.IsPrivateId(id)
            || await store.FindPrivateRoomAsync(ns, id!, cancellationToken) is not { } room
            || !await store.IsMemberAsync(ns, room.Id, socket.UserId, cancellationToken))
            throw new ChatRefusedException(NoSuchRoom);
        return room;
    }

    // Every member (and anyone just removed) hears their own list of private rooms again, on all their tabs.
    private async Task TellAsync(ChatNamespace ns, string id, IEnumerable<string> alsoTell, CancellationToken cancellationToken)
    {
        var members = (await store.MembersOfAsync(ns.Name, id, cancellationToken)).Select(m => m.UserId);
        foreach (var userId in members.Concat(alsoTell).Distinct(StringComparer.Ordinal))
            await ns.To(ChatNamespace.UserRoomOf(userId)).EmitAsync(ChatEvents.PrivateRooms, new PrivateRoomsChanged(await OfAsync(ns, userId, cancellationToken)), cancellationToken);
    }

    // Members by the name they use now when they are here, else the name they had when they joined.
    private async Task<PrivateRoomSummary> SummaryAsync(ChatNamespace ns, StoredRoom room, CancellationToken cancellationToken)
    {
        var members = await store.MembersOfAsync(room.Namespace, room.Id, cancellationToken);
        var online = (await ns.Operator.FetchConnectionsAsync(cancellationToken))
            .DistinctBy(c => c.UserId).ToDictionary(c => c.UserId, c => c.DisplayName, StringComparer.Ordinal);
        return new PrivateRoomSummary(room.Id, room.Title, room.OwnerId,
        [
            .. members.Select(m => new Person(m.UserId, online.GetValueOrDefault(m.UserId, m.DisplayName)))
                .OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase),
        ]);
    }

    private static T Expect<T>(EventData? data) where T : EventData =>
        data as T ?? throw new ChatRefusedException($"This request needs a {typeof(T).Name}.");
}
