using Microsoft.Data.Sqlite;

namespace BlazorChat.Persistence.Sqlite;

/// <summary>
/// The store's schema, versioned with SQLite's <c>PRAGMA user_version</c>. Each migration runs once, in order, in
/// its own transaction, so an upgrade keeps every existing row. Never edit a released migration: add one.
/// </summary>
public static class SqliteSchema
{
    /// <summary>Migration n (1-based) takes a database from version n-1 to n.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: messages, numbered per conversation; the client's id is unique (idempotent retries).
        """
        CREATE TABLE messages (
            conversation TEXT    NOT NULL,
            seq          INTEGER NOT NULL,
            id           TEXT    NOT NULL,
            sender_id    TEXT    NOT NULL,
            sender_name  TEXT    NOT NULL,
            text         TEXT    NOT NULL,
            sent_at_ms   INTEGER NOT NULL,
            PRIMARY KEY (conversation, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX messages_id ON messages (id);
        """,
        // 2: who takes part in direct conversations, and how far each person has read (unread counts).
        """
        CREATE TABLE participants (
            conversation TEXT NOT NULL,
            user_id      TEXT NOT NULL,
            PRIMARY KEY (conversation, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX participants_user ON participants (user_id);
        CREATE TABLE read_cursors (
            user_id      TEXT    NOT NULL,
            conversation TEXT    NOT NULL,
            read_up_to   INTEGER NOT NULL,
            PRIMARY KEY (user_id, conversation)
        ) WITHOUT ROWID;
        """,
        // 3: rooms people belong to, kept across visits (public rooms by name, private rooms by id), and private
        // rooms' titles and owners. A private room's id never equals a public room's name (it contains '.').
        """
        CREATE TABLE private_rooms (
            namespace     TEXT    NOT NULL,
            id            TEXT    NOT NULL,
            title         TEXT    NOT NULL,
            owner_id      TEXT    NOT NULL,
            created_at_ms INTEGER NOT NULL,
            PRIMARY KEY (namespace, id)
        ) WITHOUT ROWID;
        CREATE TABLE room_members (
            namespace    TEXT NOT NULL,
            room         TEXT NOT NULL,
            user_id      TEXT NOT NULL,
            display_name TEXT NOT NULL,
            PRIMARY KEY (namespace, room, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX room_members_user ON room_members (namespace, user_id);
        """,
        // 4: the audit log of moderation actions, in the order they were recorded (seq); an entry's id is unique, so a
        // retried append keeps one row.
        """
        CREATE TABLE audit_log (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            id         TEXT    NOT NULL UNIQUE,
            at_ms      INTEGER NOT NULL,
            actor_id   TEXT    NOT NULL,
            actor_name TEXT    NOT NULL,
            action     TEXT    NOT NULL,
            target     TEXT    NOT NULL,
            reason     TEXT    NOT NULL
        );
        """,
        // 5: a message a moderator removed keeps its place (its sequence) with its text erased and this set.
        """
        ALTER TABLE messages ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
        """,
        // 6: mutes: a person may not send in a scope ('*': everywhere, or a private room's store key) until a time.
        """
        CREATE TABLE mutes (
            user_id     TEXT    NOT NULL,
            scope       TEXT    NOT NULL,
            until_ms    INTEGER NOT NULL,
            reason      TEXT    NOT NULL,
            by_user_id  TEXT    NOT NULL,
            PRIMARY KEY (user_id, scope)
        ) WITHOUT ROWID;
        """,
    ];

    public static int LatestVersion => Migrations.Count;

    public static int VersionOf(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (the latest by default).</summary>
    /// <exception cref="InvalidOperationException">The database is newer than this app knows.</exception>
    public static void Migrate(SqliteConnection connection, int? targetVersion = null)
    {
        var target = targetVersion ?? LatestVersion;
        var current = VersionOf(connection);
        if (current > LatestVersion)
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than this version of BlazorChat knows ({LatestVersion}). Upgrade the app.");
        for (var version = current + 1; version <= target; version++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version - 1] + $"\nPRAGMA user_version = {version};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
