using BlazorChat.Moderation;
using Microsoft.Data.Sqlite;

namespace BlazorChat.Persistence.Sqlite;

/// <summary>
/// The audit log in the message store's SQLite file (schema version 4). It writes through that store's single writer
/// loop, so one file keeps one writer, and reads on connections of its own.
/// </summary>
public sealed class SqliteAuditLog(SqliteMessageStore database) : IAuditLog
{
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        AuditLogRules.Validate(entry);
        return database.EnqueueAsync<object?>((connection, transaction) =>
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO audit_log (id, at_ms, actor_id, actor_name, action, target, reason)
                VALUES ($id, $at, $actor, $name, $action, $target, $reason)
                ON CONFLICT (id) DO NOTHING;
                """;
            insert.Parameters.AddWithValue("$id", entry.Id.ToString("D"));
            insert.Parameters.AddWithValue("$at", entry.At.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$actor", entry.ActorId);
            insert.Parameters.AddWithValue("$name", entry.ActorName);
            insert.Parameters.AddWithValue("$action", entry.Action);
            insert.Parameters.AddWithValue("$target", entry.Target);
            insert.Parameters.AddWithValue("$reason", entry.Reason);
            insert.ExecuteNonQuery();
            return null;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        AuditLogRules.ValidatePage(count, filter);
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, at_ms, actor_id, actor_name, action, target, reason FROM audit_log
            WHERE ($actor IS NULL OR actor_id = $actor) AND ($action IS NULL OR action = $action) AND ($target IS NULL OR target = $target)
            ORDER BY seq DESC LIMIT $count;
            """;
        command.Parameters.AddWithValue("$actor", (object?)filter.ActorId ?? DBNull.Value);
        command.Parameters.AddWithValue("$action", (object?)filter.Action ?? DBNull.Value);
        command.Parameters.AddWithValue("$target", (object?)filter.Target ?? DBNull.Value);
        command.Parameters.AddWithValue("$count", count);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(Guid.Parse(reader.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }
        return entries;
    }
}
