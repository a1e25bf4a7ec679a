using System.Net;
using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Health and metrics on the published app: <c>/readyz</c> turns 503 when the store is really unavailable (its file
/// gone, a folder in its place) and 200 once it is back, while <c>/healthz</c> stays alive and people keep chatting (and
/// what a tab does is logged under its connection and person ids);
/// the Prometheus endpoint is absent by default, and once configured on it refuses a visitor and serves an admin the
/// chat's own metrics. On a cluster, <c>/readyz</c> names the store and the cluster's PostgreSQL while it is stopped.
/// </summary>
public sealed class HealthAndMetricsTests
{
    private const string AdminEmail = "metrics-admin@blazorchat.test", AdminPassword = "Adm1n-metrics!", AdminName = "Metrics Admin";

    /// <summary>
    /// The published app asks the runtime for a shared buffer pool that a message to a big room finds its arrays in
    /// (BlazorChat.SharedBufferPool), and says at startup what the runtime made of it; an operator's own setting wins.
    /// </summary>
    [Fact]
    public async Task TheSharedBufferPool_Keeps512ArraysOfEachSizePerCore_UnlessTheOperatorSetsIt()
    {
        const string variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
        await using (var app = await PublishedApp.StartAsync())
            await app.WaitForLogAsync($"keeps up to 512 arrays of each size per core ({variable})");
        await using (var tuned = await PublishedApp.StartAsync(environment: new Dictionary<string, string> { [variable] = "48" }))
            await tuned.WaitForLogAsync($"keeps up to 48 arrays of each size per core ({variable})");
    }

    [Fact]
    public async Task Readyz_TurnsUnavailable_WhileTheStoreIsUnavailable_AndReadyAgainOnceItIsBack()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        var databasePath = PublishedApp.NewDatabasePath();
        try
        {
            await using var app = await PublishedApp.StartAsync(databasePath: databasePath,
                environment: new Dictionary<string, string> { ["Logging__Console__FormatterOptions__IncludeScopes"] = "true" });
            using var http = NewClient(app);
            await using var ada = await ChatUser.OpenAsync(await Browsers.GetAsync(), app.BaseUri, Names.Unique("Ada"));
            await ada.JoinAsync();
            await ada.SendAsync("before the store went away");
            await Expect(ada.Messages).ToContainTextAsync("before the store went away");
            // What her tab did (entering "/") is logged under her tab's connection id and her person id.
            await app.WaitForLogAsync("PersonId:guest-");
            Assert.Contains(app.Log.Split('\n'), line => line.Contains("entered", StringComparison.Ordinal)
                && line.Contains("ChatConnectionId:", StringComparison.Ordinal) && line.Contains("PersonId:guest-", StringComparison.Ordinal));

            await ExpectReadyAsync(http);
            using (var metrics = await http.GetAsync("metrics"))
                Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode); // no scrape endpoint unless configured

            // The store's file is gone and a folder stands in its place: nothing can open the store.
            File.Move(databasePath, databasePath + ".away");
            Directory.CreateDirectory(databasePath);
            using (var notReady = await http.GetAsync("readyz"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
                var text = await notReady.Content.ReadAsStringAsync();
                Assert.StartsWith("not ready\nstore: ", text, StringComparison.Ordinal);
                Assert.Contains(databasePath, text, StringComparison.Ordinal);
            }
            using (var alive = await http.GetAsync("healthz"))
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

            Directory.Delete(databasePath);
            File.Move(databasePath + ".away", databasePath);
            await ExpectReadyAsync(http);
            await ada.SendAsync("after the store came back");
            await Expect(ada.Messages).ToContainTextAsync("after the store came back");
        }
        finally
        {
            RunFolder.TryDelete(Path.GetDirectoryName(databasePath)!);
        }
    }

    [Fact]
    public async Task TheScrapeEndpoint_TurnedOn_RefusesAVisitor_AndServesAnAdminTheChatsMetrics()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        await using var app = await PublishedApp.StartAsync(environment: new Dictionary<string, string>
        {
            ["Monitoring__Prometheus"] = "true",
            ["Accounts__Admin__Email"] = AdminEmail,
            ["Accounts__Admin__Password"] = AdminPassword,
            ["Accounts__Admin__DisplayName"] = AdminName,
        });
        var browser = await Browsers.GetAsync();

        using var http = NewClient(app);
        using (var anonymous = await http.GetAsync("metrics"))
            AssertRefused(anonymous.StatusCode, anonymous.Headers.Location, await anonymous.Content.ReadAsStringAsync());

        // A guest in the chat is signed in (as a guest), but holds no admin role.
        await using var guest = await ChatUser.OpenAsync(browser, app.BaseUri, Names.Unique("Guest"));
        await guest.JoinAsync();
        var asGuest = await guest.Page.APIRequest.GetAsync("metrics", new() { MaxRedirects = 0 });
        AssertRefused((HttpStatusCode)asGuest.Status, asGuest.Headers.TryGetValue("location", out var to) ? new Uri(to, UriKind.RelativeOrAbsolute) : null,
            await asGuest.TextAsync());

        await using var admin = await ChatUser.OpenAsync(browser, app.BaseUri, AdminName);
        await AccountSteps.SignInAsync(admin.Page, AdminEmail, AdminPassword);
        await AccountSteps.ExpectSignedInAsync(admin.Page, AdminName);
        await AccountSteps.JoinAsAccountAsync(admin);
        await admin.SendAsync("counted");
        await Expect(guest.Messages).ToContainTextAsync("counted");

        // Both tabs rendered it: its acknowledgements are in, so every instrument has something to say.
        var scraped = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!Regex.IsMatch(scraped, @"blazorchat_message_ack_duration_seconds_count\{[^}]*\} 1\b"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The scrape never showed the message's acknowledgements:\n{scraped}");
            var response = await admin.Page.APIRequest.GetAsync("metrics", new() { MaxRedirects = 0 });
            Assert.Equal(200, response.Status);
            scraped = await response.TextAsync();
            await Task.Delay(200);
        }
        Assert.Matches(@"blazorchat_messages_total\{[^}]*kind=""room""[^}]*\} 1\b", scraped);
        Assert.Matches(@"blazorchat_deliveries_total\{[^}]*event=""message""[^}]*\} 2\b", scraped); // the admin's tab and the guest's
        Assert.Matches(@"blazorchat_circuits\{[^}]*\} [2-9]\b", scraped); // a tab that navigated away may still hold its circuit
        Assert.Matches(@"blazorchat_connections\{[^}]*\} 2\b", scraped);
        Assert.Matches(@"blazorchat_store_commit_duration_seconds_count\{[^}]*store=""sqlite""[^}]*\} [1-9]", scraped);
        Assert.Matches(@"blazorchat_outbox_backlog\{[^}]*\} \d", scraped);
    }

    [Fact(Timeout = 300_000)]
    public async Task Readyz_OnACluster_Answers503NamingTheStoreAndTheCluster_WhilePostgreSqlIsStopped_AndReadyOnceItIsBack()
    {
        var cluster = new ClusterFixture { LateNodes = 0 };
        try
        {
            await cluster.InitializeAsync();
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(20) };
            Assert.NotEmpty(cluster.Nodes);
            foreach (var node in cluster.Nodes)
                await ExpectReadyAsync(http, node);

            await cluster.StopPostgresAsync();
            foreach (var node in cluster.Nodes)
            {
                using var notReady = await http.GetAsync(new Uri(node, "readyz"));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
                var text = await notReady.Content.ReadAsStringAsync();
                Assert.StartsWith("not ready\n", text, StringComparison.Ordinal);
                Assert.Contains("\nstore: the store (PostgreSQL) does not answer", text, StringComparison.Ordinal);
                Assert.Contains("\ncluster: the cluster's database (PostgreSQL) does not answer", text, StringComparison.Ordinal);
                using var alive = await http.GetAsync(new Uri(node, "healthz"));
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode); // no node is dead for it
            }

            await cluster.StartPostgresAsync();
            foreach (var node in cluster.Nodes)
            {
                // PostgreSQL takes a moment to accept connections after its start script returns.
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
                while (true)
                {
                    using var response = await http.GetAsync(new Uri(node, "readyz"));
                    if (response.StatusCode == HttpStatusCode.OK)
                        break;
                    Assert.True(DateTime.UtcNow < deadline, $"{node} still answers {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    await Task.Delay(250);
                }
                await ExpectReadyAsync(http, node);
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static void AssertRefused(HttpStatusCode status, Uri? location, string body)
    {
        Assert.True(status is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"answered {status}");
        if (status == HttpStatusCode.Redirect)
            Assert.Contains("/account/signin", location?.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("blazorchat_", body, StringComparison.Ordinal);
    }

    private static async Task ExpectReadyAsync(HttpClient http, Uri? node = null)
    {
        using var ready = await http.GetAsync(node is null ? new Uri("readyz", UriKind.Relative) : new Uri(node, "readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
    }

    private static HttpClient NewClient(AppProcess app) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseUri, Timeout = TimeSpan.FromSeconds(20) };
}
