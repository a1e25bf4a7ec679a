using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace BlazorChat.Components.Theme;

/// <summary>
/// BlazorChat's theme as one stylesheet for every page and tab: MudBlazor's own CSS for <see cref="ChatTheme.Theme"/>,
/// rendered once per process by <see cref="MudThemeProvider"/> (light and dark) and served at <see cref="Path"/>.
/// <para>
/// A <see cref="MudThemeProvider"/> in each circuit rendered the same 12,000-character style element into every tab's
/// render tree (29 KiB of each idle circuit, measured with a heap dump of 300) and kept 150 colour objects and a
/// prefers-color-scheme listener per tab. Here light is the default, and dark applies when the page's marker
/// (<see cref="ChatThemeProvider"/>, <c>#chat-theme[data-theme]</c>) says "dark", or says "system" and the browser
/// prefers dark: live, before any script runs, and with no circuit at all.
/// </para>
/// </summary>
public sealed partial class ThemeStylesheet(IServiceProvider services, ILoggerFactory loggers) : IHostedService
{
    public const string Path = "/css/theme.css";

    private const string Marker = "#chat-theme";

    /// <summary>The stylesheet; empty until the host has started.</summary>
    public string Css { get; private set; } = "";

    /// <summary>Where pages link it: <see cref="Path"/> with a version that changes whenever the CSS does.</summary>
    public string Href { get; private set; } = Path.TrimStart('/');

    /// <summary>Rendered while the host starts, before the server takes its first request.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        var light = await RenderAsync(renderer, dark: false);
        var dark = await RenderAsync(renderer, dark: true);
        Css = Compose(light, dark);
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))[..12];
        Href = $"{Path.TrimStart('/')}?v={version}";
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The stylesheet from what MudThemeProvider renders in light and in dark: their rules other than the palette's
    /// <c>:root</c> block (scrollbars, charts) once, light's <c>:root</c> as the default, dark's for the dark choice and
    /// for "system" when the browser prefers dark.
    /// </summary>
    public static string Compose(string lightHtml, string darkHtml)
    {
        var (shared, lightRoot) = Split(lightHtml);
        var (_, darkRoot) = Split(darkHtml);
        var css = new StringBuilder(shared.Length + lightRoot.Length + 2 * darkRoot.Length + 256);
        css.AppendLine("/* BlazorChat's theme: MudBlazor's CSS for ChatTheme, light and dark (ThemeStylesheet.cs). */");
        css.Append(shared).AppendLine();
        css.Append(":root{").Append(lightRoot).AppendLine("}");
        css.Append($":root:has({Marker}[data-theme=dark]){{").Append(darkRoot).AppendLine("}");
        css.AppendLine("@media (prefers-color-scheme: dark) {");
        css.Append($":root:not(:has({Marker}[data-theme=light])){{").Append(darkRoot).AppendLine("}");
        css.AppendLine("}");
        return css.ToString();
    }

    // The style elements' text: the palette's ":root{...}" body apart, everything else as it is.
    private static (string Shared, string Root) Split(string html)
    {
        var shared = new StringBuilder();
        string? root = null;
        foreach (Match style in StyleElement().Matches(html))
        {
            var text = System.Net.WebUtility.HtmlDecode(style.Groups["css"].Value);
            if (RootBlock().Match(text) is { Success: true } block)
            {
                root = block.Groups["body"].Value;
                text = text.Remove(block.Index, block.Length);
            }
            shared.Append(text.Trim()).AppendLine();
        }
        return (shared.ToString(), root ?? throw new InvalidOperationException("MudThemeProvider rendered no :root block."));
    }

    private static Task<string> RenderAsync(HtmlRenderer renderer, bool dark) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = ChatTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
            });
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return output.ToHtmlString();
        });

    /// <summary>Serves the stylesheet; a versioned address is cached for a year (the version changes with the CSS).</summary>
    public static void MapThemeStylesheet(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path, (HttpContext context, ThemeStylesheet theme) =>
        {
            context.Response.Headers.CacheControl = context.Request.Query.ContainsKey("v")
                ? "public, max-age=31536000, immutable"
                : "no-cache";
            return Results.Text(theme.Css, "text/css; charset=utf-8");
        });

    [GeneratedRegex(@"<style[^>]*>(?<css>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [GeneratedRegex(@":root\s*\{(?<body>[^{}]*)\}", RegexOptions.Singleline)]
    private static partial Regex RootBlock();
}
