using Npgsql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>Commands with positional parameters (<c>$1</c>, <c>$2</c>…), as PostgreSQL itself numbers them.</summary>
internal static class PostgresSql
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
            command.Parameters.Add(Parameter(value));
        return command;
    }

    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
            command.Parameters.Add(Parameter(value));
        return command;
    }

    /// <summary>Runs a query and makes one item of each row.</summary>
    public static async Task<List<T>> ListAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            items.Add(read(reader));
        return items;
    }

    /// <summary>A null is sent as SQL NULL, so a column that refuses it says so (not a client-side error).</summary>
    private static NpgsqlParameter Parameter(object? value) => new() { Value = value ?? DBNull.Value };

    /// <summary>A time as stored: UTC, to the millisecond (as the SQLite store keeps it).</summary>
    public static DateTimeOffset ToStoredTime(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());
}
