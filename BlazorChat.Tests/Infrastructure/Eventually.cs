namespace BlazorChat.Tests.Infrastructure;

/// <summary>Waits for what becomes true on its own, off the page's renders (a background write to the store).</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails after the usual wait.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + EventRecorder.Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            await Task.Delay(20);
        }
    }
}
