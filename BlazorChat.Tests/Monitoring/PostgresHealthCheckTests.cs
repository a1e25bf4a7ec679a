using BlazorChat.Monitoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BlazorChat.Tests.Monitoring;

/// <summary>The readiness check of a PostgreSQL database (the store's, and in cluster mode the adapter's).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHealthCheckTests(PostgresServer server)
{
    [Fact]
    public async Task APostgreSqlThatAnswers_IsHealthy()
    {
        var check = new PostgresHealthCheck(server.AdminConnectionString, "the store");

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task APostgreSqlNobodyListensFor_IsUnhealthy_AndSaysWhich()
    {
        var nobody = new Npgsql.NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Port = FreeLoopbackPort() }.ToString();
        var check = new PostgresHealthCheck(nobody, "the cluster's database");

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("the cluster's database (PostgreSQL) does not answer", result.Description, StringComparison.Ordinal);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
