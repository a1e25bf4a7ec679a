using Npgsql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// The PostgreSQL stores' schema, versioned in a <c>schema_migrations</c> table (one row per applied migration). Each
/// migration runs once, in order, in its own transaction, so an upgrade keeps every existing row. Several nodes may
/// start at once: whoever migrates holds an advisory lock, and the others wait for it, then find nothing left to do.
/// Never edit a released migration: add one.
/// </summary>
public static class PostgresSchema
{
    /// <summary>The advisory lock key every node takes while migrating ("BlazorCh" in ASCII).</summary>
    private const long MigrationLock = 0x426C_617A_6F72_4368;

    /// <summary>
    /// Migration n (1-based) takes a database from version n-1 to n. Keys and names that are compared or ordered are
    /// <c>COLLATE "C"</c>: byte order whatever the database's locale, as SQLite's BINARY, and cheaper to compare.
    /// </summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        // 1: the message store. Messages are numbered per conversation; conversations.last_sequence is the number the
        // last one got, taken under the conversation's row lock by whichever node appends, so numbers stay gapless and
        // unique across nodes. The client's id is unique (idempotent retries). Who takes part in direct conversations,
        // and how far each person has read (unread counts).
        """
        CREATE TABLE conversations (
            key           text COLLATE "C" PRIMARY KEY,
            last_sequence bigint NOT NULL DEFAULT 0
        );
        CREATE TABLE messages (
            conversation text COLLATE "C" NOT NULL,
            seq          bigint      NOT NULL,
            id           uuid        NOT NULL,
            sender_id    text        NOT NULL,
            sender_name  text        NOT NULL,
            text         text        NOT NULL,
            sent_at      timestamptz NOT NULL,
            PRIMARY KEY (conversation, seq),
            CONSTRAINT messages_id UNIQUE (id)
        );
        CREATE TABLE participants (
            conversation text COLLATE "C" NOT NULL,
            user_id      text COLLATE "C" NOT NULL,
            PRIMARY KEY (conversation, user_id)
        );
        CREATE INDEX participants_user ON participants (user_id);
        CREATE TABLE read_cursors (
            user_id      text COLLATE "C" NOT NULL,
            conversation text COLLATE "C" NOT NULL,
            read_up_to   bigint NOT NULL,
            PRIMARY KEY (user_id, conversation)
        );
        """,
        // 2: the room store: rooms people belong to, kept across visits (public rooms by name, private rooms by id), and
        // private rooms' titles and owners. A private room's id never equals a public room's name (it contains '.').
        """
        CREATE TABLE private_rooms (
            namespace  text COLLATE "C" NOT NULL,
            id         text COLLATE "C" NOT NULL,
            title      text        NOT NULL,
            owner_id   text        NOT NULL,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (namespace, id)
        );
        CREATE TABLE room_members (
            namespace    text COLLATE "C" NOT NULL,
            room         text COLLATE "C" NOT NULL,
            user_id      text COLLATE "C" NOT NULL,
            display_name text NOT NULL,
            PRIMARY KEY (namespace, room, user_id)
        );
        CREATE INDEX room_members_user ON room_members (namespace, user_id);
        """,
        // 3: ASP.NET Core's data protection key ring, shared by every node (PostgresXmlRepository). Added, never changed.
        """
        CREATE TABLE data_protection_keys (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            friendly_name text        NOT NULL,
            xml           text        NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        """,
        // 4: display names in use on every node (PostgresNameClaims). A name's two comparison forms (UnicodeText.NameKey)
        // are each unique: two people whose names look the same cannot both hold one. Each node counts its own tabs per
        // person and beats in name_nodes; a node that stops beating loses its claims, and names nobody claims go.
        """
        CREATE TABLE name_nodes (
            node_id text COLLATE "C" PRIMARY KEY,
            beat_at timestamptz NOT NULL
        );
        CREATE TABLE display_names (
            user_id text COLLATE "C" PRIMARY KEY,
            name    text NOT NULL,
            folded  text COLLATE "C" NOT NULL CONSTRAINT display_names_folded UNIQUE,
            shape   text COLLATE "C" NOT NULL CONSTRAINT display_names_shape UNIQUE
        );
        CREATE TABLE name_claims (
            user_id text COLLATE "C" NOT NULL REFERENCES display_names (user_id) ON DELETE CASCADE,
            node_id text COLLATE "C" NOT NULL,
            tabs    integer NOT NULL CHECK (tabs > 0),
            PRIMARY KEY (user_id, node_id)
        );
        CREATE INDEX name_claims_node ON name_claims (node_id);
        """,
        // 5: each node's open tabs per person (PostgresCircuitPlaces), so the cap on a person's tabs holds across the
        // cluster. Only the rows of nodes that beat in name_nodes within the heartbeat timeout count; the rows of nodes
        // gone from name_nodes are deleted.
        """
        CREATE TABLE circuit_places (
            user_id text COLLATE "C" NOT NULL,
            node_id text COLLATE "C" NOT NULL,
            tabs    integer NOT NULL CHECK (tabs > 0),
            PRIMARY KEY (user_id, node_id)
        );
        CREATE INDEX circuit_places_node ON circuit_places (node_id);
        """,
        // 6: the audit log of moderation actions, in the order they were recorded (seq); an entry's id is unique, so a
        // retried append keeps one row.
        """
        CREATE TABLE audit_log (
            seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id         uuid        NOT NULL CONSTRAINT audit_log_id UNIQUE,
            at         timestamptz NOT NULL,
            actor_id   text COLLATE "C" NOT NULL,
            actor_name text        NOT NULL,
            action     text COLLATE "C" NOT NULL,
            target     text COLLATE "C" NOT NULL,
            reason     text        NOT NULL
        );
        """,
        // 7: a message a moderator removed keeps its place (its sequence) with its text erased and this set.
        """
        ALTER TABLE messages ADD COLUMN removed boolean NOT NULL DEFAULT false;
        """,
        // 8: mutes: a person may not send in a scope ('*': everywhere, or a private room's store key) until a time.
        """
        CREATE TABLE mutes (
            user_id    text COLLATE "C" NOT NULL,
            scope      text COLLATE "C" NOT NULL,
            until      timestamptz NOT NULL,
            reason     text NOT NULL,
            by_user_id text NOT NULL,
            PRIMARY KEY (user_id, scope)
        );
        """,
    ];

    public static int LatestVersion => Migrations.Count;

    /// <summary>The database's schema version: 0 when no migration has run.</summary>
    public static async Task<int> VersionOfAsync(NpgsqlConnection connection, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE (SELECT coalesce(max(version), 0) FROM schema_migrations) END;",
            connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (the latest by default); returns its version.</summary>
    /// <exception cref="InvalidOperationException">The database is newer than this app knows.</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, int? targetVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var target = targetVersion ?? LatestVersion;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A session lock, held across the migrations' transactions; it goes with the connection if this node dies.
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock});", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, cancellationToken);
            var current = await VersionOfAsync(connection, cancellationToken);
            if (current > LatestVersion)
                throw new InvalidOperationException(
                    $"The database is at schema version {current}, newer than this version of BlazorChat knows ({LatestVersion}). Upgrade the app.");
            for (var version = current + 1; version <= target; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
                await ExecuteAsync(connection, transaction, $"INSERT INTO schema_migrations (version) VALUES ({version});", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            return Math.Max(current, target);
        }
        finally
        {
            // Not cancellable: a lock left behind on a pooled connection would stall every other node's start. A broken
            // connection is not pooled, and its lock ended with its session.
            if (connection.FullState == System.Data.ConnectionState.Open)
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock});", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
