using System.Diagnostics;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// The one folder a test run writes to, /tmp/blazorchat-e2e/run-{process id}: the published app and every database.
/// It goes when the run ends (<see cref="EndRunAsync"/>), however its tests went; a run killed before it could clean
/// up is swept by the next one. Without this, each run left about 160 MB behind.
/// </summary>
public static class RunFolder
{
    private static readonly Lazy<string> Folder = new(Create);

    // A folder named so belongs to the run of that process id.
    private static readonly string[] OwnedPrefixes = ["run-", "publish-"];

    /// <summary>Where every run keeps its folder.</summary>
    public static string Parent { get; } = Path.Combine(Path.GetTempPath(), "blazorchat-e2e");

    /// <summary>This run's folder, created on first use.</summary>
    public static string Current => Folder.Value;

    /// <summary>
    /// Called once every test has run and every fixture is disposed: stops the load clients and apps a failed test left running, then
    /// deletes this run's folder.
    /// </summary>
    public static async Task EndRunAsync()
    {
        await LoadClient.DisposeAllAsync();
        await AppProcess.DisposeAllAsync();
        if (Folder.IsValueCreated)
            TryDelete(Folder.Value);
    }

    /// <summary>
    /// Deletes the folders of runs whose process is gone: killed (a timeout, a cancelled run) before they could clean
    /// up. Also the publish-{process id} folders of runs from before there was one folder per run.
    /// </summary>
    public static void SweepRunsThatAreGone()
    {
        if (!Directory.Exists(Parent))
            return;
        foreach (var folder in Directory.EnumerateDirectories(Parent))
        {
            if (OwnerOf(Path.GetFileName(folder)) is { } owner && owner != Environment.ProcessId && !IsRunning(owner))
                TryDelete(folder);
        }
    }

    /// <summary>
    /// Deletes a folder and all it holds; returns whether it is gone. What cannot go yet (a file of a process still
    /// exiting) is tried again a little later, then left to the end of the run or the next run's sweep.
    /// </summary>
    public static bool TryDelete(string folder)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(folder))
                    Directory.Delete(folder, recursive: true);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 3)
                    return false;
                Thread.Sleep(100 * attempt);
            }
        }
    }

    private static string Create()
    {
        SweepRunsThatAreGone();
        var folder = Path.Combine(Parent, $"run-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static int? OwnerOf(string name)
    {
        foreach (var prefix in OwnedPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(name.AsSpan(prefix.Length), out var id))
                return id;
        }
        return null;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
