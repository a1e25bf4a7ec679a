using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// The app as a real process on a free loopback port, with its log captured so tests can read the
/// server's "proof of life" lines. Killed on dispose, and its data folder (if it has one of its own) deleted.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    // Every app started and not yet disposed: the end of the run stops those a failed test left behind.
    private static readonly ConcurrentDictionary<AppProcess, byte> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private int _disposed;

    private AppProcess(Process process, Uri baseUri, string? dataFolder)
    {
        _process = process;
        BaseUri = baseUri;
        DataFolder = dataFolder;
        Running.TryAdd(this, 0);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseUri { get; }

    public string Log => string.Join('\n', _log);

    public bool HasExited => _process.HasExited;

    /// <summary>The app's process id (the published app is one process): to read its memory, or to hand to the load client.</summary>
    public int ProcessId => _process.Id;

    /// <summary>A folder that is this app's alone (its databases), deleted once it has stopped; null when its data is the caller's.</summary>
    public string? DataFolder { get; }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> and waits until it answers on <see cref="BaseUri"/>.
    /// An app that does not start is stopped, and its <paramref name="dataFolder"/> deleted, before this throws.
    /// </summary>
    public static async Task<AppProcess> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        int? port = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null, string? dataFolder = null)
    {
        var chosenPort = port ?? FreeLoopbackPort();
        var baseUri = new Uri($"http://127.0.0.1:{chosenPort}/");
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseUri.ToString().TrimEnd('/'));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var app = new AppProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}"), baseUri, dataFolder);
        try
        {
            await app.WaitUntilServingAsync(timeout ?? TimeSpan.FromSeconds(90));
        }
        catch
        {
            // The caller gets no app to dispose: stop it, and take its data with it, here.
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>Disposes every app not disposed yet: at the end of the run, those a failed test left running.</summary>
    public static async Task DisposeAllAsync()
    {
        foreach (var app in Running.Keys)
            await app.DisposeAsync();
    }

    /// <summary>Waits until the log has a line containing <paramref name="text"/>; the server logs on its own threads.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The server log has no line with \"{text}\". Log:\n{Log}");
            await Task.Delay(50);
        }
    }

    public async Task StopAsync()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>
    /// SIGKILL to the process itself, at once: it gets no time to do anything more. <see cref="StopAsync"/> first walks
    /// the process tree, which takes a hundred milliseconds or more; use this for an app that is one process (the
    /// published one) when the moment of the kill matters.
    /// </summary>
    public async Task CrashAsync()
    {
        if (_process.HasExited)
            return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await StopAsync();
        _process.Dispose();
        Running.TryRemove(this, out _);
        // Stopped, it holds no file open any more.
        if (DataFolder is not null)
            RunFolder.TryDelete(DataFolder);
    }

    private async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode} before serving. Log:\n{Log}");
            try
            {
                using var response = await http.GetAsync(BaseUri);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The app did not serve {BaseUri} within {timeout}. Log:\n{Log}");
            await Task.Delay(200);
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
