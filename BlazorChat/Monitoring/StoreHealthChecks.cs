using BlazorChat.Persistence.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace BlazorChat.Monitoring;

/// <summary>
/// Whether the SQLite store's file can be opened and read now: a connection of its own (not pooled, not the store's
/// writer, which keeps the file it opened even after it was moved or deleted), read-write, never creating the file,
/// and one cheap query. What a restart of the node would need, and what the store's next reader needs.
/// </summary>
public sealed class SqliteStoreHealthCheck(SqliteMessageStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = store.DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master;";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"the SQLite file {store.DatabasePath} cannot be read: {ex.Message}");
        }
    }
}

/// <summary>
/// Whether a PostgreSQL database answers now: a connection of its own (not from a pool, whose idle connections may be
/// dead after a restart) and <c>SELECT 1</c>. The store's database, and in cluster mode the adapter's.
/// </summary>
public sealed class PostgresHealthCheck(string connectionString, string what) : IHealthCheck
{
    /// <summary>How long a connection attempt may take before the check fails.</summary>
    public const int TimeoutSeconds = 3;

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        Timeout = TimeoutSeconds,
        CommandTimeout = TimeoutSeconds,
    }.ToString();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1;", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            return HealthCheckResult.Unhealthy($"{what} (PostgreSQL) does not answer: {ex.Message}");
        }
    }
}
