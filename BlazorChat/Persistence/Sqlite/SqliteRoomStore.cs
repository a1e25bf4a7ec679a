using Microsoft.Data.Sqlite;

namespace BlazorChat.Persistence.Sqlite;

/// <summary>
/// Room membership in the message store's SQLite file (schema version 3). It writes through that store's single
/// writer loop, so one file keeps one writer and its group commit, and reads on connections of its own.
/// </summary>
public sealed class SqliteRoomStore(SqliteMessageStore database) : IRoomStore
{
    public Task CreatePrivateRoomAsync(StoredRoom room, RoomMember owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(owner);
        return database.EnqueueAsync<object?>((connection, transaction) =>
        {
            using (var insert = Command(connection, transaction, """
                INSERT INTO private_rooms (namespace, id, title, owner_id, created_at_ms) VALUES ($ns, $id, $title, $owner, $at)
                ON CONFLICT DO NOTHING;
                """))
            {
                insert.Parameters.AddWithValue("$ns", room.Namespace);
                insert.Parameters.AddWithValue("$id", room.Id);
                insert.Parameters.AddWithValue("$title", room.Title);
                insert.Parameters.AddWithValue("$owner", room.OwnerId);
                insert.Parameters.AddWithValue("$at", room.CreatedAt.ToUnixTimeMilliseconds());
                if (insert.ExecuteNonQuery() == 0)
                    throw new InvalidOperationException($"A room with the id {room.Id} already exists in {room.Namespace}; nothing was created.");
            }
            Upsert(connection, transaction, room.Namespace, room.Id, owner);
            return null;
        }, cancellationToken);
    }

    public async Task<StoredRoom?> FindPrivateRoomAsync(string @namespace, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT namespace, id, title, owner_id, created_at_ms FROM private_rooms WHERE namespace = $ns AND id = $id;");
        command.Parameters.AddWithValue("$ns", @namespace);
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredRoom(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)))
            : null;
    }

    public Task<bool> SetOwnerAsync(string @namespace, string id, string ownerId, CancellationToken cancellationToken = default) =>
        database.EnqueueAsync((connection, transaction) =>
        {
            using var update = Command(connection, transaction, "UPDATE private_rooms SET owner_id = $owner WHERE namespace = $ns AND id = $id;");
            update.Parameters.AddWithValue("$ns", @namespace);
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$owner", ownerId);
            return update.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<bool> AddMemberAsync(string @namespace, string room, RoomMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        return database.EnqueueAsync((connection, transaction) => Upsert(connection, transaction, @namespace, room, member), cancellationToken);
    }

    public Task<bool> RemoveMemberAsync(string @namespace, string room, string userId, CancellationToken cancellationToken = default) =>
        database.EnqueueAsync((connection, transaction) =>
        {
            using var delete = Command(connection, transaction, "DELETE FROM room_members WHERE namespace = $ns AND room = $room AND user_id = $user;");
            delete.Parameters.AddWithValue("$ns", @namespace);
            delete.Parameters.AddWithValue("$room", room);
            delete.Parameters.AddWithValue("$user", userId);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public async Task<bool> IsMemberAsync(string @namespace, string room, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT EXISTS (SELECT 1 FROM room_members WHERE namespace = $ns AND room = $room AND user_id = $user);");
        command.Parameters.AddWithValue("$ns", @namespace);
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$user", userId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<IReadOnlyList<RoomMember>> MembersOfAsync(string @namespace, string room, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT user_id, display_name FROM room_members WHERE namespace = $ns AND room = $room ORDER BY user_id;");
        command.Parameters.AddWithValue("$ns", @namespace);
        command.Parameters.AddWithValue("$room", room);
        var members = new List<RoomMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            members.Add(new RoomMember(reader.GetString(0), reader.GetString(1)));
        return members;
    }

    public async Task<IReadOnlyList<string>> RoomsOfAsync(string @namespace, string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT room FROM room_members WHERE namespace = $ns AND user_id = $user ORDER BY room;");
        command.Parameters.AddWithValue("$ns", @namespace);
        command.Parameters.AddWithValue("$user", userId);
        var rooms = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rooms.Add(reader.GetString(0));
        return rooms;
    }

    private static bool Upsert(SqliteConnection connection, SqliteTransaction transaction, string @namespace, string room, RoomMember member)
    {
        using var exists = Command(connection, transaction,
            "SELECT EXISTS (SELECT 1 FROM room_members WHERE namespace = $ns AND room = $room AND user_id = $user);");
        exists.Parameters.AddWithValue("$ns", @namespace);
        exists.Parameters.AddWithValue("$room", room);
        exists.Parameters.AddWithValue("$user", member.UserId);
        // Inside the writer's transaction: nothing else writes between this check and the upsert.
        var isNew = Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
        using var upsert = Command(connection, transaction, """
            INSERT INTO room_members (namespace, room, user_id, display_name) VALUES ($ns, $room, $user, $name)
            ON CONFLICT (namespace, room, user_id) DO UPDATE SET display_name = excluded.display_name;
            """);
        upsert.Parameters.AddWithValue("$ns", @namespace);
        upsert.Parameters.AddWithValue("$room", room);
        upsert.Parameters.AddWithValue("$user", member.UserId);
        upsert.Parameters.AddWithValue("$name", member.DisplayName);
        upsert.ExecuteNonQuery();
        return isNew;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
