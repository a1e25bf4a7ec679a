using System.Diagnostics;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// Publishes the app once per test run (the way it is deployed) into the run's folder (<see cref="RunFolder"/>), so the
/// e2e tests exercise the publish output: its wwwroot and its static asset manifest, run on the installed .NET runtime.
/// </summary>
public static class PublishedApp
{
    private static readonly Lazy<Task<string>> Folder = new(PublishAsync);

    public static Task<string> GetFolderAsync() => Folder.Value;

    public static string Executable(string folder) => Path.Combine(folder, "BlazorChat");

    /// <summary>
    /// Starts the published app. Each start gets a fresh database file, deleted with the app when it is disposed, unless
    /// <paramref name="databasePath"/> names one (see <see cref="NewDatabasePath"/>), so a test can restart "the same
    /// server" on the same data. The accounts database lives next to it (accounts.db in the same folder).
    /// <paramref name="environment"/> adds settings, e.g. <c>Accounts__AllowGuests</c>.
    /// </summary>
    public static async Task<AppProcess> StartAsync(int? port = null, string? databasePath = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = await GetFolderAsync();
        var ownDatabase = databasePath is null;
        databasePath ??= NewDatabasePath();
        var settings = new Dictionary<string, string>
        {
            ["Store__DatabasePath"] = databasePath,
            ["Accounts__DatabasePath"] = AccountsDatabasePath(databasePath),
            // Flood control off: many tests send bursts from one person, and their subject is not it. The rate-limit
            // tests turn it on with settings of their own (RateLimitTests).
            [DisableRateLimits.Key] = DisableRateLimits.Value,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            settings[key] = value;
        return await AppProcess.StartAsync(Executable(folder), [], folder, port, settings,
            dataFolder: ownDatabase ? Path.GetDirectoryName(databasePath) : null);
    }

    /// <summary>The setting that turns the app's per-person rate limits off (they are on by default).</summary>
    public static readonly KeyValuePair<string, string> DisableRateLimits = new("Chat__RateLimits__Enabled", "false");

    /// <summary>The accounts database of the app whose message store is <paramref name="databasePath"/>.</summary>
    public static string AccountsDatabasePath(string databasePath) =>
        Path.Combine(Path.GetDirectoryName(databasePath)!, "accounts.db");

    /// <summary>
    /// A database file path in a folder of its own under the run's folder (not created yet: the app creates it). It is
    /// the caller's, and goes with the run's folder at the end of the run.
    /// </summary>
    public static string NewDatabasePath() =>
        Path.Combine(RunFolder.Current, "db", $"{Guid.NewGuid():N}", "chat.db");

    private static async Task<string> PublishAsync()
    {
        var output = Path.Combine(RunFolder.Current, "publish");
        if (Directory.Exists(output))
            Directory.Delete(output, recursive: true);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[] { "publish", RepositoryPaths.AppProject, "-c", "Release", "-o", output, "--nologo" })
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return output;
    }
}
