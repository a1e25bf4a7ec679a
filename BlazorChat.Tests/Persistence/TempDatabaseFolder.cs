using Microsoft.Data.Sqlite;

namespace BlazorChat.Tests.Persistence;

/// <summary>A folder of its own under the temp directory for one test's SQLite files; deleted on dispose.</summary>
public sealed class TempDatabaseFolder : IDisposable
{
    public TempDatabaseFolder() =>
        Folder = Path.Combine(Path.GetTempPath(), "blazorchat-store-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Not created here: the store must create it (first run).</summary>
    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "chat.db");

    /// <summary>A connection of the test's own, outside the store and its pool.</summary>
    public SqliteConnection OpenRaw(SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        Directory.CreateDirectory(Folder);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = mode,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public void Dispose()
    {
        // The store's connections are pooled: a disposed store's file stays open until its pool is cleared.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }
}
