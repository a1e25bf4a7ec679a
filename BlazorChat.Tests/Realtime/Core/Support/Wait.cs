namespace BlazorChat.Tests.Realtime.Core.Support;

/// <summary>
/// Bounded waits for work that finishes on background pumps. A test waits on a signal (a task completed by
/// the pump), never on a sleep; the timeout only decides how long a failing test takes to say so.
/// </summary>
public static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task ForAsync(Task task, string what)
    {
        try
        {
            await task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {Timeout.TotalSeconds:0}s for {what}.");
        }
    }

    public static async Task<T> ForAsync<T>(Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {Timeout.TotalSeconds:0}s for {what}.");
        }
    }

    /// <summary>Polls a condition that has no signal of its own (for example a registry snapshot).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Waited {Timeout.TotalSeconds:0}s for {what}.");
            await Task.Delay(10);
        }
    }
}
