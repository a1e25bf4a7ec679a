using BlazorChat.Moderation;
using Npgsql;
using static BlazorChat.Persistence.Postgres.PostgresSql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>Mutes (and bans) in the PostgreSQL database (schema version 8), shared by every node; each write is one statement.</summary>
public sealed class PostgresMuteStore(PostgresDatabase database) : IMuteStore
{
    private const string Columns = "user_id, scope, until, reason, by_user_id";

    public async Task SetAsync(Mute mute, CancellationToken cancellationToken = default)
    {
        MuteRules.Validate(mute);
        await database.ExecuteAsync($"""
            INSERT INTO mutes ({Columns}) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (user_id, scope) DO UPDATE SET until = excluded.until, reason = excluded.reason, by_user_id = excluded.by_user_id;
            """, cancellationToken, mute.UserId, mute.Scope, ToStoredTime(mute.Until), mute.Reason, mute.ByUserId);
    }

    public async Task<bool> RemoveAsync(string userId, string scope, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync("DELETE FROM mutes WHERE user_id = $1 AND scope = $2;", cancellationToken, userId, scope) > 0;

    public async Task<IReadOnlyList<Mute>> ActiveAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await database.QueryAsync($"SELECT {Columns} FROM mutes WHERE user_id = $1 AND until > $2 ORDER BY scope;", Read,
            cancellationToken, userId, ToStoredTime(now));

    public async Task<IReadOnlyList<Mute>> ListActiveAsync(DateTimeOffset now, int count, CancellationToken cancellationToken = default)
    {
        MuteRules.ValidatePage(count);
        return await database.QueryAsync($"SELECT {Columns} FROM mutes WHERE until > $1 ORDER BY scope, until, user_id LIMIT $2;", Read,
            cancellationToken, ToStoredTime(now), count);
    }

    private static Mute Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4));
}
