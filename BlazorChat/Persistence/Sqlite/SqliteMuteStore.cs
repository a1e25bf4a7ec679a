using BlazorChat.Moderation;
using Microsoft.Data.Sqlite;

namespace BlazorChat.Persistence.Sqlite;

/// <summary>Mutes (and bans) in the message store's SQLite file (schema version 6), written through that store's single writer.</summary>
public sealed class SqliteMuteStore(SqliteMessageStore database) : IMuteStore
{
    private const string Columns = "user_id, scope, until_ms, reason, by_user_id";

    public Task SetAsync(Mute mute, CancellationToken cancellationToken = default)
    {
        MuteRules.Validate(mute);
        return database.EnqueueAsync<object?>((connection, transaction) =>
        {
            using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = $"""
                INSERT INTO mutes ({Columns}) VALUES ($user, $scope, $until, $reason, $by)
                ON CONFLICT (user_id, scope) DO UPDATE SET until_ms = excluded.until_ms, reason = excluded.reason, by_user_id = excluded.by_user_id;
                """;
            upsert.Parameters.AddWithValue("$user", mute.UserId);
            upsert.Parameters.AddWithValue("$scope", mute.Scope);
            upsert.Parameters.AddWithValue("$until", mute.Until.ToUnixTimeMilliseconds());
            upsert.Parameters.AddWithValue("$reason", mute.Reason);
            upsert.Parameters.AddWithValue("$by", mute.ByUserId);
            upsert.ExecuteNonQuery();
            return null;
        }, cancellationToken);
    }

    public Task<bool> RemoveAsync(string userId, string scope, CancellationToken cancellationToken = default) =>
        database.EnqueueAsync((connection, transaction) =>
        {
            using var delete = connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM mutes WHERE user_id = $user AND scope = $scope;";
            delete.Parameters.AddWithValue("$user", userId);
            delete.Parameters.AddWithValue("$scope", scope);
            return delete.ExecuteNonQuery() > 0;
        }, cancellationToken);

    public Task<IReadOnlyList<Mute>> ActiveAsync(string userId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {Columns} FROM mutes WHERE user_id = $user AND until_ms > $now ORDER BY scope;",
            command => command.Parameters.AddWithValue("$user", userId), now, cancellationToken);

    public Task<IReadOnlyList<Mute>> ListActiveAsync(DateTimeOffset now, int count, CancellationToken cancellationToken = default)
    {
        MuteRules.ValidatePage(count);
        return QueryAsync($"SELECT {Columns} FROM mutes WHERE until_ms > $now ORDER BY scope, until_ms, user_id LIMIT $count;",
            command => command.Parameters.AddWithValue("$count", count), now, cancellationToken);
    }

    private async Task<IReadOnlyList<Mute>> QueryAsync(string sql, Action<SqliteCommand> bind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        bind(command);
        var mutes = new List<Mute>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            mutes.Add(new Mute(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.GetString(3), reader.GetString(4)));
        }
        return mutes;
    }
}
