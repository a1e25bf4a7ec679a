using System.Security.Claims;
using BlazorChat.Accounts;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>An access checker a test controls: who is signed in, who holds which role, and when to say it changed.</summary>
public sealed class FakeAccessChecker : IAccessChecker
{
    private readonly HashSet<string> _signedOut = new(StringComparer.Ordinal);
    private readonly HashSet<(string UserId, string Role)> _roles = [];

    public void SignOut(string userId, bool raise = true)
    {
        lock (_signedOut)
            _signedOut.Add(userId);
        if (raise)
            AccessChanged?.Invoke(userId);
    }

    public void SetRole(string userId, string role, bool holds, bool raise = true)
    {
        lock (_roles)
        {
            if (holds)
                _roles.Add((userId, role));
            else
                _roles.Remove((userId, role));
        }
        if (raise)
            AccessChanged?.Invoke(userId);
    }

    public ValueTask<bool> IsStillSignedInAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        lock (_signedOut)
            return ValueTask.FromResult(user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && !_signedOut.Contains(id));
    }

    public ValueTask<bool> IsInRoleAsync(ClaimsPrincipal user, string role, CancellationToken cancellationToken = default)
    {
        lock (_roles)
            return ValueTask.FromResult(user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && _roles.Contains((id, role)));
    }

    public event Action<string>? AccessChanged;

    public int SubscriberCount => AccessChanged?.GetInvocationList().Length ?? 0;
}
