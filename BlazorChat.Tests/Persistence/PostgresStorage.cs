using Npgsql;

namespace BlazorChat.Tests.Persistence;

/// <summary>Checks of what the PostgreSQL stores wrote, from outside the stores.</summary>
public static class PostgresStorage
{
    /// <summary>
    /// Every conversation's counter is the number of its messages and the highest of them (so 1..n, no gap, no repeat),
    /// every message has its counter, and every index of the stores' tables agrees with its table (amcheck).
    /// </summary>
    public static async Task AssertIntactAsync(TestDatabase database)
    {
        await using var dataSource = database.OpenDataSource();
        var counters = await RowsAsync(dataSource, """
            SELECT k.key || ': counter ' || k.last_sequence || ', ' || count(m.seq) || ' messages, highest ' || coalesce(max(m.seq), 0)
            FROM conversations k LEFT JOIN messages m ON m.conversation = k.key
            GROUP BY k.key, k.last_sequence
            HAVING count(m.seq) <> k.last_sequence OR coalesce(max(m.seq), 0) <> k.last_sequence;
            """);
        Assert.Empty(counters);
        Assert.Empty(await RowsAsync(dataSource,
            "SELECT DISTINCT conversation FROM messages m WHERE NOT EXISTS (SELECT FROM conversations WHERE key = m.conversation);"));

        await using (var extension = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS amcheck;"))
            await extension.ExecuteNonQueryAsync();
        // bt_index_check raises an error on a corrupt index; heapallindexed also checks every row is in the index.
        var indexes = await RowsAsync(dataSource, """
            SELECT c.relname || ': ' || bt_index_check(c.oid, true)::text
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.amname = 'btree' AND n.nspname = current_schema();
            """);
        Assert.Contains(indexes, i => i.StartsWith("messages_id", StringComparison.Ordinal));
        Assert.Empty(await RowsAsync(dataSource, """
            SELECT t.relname || ': ' || v.msg FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace,
                LATERAL verify_heapam(t.oid) v
            WHERE t.relkind = 'r' AND n.nspname = current_schema();
            """));
    }

    /// <summary>The first column of every row, as text.</summary>
    public static async Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "");
        return rows;
    }
}
