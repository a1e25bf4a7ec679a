using System.Net;
using BlazorChat.E2E.Infrastructure;

namespace BlazorChat.E2E.Tests;

/// <summary>The repository's top-level wwwroot is the app's web root, under `dotnet run` and after `dotnet publish`.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class StaticAssetTests(ChatServerFixture server)
{
    private static readonly string Stylesheet = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "wwwroot", "css", "app.css"));

    [Fact]
    public async Task ThePublishedApp_ServesTheTopLevelStylesheet()
    {
        await AssertServesStylesheetAsync(server.App.BaseUri);
        var published = await PublishedApp.GetFolderAsync();
        Assert.True(File.Exists(Path.Combine(published, "wwwroot", "css", "app.css")), "publish output lacks wwwroot/css/app.css");
    }

    [Fact]
    public async Task DotnetRun_ServesTheTopLevelStylesheet()
    {
        // The README's run command, against the build the test run already made.
        await using var app = await AppProcess.StartAsync("dotnet",
            ["run", "--project", RepositoryPaths.AppProject, "--no-build", "--no-launch-profile"],
            RepositoryPaths.Root, environment: new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Store__DatabasePath"] = PublishedApp.NewDatabasePath(),
            });
        await AssertServesStylesheetAsync(app.BaseUri);
    }

    private static async Task AssertServesStylesheetAsync(Uri baseUri)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        using var response = await http.GetAsync("css/app.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Stylesheet, await response.Content.ReadAsStringAsync());

        // The page links it (fingerprinted), so browsers really load it.
        var page = await http.GetStringAsync("/");
        Assert.Matches("""<link rel="stylesheet" href="css/app(\.[a-z0-9]+)?\.css" />""", page);
    }
}
