using BlazorChat.Persistence.Sqlite;
using Microsoft.Data.Sqlite;

namespace BlazorChat.Tests.Persistence;

/// <summary>The writer loop's statements: prepared once, run again with new values.</summary>
public sealed class PreparedStatementTests : IDisposable
{
    private const string Upsert = "INSERT INTO cursors (k, v) VALUES ($k, $v) ON CONFLICT (k) DO UPDATE SET v = max(v, excluded.v);";

    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public PreparedStatementTests()
    {
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE cursors (k TEXT PRIMARY KEY, v INTEGER NOT NULL);";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void EachRun_TakesItsOwnValues_InTheTransactionItIsGiven()
    {
        using var upsert = new PreparedStatement(_connection, Upsert, "$k", "$v");

        upsert.Run(null, "ada", 3L);
        upsert.Run(null, "bob", 5L);
        using (var transaction = _connection.BeginTransaction())
        {
            upsert.Run(transaction, "ada", 7L);
            upsert.Run(transaction, "bob", 4L); // below what bob has: kept at 5
            transaction.Rollback();
        }
        using (var transaction = _connection.BeginTransaction())
        {
            upsert.Run(transaction, "ada", 9L);
            transaction.Commit();
        }

        Assert.Equal([("ada", 9L), ("bob", 5L)], Cursors());
    }

    [Fact]
    public void ARun_MakesNoCommandNorParsesAgain_LessThanHalfWhatAFreshCommandAllocates()
    {
        using var upsert = new PreparedStatement(_connection, Upsert, "$k", "$v");

        var prepared = BytesPerRun(i => upsert.Run(null, "ada", (long)i));
        var fresh = BytesPerRun(i =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = Upsert;
            command.Parameters.AddWithValue("$k", "ada");
            command.Parameters.AddWithValue("$v", (long)i);
            command.ExecuteNonQuery();
        });

        // A read mark runs this once a second for every reader of a busy room, and a savepoint and its release around every write.
        Assert.True(prepared * 2 < fresh, $"{prepared} bytes per run prepared once, {fresh} with a fresh command");
    }

    [Fact]
    public void MoreParametersThanARunTakes_AreRefusedWhenPrepared()
    {
        Assert.Throws<ArgumentException>(() => new PreparedStatement(_connection, "SELECT $a, $b, $c, $d;", "$a", "$b", "$c", "$d"));
    }

    // On this thread, the least of a few rounds of 200 runs.
    private static long BytesPerRun(Action<int> run)
    {
        run(0);
        var least = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 1; i <= 200; i++)
                run(i);
            least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / 200);
        }
        return least;
    }

    private List<(string, long)> Cursors()
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT k, v FROM cursors ORDER BY k;";
        using var reader = select.ExecuteReader();
        var rows = new List<(string, long)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        return rows;
    }
}
