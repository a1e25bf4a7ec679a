namespace BlazorChat.E2E.Infrastructure;

/// <summary>Display names are unique among people online, and tests share one server: give each a suffix.</summary>
internal static class Names
{
    private static int _next;

    public static string Unique(string name) => $"{name}{Interlocked.Increment(ref _next)}";
}
