using BlazorChat.Moderation;
using static BlazorChat.Persistence.Postgres.PostgresSql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// The audit log in the PostgreSQL database (schema version 6), shared by every node. An append is one statement, and
/// keyed by the entry's id, so running it again after a lost connection keeps one row.
/// </summary>
public sealed class PostgresAuditLog(PostgresDatabase database) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        AuditLogRules.Validate(entry);
        await database.ExecuteAsync("""
            INSERT INTO audit_log (id, at, actor_id, actor_name, action, target, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (id) DO NOTHING;
            """, cancellationToken, entry.Id, ToStoredTime(entry.At), entry.ActorId, entry.ActorName, entry.Action, entry.Target, entry.Reason);
    }

    public async Task<IReadOnlyList<AuditEntry>> RecentAsync(int count, AuditFilter filter, CancellationToken cancellationToken = default)
    {
        AuditLogRules.ValidatePage(count, filter);
        return await database.QueryAsync("""
            SELECT id, at, actor_id, actor_name, action, target, reason FROM audit_log
            WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR target = $3)
            ORDER BY seq DESC LIMIT $4;
            """, reader => new AuditEntry(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)),
            cancellationToken, filter.ActorId, filter.Action, filter.Target, count);
    }
}
