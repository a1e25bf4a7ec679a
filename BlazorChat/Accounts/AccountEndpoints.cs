using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace BlazorChat.Accounts;

/// <summary>The one account action that is not a page: sign-out, a POST with the antiforgery token (never a GET link).</summary>
public static partial class AccountEndpoints
{
    public const string SignOutPath = "/account/signout";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(SignOutPath, async (HttpContext context, IAntiforgery antiforgery, SignInManager<ChatAccount> signIn,
            IdentityAccessChecker access, ILoggerFactory loggers) =>
        {
            // Checked here, explicitly: a sign-out without this page's antiforgery token is refused and changes nothing.
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.BadRequest("A valid antiforgery token was not provided: nothing was done.");
            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (userId is not null && !IdentityAccessChecker.IsGuest(context.User)
                && await signIn.UserManager.FindByIdAsync(userId) is { } account)
            {
                // A new security stamp ends this person's sign-in everywhere: other tabs, browsers and devices
                // fail the stamp check on their next action, and AccessChanged tells open tabs at once.
                await signIn.UserManager.UpdateSecurityStampAsync(account);
                access.RaiseAccessChanged(userId);
                LogSignedOut(loggers.CreateLogger("BlazorChat.Accounts"), userId);
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/signin?signedOut=true");
        });

    [LoggerMessage(EventId = 340, Level = LogLevel.Information, Message = "Account {UserId} signed out everywhere")]
    private static partial void LogSignedOut(ILogger logger, string userId);
}
