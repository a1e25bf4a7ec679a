using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>An authentication state that never changes: the server-side identity a circuit would carry.</summary>
public sealed class FixedAuthenticationStateProvider(ClaimsPrincipal user) : AuthenticationStateProvider
{
    /// <summary>A signed-in guest whose NameIdentifier is <paramref name="userId"/>.</summary>
    public static FixedAuthenticationStateProvider ForUser(string userId) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "test")));

    /// <summary>An authenticated principal that has a name but no NameIdentifier claim.</summary>
    public static FixedAuthenticationStateProvider WithoutUserId() =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "nobody")], "test")));

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
}
