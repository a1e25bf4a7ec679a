using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using BlazorChat.Accounts;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace BlazorChat.Session;

/// <summary>
/// Gives every browser a server-issued guest identity (a random id in an HttpOnly session cookie) on its
/// first page request. Tabs of one browser share it, so presence is per person, not per tab; and a
/// message's sender is always this id, never something a client sent. A signed-in account takes precedence
/// (see AccountsSetup); with <c>Accounts:AllowGuests</c> off no guest cookie is issued at all.
/// </summary>
public static class GuestIdentity
{
    public const string GuestRole = "guest";

    /// <summary>The guest cookie's authentication scheme.</summary>
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>
    /// Endpoint metadata for what machines ask (health checks, metrics scrapes): no guest identity is made for them. A
    /// front door that asks every second would otherwise mint and sign a new guest cookie every second.
    /// </summary>
    public static readonly object NotForPeople = new NotForPeopleMetadata();

    public static IApplicationBuilder UseGuestIdentity(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.User.Identity?.IsAuthenticated != true && IsPageRequest(context.Request)
            && context.RequestServices.GetRequiredService<IOptionsMonitor<AccountOptions>>().CurrentValue.AllowGuests)
        {
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, $"guest-{Guid.NewGuid():N}"), new Claim(ClaimTypes.Role, GuestRole)],
                Scheme);
            var principal = new ClaimsPrincipal(identity);
            // A session cookie: the guest lasts as long as this browser session.
            await context.SignInAsync(Scheme, principal,
                new AuthenticationProperties { IsPersistent = false });
            context.User = principal;
        }
        await next(context);
    });

    // HEAD too: it must answer what GET answers (the chat page, 200), and without an identity the page would redirect.
    private static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<NotForPeopleMetadata>() is null
        && !request.Path.StartsWithSegments("/_blazor")
        && !request.Path.StartsWithSegments("/_framework")
        && !request.Path.StartsWithSegments("/_content")
        && !Path.HasExtension(request.Path.Value);

    private sealed class NotForPeopleMetadata;
}
