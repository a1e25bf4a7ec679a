namespace BlazorChat.Accounts;

/// <summary>
/// Security headers on every response. The content security policy is the strictest the app works under:
/// scripts only from this origin (no inline script: App.razor renders no import map), styles from this origin plus
/// inline styles (MudBlazor's components set style attributes, and its theme provider a <style> element of CSS variables), connections (the Blazor WebSocket) to this origin only,
/// no plugins, no framing, forms post only here.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    });
}
