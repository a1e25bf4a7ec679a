using BlazorChat.Moderation;

namespace BlazorChat.Tests.Persistence;

/// <summary>The audit log contract against PostgreSQL, on a database of its own per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditLogContractTests(PostgresServer server) : AuditLogContractTests
{
    private PostgresNode? _node;

    protected override async Task<IAuditLog> CreateLogAsync() => (_node = await PostgresNode.OnNewDatabaseAsync(server)).AuditLog;

    protected override async Task CleanUpAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
    }
}
