using Microsoft.Playwright;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// A published app whose first administrator comes from the environment (Accounts__Admin__*), the way an operator
/// sets one up, with a low per-person tab cap so the cap test stays fast.
/// </summary>
public class AccountsServerFixture : IAsyncLifetime
{
    public const string AdminEmail = "root@blazorchat.test";
    public const string AdminPassword = "Adm1n-from-env!";
    public const string AdminName = "Operator";
    public const int MaxTabs = 2;

    private AppProcess? _app;

    public AppProcess App => _app ?? throw new InvalidOperationException("Not started.");

    public string DatabasePath { get; } = PublishedApp.NewDatabasePath();

    public string AccountsDatabasePath => PublishedApp.AccountsDatabasePath(DatabasePath);

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>How many tabs one person may have (Accounts:MaxCircuitsPerPerson).</summary>
    protected virtual int TabCap => MaxTabs;

    /// <summary>How long a tab's circuit is kept once its connection is gone (Circuits:DisconnectedCircuitRetentionPeriod).</summary>
    protected virtual TimeSpan CircuitRetention => TimeSpan.FromSeconds(10);

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await Browsers.GetAsync();
        _app = await PublishedApp.StartAsync(databasePath: DatabasePath, environment: new Dictionary<string, string>
        {
            ["Accounts__Admin__Email"] = AdminEmail,
            ["Accounts__Admin__Password"] = AdminPassword,
            ["Accounts__Admin__DisplayName"] = AdminName,
            ["Accounts__MaxCircuitsPerPerson"] = TabCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The administrator is one person across these tests, under a cap of 2 tabs. A closed tab whose disconnect
            // beacon never reached the server (a busy machine) keeps its circuit, and its place, for the retention
            // period: 3 minutes by default, past any wait of the next test that joins as the administrator.
            ["Circuits__DisconnectedCircuitRetentionPeriod"] = CircuitRetention.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        RunFolder.TryDelete(Path.GetDirectoryName(DatabasePath)!);
    }
}

/// <summary>
/// The same app for the moderation tests, on a database of its own: a banned person's tabs linger (their circuits stay
/// until they close), so a person there may have more tabs than the accounts tests' cap.
/// </summary>
public sealed class ModerationServerFixture : AccountsServerFixture
{
    protected override int TabCap => 10;
}

/// <summary>
/// The same app for the tab places' tests, on a database of its own, keeping a disconnected tab's circuit for the
/// framework's default 3 minutes: a place that comes free within seconds of a tab losing its network was given back by
/// the tab (ChatOptions.AwayAfterTransportLoss, 5 s), not by its circuit closing.
/// </summary>
public sealed class TabPlacesServerFixture : AccountsServerFixture
{
    protected override TimeSpan CircuitRetention => TimeSpan.FromMinutes(3);
}

[CollectionDefinition(Name)]
public sealed class TabPlacesServerCollection : ICollectionFixture<TabPlacesServerFixture>
{
    public const string Name = "tab places server";
}

[CollectionDefinition(Name)]
public sealed class ModerationServerCollection : ICollectionFixture<ModerationServerFixture>
{
    public const string Name = "moderation server";
}

[CollectionDefinition(Name)]
public sealed class AccountsServerCollection : ICollectionFixture<AccountsServerFixture>
{
    public const string Name = "accounts server";
}
