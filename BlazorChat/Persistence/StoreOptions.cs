namespace BlazorChat.Persistence;

/// <summary>Where and how messages and rooms are stored, bound from the "Store" configuration section.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>Which engine stores messages and rooms: the embedded SQLite file (the default) or a shared PostgreSQL database.</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>The SQLite database file; relative paths are under the app's content root. Created on first run.</summary>
    public string DatabasePath { get; set; } = "App_Data/blazorchat.db";

    /// <summary>
    /// The PostgreSQL connection string (Npgsql's keywords: Host, Port, Database, Username, Password…), used when
    /// <see cref="Provider"/> is <see cref="StoreProvider.Postgres"/>. The database must exist; its tables are created and
    /// migrated on start.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The most writes one transaction commits together (group commit: one commit for all of them).</summary>
    public int MaxBatch { get; set; } = 256;
}

/// <summary>The engines behind <see cref="IMessageStore"/> and <see cref="IRoomStore"/>.</summary>
public enum StoreProvider
{
    /// <summary>One SQLite file on this machine: a single node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database that several nodes share.</summary>
    Postgres,
}
