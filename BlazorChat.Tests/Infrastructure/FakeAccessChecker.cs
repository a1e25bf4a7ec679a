using System.Collections.Concurrent;
using System.Security.Claims;
using BlazorChat.Accounts;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// An access checker whose answers a test changes while people are connected, as an account store would: grant or
/// revoke a role, sign someone out. It raises <see cref="AccessChanged"/> only when told to (<see cref="Notify"/>), so a
/// test can check both paths: the next operation re-checks, and the change notice disconnects at once.
/// </summary>
public sealed class FakeAccessChecker : IAccessChecker
{
    private readonly ConcurrentDictionary<(string UserId, string Role), bool> _roles = new();
    private readonly ConcurrentDictionary<string, bool> _signedOut = new(StringComparer.Ordinal);

    public event Action<string>? AccessChanged;

    public FakeAccessChecker Grant(string userId, string role)
    {
        _roles[(userId, role)] = true;
        return this;
    }

    public void Revoke(string userId, string role) => _roles.TryRemove((userId, role), out _);

    public void SignOut(string userId) => _signedOut[userId] = true;

    /// <summary>Raises <see cref="AccessChanged"/> for <paramref name="userId"/>, as an account store does after a change.</summary>
    public void Notify(string userId) => AccessChanged?.Invoke(userId);

    public int Subscribers => AccessChanged?.GetInvocationList().Length ?? 0;

    public ValueTask<bool> IsStillSignedInAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(UserIdOf(user) is { } id && !_signedOut.ContainsKey(id));

    // The principal's role claims are ignored on purpose: only the "account" counts.
    public ValueTask<bool> IsInRoleAsync(ClaimsPrincipal user, string role, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(UserIdOf(user) is { } id && _roles.ContainsKey((id, role)));

    private static string? UserIdOf(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);
}
