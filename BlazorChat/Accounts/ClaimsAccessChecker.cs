using System.Security.Claims;

namespace BlazorChat.Accounts;

/// <summary>
/// Answers from the principal's own claims: right for guests, whose whole identity is their cookie, and the
/// default until accounts are registered. It never changes its mind, so it never raises <see cref="AccessChanged"/>.
/// </summary>
public sealed class ClaimsAccessChecker : IAccessChecker
{
    public ValueTask<bool> IsStillSignedInAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(!string.IsNullOrEmpty(user.FindFirstValue(ClaimTypes.NameIdentifier)));

    public ValueTask<bool> IsInRoleAsync(ClaimsPrincipal user, string role, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(user.IsInRole(role));

    public event Action<string>? AccessChanged
    {
        add { }
        remove { }
    }

    /// <summary>Claims never change: nobody to tell.</summary>
    public void RaiseAccessChanged(string userId)
    {
    }
}
