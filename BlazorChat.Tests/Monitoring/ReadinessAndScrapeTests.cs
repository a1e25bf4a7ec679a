using System.Net;
using BlazorChat.Components;
using BlazorChat.Monitoring;
using BlazorChat.Tests.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Monitoring;

/// <summary>
/// The app as Program.cs builds it, on a free loopback port: <c>/readyz</c> answers 200 while the store's file can be
/// read and 503 naming the store when it cannot; the Prometheus endpoint is absent by default, refused to a visitor
/// when on, and open only when configured so.
/// </summary>
public sealed class ReadinessAndScrapeTests : IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    [Fact]
    public async Task Readyz_IsReady_WhileTheStoreAnswers_AndAnswers503NamingTheStore_WhileItsFileIsGone()
    {
        await using var app = await StartAsync();
        using var http = Client(app);
        var databasePath = Path.Combine(_folder.Folder, "chat.db");

        using (var ready = await http.GetAsync(MonitoringServices.ReadinessPath))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
        }

        // The file moved away and a folder in its place: nothing can open the store now (the store's writer still holds
        // the moved file, which is why the check opens a connection of its own).
        File.Move(databasePath, databasePath + ".away");
        Directory.CreateDirectory(databasePath);
        using (var notReady = await http.GetAsync(MonitoringServices.ReadinessPath))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.StartsWith($"not ready\n{MonitoringServices.StoreCheck}: ", await notReady.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var alive = await http.GetAsync("/healthz"))
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode); // alive, not ready: a restart would not help the store

        Directory.Delete(databasePath);
        File.Move(databasePath + ".away", databasePath);
        using var readyAgain = await http.GetAsync(MonitoringServices.ReadinessPath);
        Assert.Equal(HttpStatusCode.OK, readyAgain.StatusCode);
    }

    [Theory]
    [InlineData("/readyz")]
    [InlineData("/healthz")]
    public async Task AHealthProbe_GetsNoGuestCookie(string address)
    {
        await using var app = await StartAsync();
        using var http = Client(app);

        using var probe = await http.GetAsync(address);
        using var page = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        Assert.False(probe.Headers.Contains("Set-Cookie"), string.Join("; ", probe.Headers.Select(h => h.Key)));
        Assert.True(page.Headers.Contains("Set-Cookie")); // a person's first page still gets one
    }

    [Fact]
    public async Task TheScrapeEndpoint_IsNotThere_ByDefault()
    {
        await using var app = await StartAsync();
        using var http = Client(app);

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheAppsRateLimiter_CountsItsRefusals_InTheChatsMetrics()
    {
        await using var app = await StartAsync(new()
        {
            ["Chat:RateLimits:Messages:Permits"] = "1", ["Chat:RateLimits:Messages:Burst"] = "1",
        });
        var refusals = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == app.Services.GetRequiredService<ChatMetrics>().Meter && instrument.Name == "blazorchat.ratelimit.refusals")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag is { Key: "kind", Value: ChatRateLimiter.MessagesKind })
                    Interlocked.Add(ref refusals, value);
        });
        listener.Start();
        var limiter = app.Services.GetRequiredService<ChatRateLimiter>();

        Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-ada"));
        Assert.NotNull(limiter.TryAcquire(RateLimitKind.Messages, "user-ada"));

        Assert.Equal(1, Interlocked.Read(ref refusals));
    }

    [Fact]
    public async Task TheScrapeEndpoint_WhenOn_IsRefusedToAVisitorWithoutTheAdminRole()
    {
        await using var app = await StartAsync(new() { ["Monitoring:Prometheus"] = "true" });
        app.Services.GetRequiredService<ChatMetrics>().RateLimitRefused("message");
        using var http = Client(app);

        using var response = await http.GetAsync("/metrics");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
            $"answered {response.StatusCode}");
        if (response.StatusCode == HttpStatusCode.Redirect)
            Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("blazorchat_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheScrapeEndpoint_WhenOnAndOpen_ServesTheChatsMetrics_ToAnyone()
    {
        await using var app = await StartAsync(new() { ["Monitoring:Prometheus"] = "true", ["Monitoring:PrometheusOpen"] = "true" });
        app.Services.GetRequiredService<ChatMetrics>().RateLimitRefused("message");
        using var http = Client(app);

        using var response = await http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("blazorchat_ratelimit_refusals_total{", text, StringComparison.Ordinal);
        Assert.Contains("kind=\"message\"", text, StringComparison.Ordinal);
        Assert.Contains("blazorchat_outbox_backlog", text, StringComparison.Ordinal);
    }

    [Fact]
    public void InClusterMode_ReadinessAlsoAsksTheClustersPostgreSql()
    {
        var single = ReadinessChecks(new());
        var cluster = ReadinessChecks(new()
        {
            ["Realtime:Adapter"] = "Postgres",
            ["Store:Provider"] = "Postgres",
            ["Store:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=none",
        });

        Assert.Equal([MonitoringServices.StoreCheck], single);
        Assert.Equal([MonitoringServices.ClusterCheck, MonitoringServices.StoreCheck], cluster);
    }

    private static string[] ReadinessChecks(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMonitoring();
        using var services = builder.Services.BuildServiceProvider();
        return [.. services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Where(r => r.Tags.Contains(MonitoringServices.ReadyTag)).Select(r => r.Name).Order(StringComparer.Ordinal)];
    }

    private async Task<WebApplication> StartAsync(Dictionary<string, string?>? settings = null)
    {
        // The app's own name, so MapStaticAssets finds BlazorChat's static assets manifest beside the tests.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory, ApplicationName = "BlazorChat", EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:DatabasePath"] = Path.Combine(_folder.Folder, "chat.db"),
            ["Accounts:DatabasePath"] = Path.Combine(_folder.Folder, "accounts.db"),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddApplicationServices();
        var app = builder.Build();
        app.UseApplicationPipeline();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
    }

    public void Dispose() => _folder.Dispose();
}
