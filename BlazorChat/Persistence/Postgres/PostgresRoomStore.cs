using static BlazorChat.Persistence.Postgres.PostgresSql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// Room membership in the PostgreSQL database (schema version 2). Every write is one statement, so it is atomic on
/// its own and safe when several nodes write at once; each operation takes a pooled connection of its own.
/// </summary>
public sealed class PostgresRoomStore(PostgresDatabase database) : IRoomStore
{
    public async Task CreatePrivateRoomAsync(StoredRoom room, RoomMember owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(owner);
        // The owner becomes a member only if this statement created the room (the insert's RETURNING feeds the other).
        var created = await database.ExecuteAsync("""
            WITH created AS (
                INSERT INTO private_rooms (namespace, id, title, owner_id, created_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT DO NOTHING
                RETURNING namespace, id
            )
            INSERT INTO room_members (namespace, room, user_id, display_name) SELECT namespace, id, $6, $7 FROM created
            ON CONFLICT (namespace, room, user_id) DO UPDATE SET display_name = excluded.display_name;
            """, cancellationToken, room.Namespace, room.Id, room.Title, room.OwnerId, ToStoredTime(room.CreatedAt), owner.UserId, owner.DisplayName);
        if (created == 0)
            throw new InvalidOperationException($"A room with the id {room.Id} already exists in {room.Namespace}; nothing was created.");
    }

    public async Task<StoredRoom?> FindPrivateRoomAsync(string @namespace, string id, CancellationToken cancellationToken = default)
    {
        var rooms = await database.QueryAsync(
            "SELECT namespace, id, title, owner_id, created_at FROM private_rooms WHERE namespace = $1 AND id = $2;",
            reader => new StoredRoom(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4)),
            cancellationToken, @namespace, id);
        return rooms.SingleOrDefault();
    }

    public async Task<bool> SetOwnerAsync(string @namespace, string id, string ownerId, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync("UPDATE private_rooms SET owner_id = $3 WHERE namespace = $1 AND id = $2;",
            cancellationToken, @namespace, id, ownerId) > 0;

    public async Task<bool> AddMemberAsync(string @namespace, string room, RoomMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        while (true)
        {
            var (renamed, added) = (await database.QueryAsync("""
                WITH renamed AS (
                    UPDATE room_members SET display_name = $4 WHERE namespace = $1 AND room = $2 AND user_id = $3
                    RETURNING 1
                ), added AS (
                    INSERT INTO room_members (namespace, room, user_id, display_name) SELECT $1, $2, $3, $4
                    WHERE NOT EXISTS (SELECT FROM renamed)
                    ON CONFLICT DO NOTHING
                    RETURNING 1
                )
                SELECT EXISTS (SELECT FROM renamed), EXISTS (SELECT FROM added);
                """, reader => (reader.GetBoolean(0), reader.GetBoolean(1)),
                cancellationToken, @namespace, room, member.UserId, member.DisplayName)).Single();
            if (renamed || added)
                return added;
            // Neither: another node added them between this statement's update and its insert. Once more renames them.
        }
    }

    public async Task<bool> RemoveMemberAsync(string @namespace, string room, string userId, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync("DELETE FROM room_members WHERE namespace = $1 AND room = $2 AND user_id = $3;",
            cancellationToken, @namespace, room, userId) > 0;

    public async Task<bool> IsMemberAsync(string @namespace, string room, string userId, CancellationToken cancellationToken = default) =>
        (await database.QueryAsync("SELECT EXISTS (SELECT FROM room_members WHERE namespace = $1 AND room = $2 AND user_id = $3);",
            reader => reader.GetBoolean(0), cancellationToken, @namespace, room, userId)).Single();

    public async Task<IReadOnlyList<RoomMember>> MembersOfAsync(string @namespace, string room, CancellationToken cancellationToken = default) =>
        await database.QueryAsync("SELECT user_id, display_name FROM room_members WHERE namespace = $1 AND room = $2 ORDER BY user_id;",
            reader => new RoomMember(reader.GetString(0), reader.GetString(1)), cancellationToken, @namespace, room);

    public async Task<IReadOnlyList<string>> RoomsOfAsync(string @namespace, string userId, CancellationToken cancellationToken = default) =>
        await database.QueryAsync("SELECT room FROM room_members WHERE namespace = $1 AND user_id = $2 ORDER BY room;",
            reader => reader.GetString(0), cancellationToken, @namespace, userId);
}
