namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// The README's pictures: two people's browsers side by side, in the light and the dark theme. Written to docs/ when
/// BLAZORCHAT_DOCS_SCREENSHOTS=1, otherwise to the test output folder, so every run still exercises it.
/// </summary>
internal static class DocsScreenshot
{
    public const string FileName = "two-people-chatting.png";

    public const string DarkFileName = "two-people-chatting-dark.png";

    public static async Task SaveAsync(ChatUser left, ChatUser right)
    {
        var folder = Environment.GetEnvironmentVariable("BLAZORCHAT_DOCS_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryPaths.Root, "docs")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await ComposeAsync(left, right, Path.Combine(folder, FileName));

        // The browsers now prefer dark: the pages follow (the theme stylesheet follows prefers-color-scheme).
        foreach (var page in new[] { left.Page, right.Page })
        {
            await page.EmulateMediaAsync(new() { ColorScheme = Microsoft.Playwright.ColorScheme.Dark });
            await page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor === 'rgb(18, 18, 24)'");
        }
        await ComposeAsync(left, right, Path.Combine(folder, DarkFileName));
        foreach (var page in new[] { left.Page, right.Page })
            await page.EmulateMediaAsync(new() { ColorScheme = Microsoft.Playwright.ColorScheme.Light });
    }

    private static async Task ComposeAsync(ChatUser left, ChatUser right, string path)
    {
        var leftShot = Convert.ToBase64String(await left.Page.ScreenshotAsync());
        var rightShot = Convert.ToBase64String(await right.Page.ScreenshotAsync());

        // Compose both browsers into one image with the browser itself: no image tools needed.
        var canvas = await left.Context.NewPageAsync();
        await canvas.SetViewportSizeAsync(1100 * 2 + 60, 700 + 70);
        await canvas.SetContentAsync($"""
            <body style="margin:0;padding:20px;background:#d9dce6;font:600 16px sans-serif;display:flex;gap:20px">
              <figure style="margin:0"><figcaption style="margin-bottom:8px">{left.Name}'s browser</figcaption>
                <img style="display:block;box-shadow:0 2px 10px #0004" src="data:image/png;base64,{leftShot}"></figure>
              <figure style="margin:0"><figcaption style="margin-bottom:8px">{right.Name}'s browser</figcaption>
                <img style="display:block;box-shadow:0 2px 10px #0004" src="data:image/png;base64,{rightShot}"></figure>
            </body>
            """);
        await canvas.ScreenshotAsync(new() { Path = path, FullPage = true });
        await canvas.CloseAsync();
    }
}
