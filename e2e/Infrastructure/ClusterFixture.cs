using System.Diagnostics;
using Microsoft.Playwright;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// A BlazorChat cluster started exactly as a person would start one: <c>cluster/run.sh</c> (PostgreSQL, three nodes,
/// the YARP front door, all on loopback), shared by the tests of a collection. One more node is reserved to be started
/// later (<c>--late 1</c>, <see cref="StartLateNodeAsync"/>). Stopping it (SIGTERM to the script) stops everything it
/// started.
/// </summary>
public sealed partial class ClusterFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(5);
    private readonly string _addressFile = Path.Combine(Path.GetTempPath(), $"blazorchat-cluster-{Guid.NewGuid():N}.address");
    private readonly List<string> _output = [];
    private Process? _script;

    /// <summary>How many nodes run.sh reserves to be started later (the front door knows them from the start).</summary>
    public int LateNodes { get; init; } = 1;

    /// <summary>The front door's address.</summary>
    public Uri FrontDoor { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Each node's own address, as cluster/run.sh printed it ("node 1 on http://127.0.0.1:PORT (pid ...)").</summary>
    public IReadOnlyList<Uri> Nodes =>
    [
        .. Output.Select(line => NodeLine().Match(line)).Where(m => m.Success).Select(m => new Uri(m.Groups[1].Value + "/")),
    ];

    /// <summary>Each node's process id, in the order of <see cref="Nodes"/> (node i is the front door's "node{i}").</summary>
    public IReadOnlyList<int> NodePids =>
    [
        .. Output.Select(line => NodeLine().Match(line)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>Which node a browser's requests reach now: the front door's name for it ("node2"), from its response header.</summary>
    public async Task<string> NodeOfAsync(IBrowserContext context)
    {
        // The browser's own cookies (its affinity), on a request that changes nothing.
        var response = await context.APIRequest.GetAsync(new Uri(FrontDoor, "healthz").ToString(), new() { Timeout = 10_000 });
        return response.Headers.TryGetValue("x-blazorchat-node", out var node) ? node
            : throw new InvalidOperationException($"the front door named no node (status {response.Status})");
    }

    /// <summary>kill -9 on node <paramref name="name"/> ("node2"): no goodbye to the other nodes, the browsers or the store.</summary>
    public void KillNode(string name)
    {
        var index = int.Parse(name["node".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1;
        using var kill = Process.Start("kill", ["-KILL", NodePids[index].ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
            throw new InvalidOperationException($"kill -9 {NodePids[index]} failed");
    }

    /// <summary>
    /// Starts the next node run.sh reserved (<see cref="LateNodes"/>) with the script it printed, which returns once the
    /// node has caught up with the others and answers its health check; returns the front door's name for it ("node4").
    /// From then on it is one of <see cref="Nodes"/>.
    /// </summary>
    public async Task<string> StartLateNodeAsync()
    {
        var started = Nodes.Count;
        var late = Output.Select(l => LateNodeLine().Match(l)).FirstOrDefault(m => m.Success
            && int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture) == started + 1)
            ?? throw new InvalidOperationException($"cluster/run.sh reserved no node {started + 1} to start later");
        var start = new ProcessStartInfo("bash", [late.Groups["start"].Value])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment[PublishedApp.DisableRateLimits.Key] = PublishedApp.DisableRateLimits.Value;
        using var process = Process.Start(start)!;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var output = process.StandardOutput.ReadToEndAsync(patience.Token);
        var errors = process.StandardError.ReadToEndAsync(patience.Token);
        await process.WaitForExitAsync(patience.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{late.Groups["start"].Value} failed:\n{await output}\n{await errors}");
        foreach (var line in (await output).Split('\n'))
            Keep(line);
        return $"node{started + 1}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^late node (?<index>\d+) on \S+ \(start: (?<start>\S+)\)")]
    private static partial System.Text.RegularExpressions.Regex LateNodeLine();

    /// <summary>Stops the cluster's PostgreSQL (fast shutdown: every connection is cut), with the script run.sh printed.</summary>
    public Task StopPostgresAsync() => RunPostgresScriptAsync("stop");

    /// <summary>Starts the cluster's PostgreSQL again, on the same port and data, and waits until it accepts connections.</summary>
    public Task StartPostgresAsync() => RunPostgresScriptAsync("start");

    private async Task RunPostgresScriptAsync(string which)
    {
        var line = Output.Select(l => PostgresLine().Match(l)).FirstOrDefault(m => m.Success)
            ?? throw new InvalidOperationException("cluster/run.sh printed no PostgreSQL stop/start scripts");
        var script = line.Groups[which].Value;
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(patience.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{script} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^PostgreSQL on \S+ \(stop: (?<stop>\S+), start: (?<start>\S+)\)")]
    private static partial System.Text.RegularExpressions.Regex PostgresLine();

    /// <summary>Copies each node's log (cluster/run.sh deletes its folder at exit) into <paramref name="folder"/>, for a failure's report.</summary>
    public void KeepLogs(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var log in Output.Select(l => LogOf().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value))
        {
            if (File.Exists(log))
                File.Copy(log, Path.Combine(folder, Path.GetFileName(log)), overwrite: true);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@", log (\S+)\)$")]
    private static partial System.Text.RegularExpressions.Regex LogOf();

    /// <summary>Whether node <paramref name="index"/>'s process is still running.</summary>
    public bool IsNodeAlive(int index)
    {
        try
        {
            using var process = Process.GetProcessById(NodePids[index]);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>What the script printed (node addresses and pids, logs' places).</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
                return [.. _output];
        }
    }

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await Browsers.GetAsync();
        // The app as the other e2e tests run it (published once per run: no second build of it at the same time).
        var app = await PublishedApp.GetFolderAsync();
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryPaths.Root, "cluster", "run.sh"), "--address-file", _addressFile, "--app", app,
            "--late", LateNodes.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        // Its nodes inherit this: flood control off, as for every app the tests start (PublishedApp).
        start.Environment[PublishedApp.DisableRateLimits.Key] = PublishedApp.DisableRateLimits.Value;
        // And an administrator (the operator's dashboard tests), made by the first node; the others find it in the shared
        // accounts database (the nodes start one after another).
        start.Environment["Accounts__Admin__Email"] = AccountsServerFixture.AdminEmail;
        start.Environment["Accounts__Admin__Password"] = AccountsServerFixture.AdminPassword;
        start.Environment["Accounts__Admin__DisplayName"] = AccountsServerFixture.AdminName;
        _script = Process.Start(start) ?? throw new InvalidOperationException("cluster/run.sh did not start");
        _script.OutputDataReceived += (_, e) => Keep(e.Data);
        _script.ErrorDataReceived += (_, e) => Keep(e.Data);
        _script.BeginOutputReadLine();
        _script.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + StartLimit;
        while (!File.Exists(_addressFile) || new FileInfo(_addressFile).Length == 0)
        {
            if (_script.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"cluster/run.sh did not come up:\n{string.Join('\n', Output)}");
            await Task.Delay(200);
        }
        FrontDoor = new Uri((await File.ReadAllTextAsync(_addressFile)).Trim());
    }

    public async Task DisposeAsync()
    {
        if (_script is { HasExited: false })
        {
            Process.Start("kill", ["-TERM", _script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _script.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _script.Kill(entireProcessTree: true);
            }
        }
        _script?.Dispose();
        File.Delete(_addressFile);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^node \d+ on (http://\S+) \(pid (\d+)")]
    private static partial System.Text.RegularExpressions.Regex NodeLine();

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.Add(line);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
