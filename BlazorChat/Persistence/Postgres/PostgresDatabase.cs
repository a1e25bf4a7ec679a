using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// The PostgreSQL database both stores use (<see cref="PostgresMessageStore"/>, <see cref="PostgresRoomStore"/>): one
/// <see cref="NpgsqlDataSource"/> (a connection pool) and the schema, migrated once before the first connection is handed
/// out. A failed migration (the server not up yet) is tried again by the next caller.
/// </summary>
public sealed partial class PostgresDatabase : IAsyncDisposable
{
    internal const string MissingConnectionString =
        "Store:Provider is Postgres but Store:ConnectionString is empty: set it, e.g. \"Host=127.0.0.1;Port=5432;Database=blazorchat;Username=chat;Password=...\".";

    private readonly Lock _gate = new();
    private readonly ILogger<PostgresDatabase> _logger;
    private Task<int>? _schema;

    public PostgresDatabase(IOptions<StoreOptions> options, ILoggerFactory loggerFactory)
        : this(options.Value.ConnectionString ?? "", loggerFactory)
    {
    }

    public PostgresDatabase(string connectionString, ILoggerFactory loggerFactory)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(MissingConnectionString);
        _logger = loggerFactory.CreateLogger<PostgresDatabase>();
        DataSource = new NpgsqlDataSourceBuilder(connectionString).UseLoggerFactory(loggerFactory).Build();
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Migrates the schema to the latest version unless this instance already has; returns the version.</summary>
    public Task<int> EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        var schema = _schema;
        if (schema is not { IsCompletedSuccessfully: true })
        {
            lock (_gate)
            {
                if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
                    // Not the caller's token: other callers share this migration, and one leaving must not cancel it.
                    _schema = MigrateAsync();
                schema = _schema;
            }
        }
        return schema.WaitAsync(cancellationToken);
    }

    /// <summary>An open connection from the pool, once the schema is in place.</summary>
    public async ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await DataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Runs a query on a connection of its own and makes one item of each row (again once, on a lost connection).</summary>
    internal Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken,
        params object?[] values) => OnceMoreIfLostAsync(async () =>
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, sql, values);
        return await PostgresSql.ListAsync(command, read, cancellationToken);
    });

    /// <summary>
    /// Runs one statement on a connection of its own (again once, on a lost connection: only for statements that may run
    /// twice); returns how many rows it changed.
    /// </summary>
    internal Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values) => OnceMoreIfLostAsync(async () =>
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = PostgresSql.Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    });

    /// <summary>
    /// Runs <paramref name="work"/>, and once more if the connection it got was lost: after PostgreSQL restarted (or a
    /// backend was ended) every pooled connection is dead, and each would fail the first request made on it, one "not
    /// sent" after another for work that would succeed now. The pool is emptied before the second try, so it gets a new
    /// connection; if the server is really away, the second try fails too, at once. Only for work that may run twice
    /// (reads, upserts, message appends: a message id is stored once).
    /// </summary>
    internal async Task<T> OnceMoreIfLostAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (IsConnectionLost(ex))
        {
            LogConnectionLost(ex);
            DataSource.Clear();
            return await work();
        }
    }

    /// <summary>
    /// The connection broke (the server went away, restarted, or ended the backend), as opposed to PostgreSQL refusing a
    /// statement: trying again on a new connection may succeed.
    /// </summary>
    internal static bool IsConnectionLost(Exception ex) => ex switch
    {
        // admin_shutdown (the backend was ended, or the server shut down), crash_shutdown, cannot_connect_now (starting).
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException => true, // a network or protocol failure, not an error the server reported
        _ => false,
    };

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private async Task<int> MigrateAsync()
    {
        var version = await PostgresSchema.MigrateAsync(DataSource);
        var builder = new NpgsqlConnectionStringBuilder(DataSource.ConnectionString);
        LogReady(builder.Host ?? "", builder.Port, builder.Database ?? "", version);
        return version;
    }

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "Message store: a pooled connection to PostgreSQL was lost; emptying the pool and trying once more")]
    private partial void LogConnectionLost(Exception exception);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Message store: PostgreSQL {Host}:{Port}, database {Database} (schema version {Version})")]
    private partial void LogReady(string host, int port, string database, int version);
}
