namespace BlazorChat.E2E.Infrastructure;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the nearest folder above the test assembly that holds BlazorChat.sln.</summary>
    public static string Root { get; } = FindRoot();

    public static string AppProject => Path.Combine(Root, "BlazorChat", "BlazorChat.csproj");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BlazorChat.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"BlazorChat.sln not found above {AppContext.BaseDirectory}");
    }
}
