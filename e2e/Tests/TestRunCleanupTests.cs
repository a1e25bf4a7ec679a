using System.Diagnostics;
using BlazorChat.E2E.Infrastructure;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// A run leaves nothing in the temp folder: an app's own database goes with the app, an app that fails to start takes
/// its data with it, and a run killed before it could clean up is swept by the next. (The run's own folder, with the
/// published app, goes at the end of the run: see <see cref="RunFolder.EndRunAsync"/>.)
/// </summary>
public sealed class TestRunCleanupTests
{
    [Fact]
    public async Task AnAppWithADatabaseOfItsOwn_DeletesItsFolderWhenDisposed()
    {
        var app = await PublishedApp.StartAsync();
        var folder = Assert.IsType<string>(app.DataFolder);
        Assert.True(Directory.Exists(folder), "the app made its database folder");

        await app.DisposeAsync();

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task AnAppThatFailsToStart_IsStoppedAndItsDataFolderDeleted()
    {
        var folder = Path.Combine(RunFolder.Current, "db", $"{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "chat.db"), "");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            AppProcess.StartAsync("sh", ["-c", "exit 3"], RunFolder.Current, dataFolder: folder));

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void TheFolderOfARunWhoseProcessIsGone_IsSwept_ThatOfARunningOneIsNot()
    {
        using var running = Process.Start("sleep", "60");
        var gone = RunFolderOf(ExitedProcessId());
        var alive = RunFolderOf(running.Id);
        try
        {
            RunFolder.SweepRunsThatAreGone();

            Assert.False(Directory.Exists(gone));
            Assert.True(Directory.Exists(alive));
            Assert.True(Directory.Exists(RunFolder.Current));
        }
        finally
        {
            running.Kill();
            RunFolder.TryDelete(alive);
        }
    }

    // A run's folder as a run leaves it: the published app and a database in it.
    private static string RunFolderOf(int processId)
    {
        var folder = Path.Combine(RunFolder.Parent, $"run-{processId}");
        Directory.CreateDirectory(Path.Combine(folder, "publish"));
        Directory.CreateDirectory(Path.Combine(folder, "db", "0"));
        File.WriteAllText(Path.Combine(folder, "db", "0", "chat.db"), "");
        return folder;
    }

    private static int ExitedProcessId()
    {
        using var process = Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }
}
