namespace BlazorChat.Persistence.Postgres;

/// <summary>
/// Migrates the schema while the app starts, so an unreachable server or a database newer than the app stops the start
/// with its reason, rather than the first message someone sends failing.
/// </summary>
public sealed class PostgresSchemaStartup(PostgresDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
