using Microsoft.Playwright;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>
/// One Chromium per test run. This machine cannot download Playwright's browser build, so tests use the
/// system Chromium (Debian's package), or the one named by BLAZORCHAT_CHROMIUM; without either they fall
/// back to a browser Playwright installed itself.
/// </summary>
public static class Browsers
{
    private static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync);

    public static Task<IBrowser> GetAsync() => Shared.Value;

    private static async Task<IBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var path = Environment.GetEnvironmentVariable("BLAZORCHAT_CHROMIUM");
        if (string.IsNullOrEmpty(path) && File.Exists("/usr/bin/chromium"))
            path = "/usr/bin/chromium";
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = string.IsNullOrEmpty(path) ? null : path,
            Headless = true,
            // Without the networking flags Chromium keeps trying to reach the internet, which this machine refuses.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }
}
