using System.Text;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Persistence;
using BlazorChat.Persistence.Sqlite;
using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Realtime.Server;
using BlazorChat.Session;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace BlazorChat.Monitoring;

/// <summary>
/// Health and metrics: the chat's meter (<see cref="ChatMetrics"/>), the readiness checks behind <c>/readyz</c> (the
/// store, and in cluster mode the adapter's PostgreSQL), and the Prometheus scrape endpoint when configuration turns it
/// on (<see cref="MonitoringOptions"/>).
/// </summary>
public static class MonitoringServices
{
    /// <summary>Where readiness is answered: 200 "ready", or 503 naming the check that failed.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>The tag of the checks <see cref="ReadinessPath"/> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The names of the readiness checks, as a 503 names them.</summary>
    public const string StoreCheck = "store", ClusterCheck = "cluster";

    /// <summary>The authorization policy of the scrape endpoint: the <c>admin</c> role, asked of the account now.</summary>
    public const string MetricsPolicy = "metrics";

    public static void AddMonitoring(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddMetrics();
        services.AddSingleton<ChatEventRing>();
        services.AddSingleton<ChatMetrics>();
        // The operator's dashboard (/ops): its service layer, this node's status and the sampler behind its charts.
        services.AddSingleton<IConnectionSource, AdapterConnectionSource>();
        services.AddSingleton<OpsDashboard>();
        services.AddSingleton<MetricsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsSampler>());
        services.AddSingleton<INodeStatus, ProcessNodeStatus>();
        services.AddSingleton<NodeDirectory>();
        services.AddSingleton<INodeDirectory>(sp => sp.GetRequiredService<NodeDirectory>());
        services.AddHostedService(sp => sp.GetRequiredService<NodeDirectory>());
        // Every refusal of the rate limiter is counted (blazorchat.ratelimit.refusals) and goes into the event feed.
        services.AddSingleton<BlazorChat.Chat.IRateLimitObserver>(sp => sp.GetRequiredService<ChatMetrics>());

        var checks = services.AddHealthChecks();
        var timeout = TimeSpan.FromSeconds(PostgresHealthCheck.TimeoutSeconds + 1);
        var store = new StoreOptions();
        configuration.GetSection(StoreOptions.Section).Bind(store);
        if (store.Provider == StoreProvider.Postgres)
            checks.Add(new HealthCheckRegistration(StoreCheck, _ => new PostgresHealthCheck(store.ConnectionString ?? "", "the store"),
                HealthStatus.Unhealthy, [ReadyTag], timeout));
        else
            checks.Add(new HealthCheckRegistration(StoreCheck, sp => new SqliteStoreHealthCheck(sp.GetRequiredService<SqliteMessageStore>()),
                HealthStatus.Unhealthy, [ReadyTag], timeout));
        if (string.Equals(configuration[ChatServerServiceCollectionExtensions.AdapterSetting], "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            var bus = configuration[$"{PostgresAdapterOptions.Section}:{nameof(PostgresAdapterOptions.ConnectionString)}"];
            if (string.IsNullOrWhiteSpace(bus))
                bus = store.ConnectionString;
            checks.Add(new HealthCheckRegistration(ClusterCheck, _ => new PostgresHealthCheck(bus ?? "", "the cluster's database"),
                HealthStatus.Unhealthy, [ReadyTag], timeout));
        }

        var options = configuration.GetSection(MonitoringOptions.Section).Get<MonitoringOptions>() ?? new MonitoringOptions();
        services.Configure<MonitoringOptions>(configuration.GetSection(MonitoringOptions.Section));
        if (!options.Prometheus)
            return;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ChatMetrics.MeterName).AddPrometheusExporter());
        services.AddAuthorizationBuilder().AddPolicy(MetricsPolicy, policy => policy.RequireAuthenticatedUser()
            .RequireAssertion(async context => context.Resource is HttpContext http && context.User.Identity?.IsAuthenticated == true
                && await http.RequestServices.GetRequiredService<IAccessChecker>().IsInRoleAsync(context.User, ChatHandlers.AdminRole, http.RequestAborted)));
    }

    /// <summary>Maps <see cref="ReadinessPath"/>, and the scrape endpoint when it is on. After authentication and authorization.</summary>
    public static void MapMonitoring(this WebApplication app)
    {
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        }).WithMetadata(GuestIdentity.NotForPeople);

        var options = app.Configuration.GetSection(MonitoringOptions.Section).Get<MonitoringOptions>() ?? new MonitoringOptions();
        if (!options.Prometheus)
            return;
        var scrape = app.MapPrometheusScrapingEndpoint(options.PrometheusPath).WithMetadata(GuestIdentity.NotForPeople);
        if (!options.PrometheusOpen)
            scrape.RequireAuthorization(MetricsPolicy);
    }

    // Plain text: "ready", or "not ready" and a line per failed check ("store: the SQLite file ... cannot be read: ...").
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (report.Status == HealthStatus.Healthy)
            return context.Response.WriteAsync("ready", context.RequestAborted);
        var text = new StringBuilder("not ready");
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Healthy)
                text.Append('\n').Append(name).Append(": ").Append(entry.Description ?? entry.Exception?.Message ?? entry.Status.ToString());
        }
        return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }
}
