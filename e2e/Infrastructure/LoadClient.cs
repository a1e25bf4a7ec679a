using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// Headless members from the project's own load client (<c>bench/load-client</c>, Node 20): its <c>memory</c> scenario
/// with <c>--join true</c> opens a Blazor circuit per member, joins each under a name of its own (so each is a person in
/// #general), and with <c>--hold-s</c> keeps them all connected that long afterwards. The process is bounded three ways:
/// <see cref="DisposeAsync"/> kills it, the end of the run kills any a failed test left behind, and it exits by itself
/// when its hold ends (its own hard deadline, <c>--deadline-s</c> + 60 s, backs that up).
/// </summary>
public sealed partial class LoadClient : IAsyncDisposable
{
    // Every load client started and not yet disposed: the end of the run stops those a failed fixture left behind.
    private static readonly ConcurrentDictionary<LoadClient, byte> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stderr = new();
    private int _disposed;

    private LoadClient(Process process)
    {
        _process = process;
        Running.TryAdd(this, 0);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        // Its stdout is the scenario's JSON, printed once the hold is over: read it only so the pipe never fills.
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    /// <summary>The load client's folder in the repository.</summary>
    public static string Folder => Path.Combine(RepositoryPaths.Root, "bench", "load-client");

    /// <summary>The last <paramref name="lines"/> lines the load client wrote on stderr (its progress, its failures).</summary>
    public string StderrTail(int lines = 25) => string.Join('\n', _stderr.TakeLast(lines));

    /// <summary>
    /// Starts <paramref name="members"/> headless members of <paramref name="app"/>'s #general, 16 at a time, kept
    /// connected <paramref name="hold"/> after they have all joined. Returns at once: see <see cref="WaitUntilJoinedAsync"/>.
    /// </summary>
    public static LoadClient StartMembers(AppProcess app, int members, TimeSpan hold)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules")))
            throw new InvalidOperationException($"The load client's packages are not installed: run `npm ci` in {Folder} (./test.sh does).");
        var seconds = (int)hold.TotalSeconds;
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            Path.Combine("src", "bench.js"), "--system", "blazorchat", "--url", app.BaseUri.ToString().TrimEnd('/'),
            "--server-pid", app.ProcessId.ToString(CultureInfo.InvariantCulture), "--scenario", "memory",
            "--clients", members.ToString(CultureInfo.InvariantCulture), "--warm-clients", "0", "--concurrency", "16",
            "--join", "true", "--hold-s", seconds.ToString(CultureInfo.InvariantCulture),
            // Its deadline only caps the joining phase here; the process exits by itself at the latest 60 s after it.
            "--deadline-s", (seconds + 120).ToString(CultureInfo.InvariantCulture),
            "--out", Path.Combine(RunFolder.Current, $"load-client-{Guid.NewGuid():N}.json"),
        ];
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return new LoadClient(Process.Start(info) ?? throw new InvalidOperationException("Could not start node"));
    }

    /// <summary>
    /// Waits until the load client says all <paramref name="members"/> are connected and joined ("1000 clients connected
    /// and joined"). Throws, with the load client's stderr, when it says fewer, exits, or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilJoinedAsync(int members, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // The memory scenario grows in two phases, its warm clients (none here: "0 clients ...") then the rest.
            var joined = _stderr.Select(line => JoinedLine().Match(line)).Where(m => m.Success)
                .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
            if (joined >= members)
                return;
            if (joined > 0)
                throw new InvalidOperationException($"Only {joined} of {members} headless members joined. Load client's stderr:\n{StderrTail()}");
            if (_process.HasExited)
                throw new InvalidOperationException($"The load client exited ({_process.ExitCode}) before its {members} members joined. Its stderr:\n{StderrTail()}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{members} headless members did not join within {timeout.TotalSeconds} s. Load client's stderr:\n{StderrTail()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Disposes every load client not disposed yet: at the end of the run, those a failed fixture left running.</summary>
    public static async Task DisposeAllAsync()
    {
        foreach (var client in Running.Keys)
            await client.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
        finally
        {
            _process.Dispose();
            Running.TryRemove(this, out _);
        }
    }

    [GeneratedRegex(@"\] (\d+) clients connected and joined")]
    private static partial Regex JoinedLine();
}
