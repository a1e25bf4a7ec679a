using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>
/// Refuses (403) the Blazor connection (<c>/_blazor</c>: negotiate, the WebSocket upgrade and the other transports)
/// when the browser says it comes from another site: an Origin header that is neither this app's own origin
/// (the request's scheme, host and port) nor listed in <see cref="AccountOptions.AllowedOrigins"/>. Browsers always
/// send Origin on a WebSocket handshake, so a foreign page cannot open a circuit with the visitor's cookies.
/// </summary>
public static class SameOriginHandshake
{
    public static IApplicationBuilder UseSameOriginHandshake(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/_blazor"))
        {
            var allowed = context.RequestServices.GetRequiredService<IOptionsMonitor<AccountOptions>>().CurrentValue.AllowedOrigins;
            if (!IsAllowed(context.Request, allowed))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("Cross-origin requests to the chat connection are refused.");
                return;
            }
        }
        await next(context);
    });

    /// <summary>True without an Origin header (not a cross-site browser request), or with this app's own or a listed origin.</summary>
    public static bool IsAllowed(HttpRequest request, IEnumerable<string> allowedOrigins)
    {
        var values = request.Headers.Origin;
        if (values.Count == 0)
            return true;
        if (values.Count > 1 || !Uri.TryCreate(values[0], UriKind.Absolute, out var origin) || origin.AbsolutePath != "/")
            return false;
        if (SameOrigin(origin, request.Scheme, request.Host))
            return true;
        return allowedOrigins.Any(a => Uri.TryCreate(a, UriKind.Absolute, out var listed)
            && string.Equals(listed.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(listed.IdnHost, origin.IdnHost, StringComparison.OrdinalIgnoreCase)
            && listed.Port == origin.Port);
    }

    private static bool SameOrigin(Uri origin, string scheme, HostString host)
    {
        if (!host.HasValue || !string.Equals(origin.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var port = host.Port ?? (string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80);
        var hostName = host.Host.Trim('[', ']');
        return string.Equals(origin.IdnHost.Trim('[', ']'), hostName, StringComparison.OrdinalIgnoreCase) && origin.Port == port;
    }
}
