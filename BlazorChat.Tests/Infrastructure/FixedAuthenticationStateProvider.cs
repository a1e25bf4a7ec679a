using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>An authentication state that never changes: the server-side identity a circuit would carry.</summary>
public sealed class FixedAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
{
    /// <summary>A signed-in user whose NameIdentifier is <paramref name="userId"/>, with the given roles.</summary>
    public static FixedAuthenticationStateProvider ForUser(string userId, params string[] roles) => new(TestChat.Principal(userId, roles));

    /// <summary>An authenticated principal that has a name but no NameIdentifier claim.</summary>
    public static FixedAuthenticationStateProvider WithoutUserId() =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "nobody")], "test")));

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
}
