using System.Diagnostics;
using Microsoft.Playwright;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// A published app of its own with <see cref="Members"/> headless members in #general (<see cref="LoadClient"/>), and
/// the shared browser, for the tests of the big room collection. The app keeps its defaults: rate limits on (each
/// member is a person of its own who joins once, which trips no per-person limit).
/// </summary>
public sealed class BigRoomFixture : IAsyncLifetime
{
    /// <summary>How many headless members join #general before any test runs.</summary>
    public const int Members = 1000;

    // Generous on two busy cores: 1,000 joins take about 20 s on a quiet machine (docs/benchmarks.md).
    private static readonly TimeSpan JoinLimit = TimeSpan.FromSeconds(180);

    // The members stay connected this long after joining; the tests of the collection take far less (about 2 minutes).
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);

    private AppProcess? _app;
    private LoadClient? _members;

    public AppProcess App => _app ?? throw new InvalidOperationException("Not started.");

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>How long the app took to start (publishing it first, when this is the run's first app) and the members to join.</summary>
    public TimeSpan SetUpTime { get; private set; }

    /// <summary>How long the members took to connect and join, from starting the load client.</summary>
    public TimeSpan JoinTime { get; private set; }

    /// <summary>The app's resident memory once the members had joined.</summary>
    public long RssAfterJoinsBytes { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await Browsers.GetAsync();
        try
        {
            _app = await PublishedApp.StartAsync(environment: new Dictionary<string, string>
            {
                // The app's default (PublishedApp turns it off for every other test).
                [PublishedApp.DisableRateLimits.Key] = "true",
            });
            var joining = Stopwatch.StartNew();
            _members = LoadClient.StartMembers(_app, Members, Hold);
            await _members.WaitUntilJoinedAsync(Members, JoinLimit);
            JoinTime = joining.Elapsed;
        }
        catch
        {
            // xunit may not dispose a fixture that failed to start: leave no process behind.
            await DisposeAsync();
            throw;
        }
        SetUpTime = clock.Elapsed;
        RssAfterJoinsBytes = RssBytes(App.ProcessId);
    }

    public async Task DisposeAsync()
    {
        if (_members is not null)
            await _members.DisposeAsync();
        if (_app is not null)
            await _app.DisposeAsync();
    }

    /// <summary>A process's resident memory now (VmRSS), in bytes; 0 where /proc is not there to say.</summary>
    public static long RssBytes(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
            return 0;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}

/// <summary>The big room's tests: alone (never beside another collection's tests), on an app of their own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BigRoomCollection : ICollectionFixture<BigRoomFixture>
{
    public const string Name = "big room";
}
