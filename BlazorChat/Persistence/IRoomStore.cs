namespace BlazorChat.Persistence;

/// <summary>A private (invite-only) room: its unguessable id, the title its members see, and who created it.</summary>
public sealed record StoredRoom(string Namespace, string Id, string Title, string OwnerId, DateTimeOffset CreatedAt);

/// <summary>A member of a room, with the display name they had when they joined or were invited.</summary>
public sealed record RoomMember(string UserId, string DisplayName);

/// <summary>
/// The room membership seam: which rooms each person belongs to in each namespace (public rooms by name, private
/// rooms by id), kept across visits, and the private rooms themselves. SQLite is the embedded default (in the
/// message store's file); every implementation passes the room store contract suite.
/// </summary>
public interface IRoomStore
{
    /// <summary>Creates a private room with its owner as its first member, atomically.</summary>
    /// <exception cref="InvalidOperationException">A room with that id already exists in the namespace; nothing changed.</exception>
    Task CreatePrivateRoomAsync(StoredRoom room, RoomMember owner, CancellationToken cancellationToken = default);

    /// <summary>The private room with this id in this namespace; null when there is none.</summary>
    Task<StoredRoom?> FindPrivateRoomAsync(string @namespace, string id, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="ownerId"/> the owner of a private room; returns whether the room exists.</summary>
    Task<bool> SetOwnerAsync(string @namespace, string id, string ownerId, CancellationToken cancellationToken = default);

    /// <summary>Makes <paramref name="member"/> a member (or refreshes their name); returns whether they were not one before.</summary>
    Task<bool> AddMemberAsync(string @namespace, string room, RoomMember member, CancellationToken cancellationToken = default);

    /// <summary>Ends a membership; returns whether there was one.</summary>
    Task<bool> RemoveMemberAsync(string @namespace, string room, string userId, CancellationToken cancellationToken = default);

    Task<bool> IsMemberAsync(string @namespace, string room, string userId, CancellationToken cancellationToken = default);

    /// <summary>A room's members, ordered by user id.</summary>
    Task<IReadOnlyList<RoomMember>> MembersOfAsync(string @namespace, string room, CancellationToken cancellationToken = default);

    /// <summary>The rooms (names and private ids) a person belongs to in a namespace, ordered.</summary>
    Task<IReadOnlyList<string>> RoomsOfAsync(string @namespace, string userId, CancellationToken cancellationToken = default);
}
