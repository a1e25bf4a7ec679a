using System.Security.Claims;
using BlazorChat.Accounts;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>Registered accounts by user id, in memory: a session test's stand-in for the Identity store.</summary>
public sealed class FakeAccountDirectory : IAccountDirectory
{
    private readonly Dictionary<string, (string DisplayName, string[] Roles)> _accounts = new(StringComparer.Ordinal);

    public void Add(string userId, string displayName, params string[] roles) => _accounts[userId] = (displayName, roles);

    public ValueTask<AccountIdentity?> FindAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && _accounts.TryGetValue(id, out var a)
            ? new AccountIdentity(id, a.DisplayName, TestChat.Principal(id, a.Roles))
            : null);

    public ValueTask<bool> IsRegisteredNameAsync(string displayName, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_accounts.Values.Any(a => string.Equals(a.DisplayName, displayName, StringComparison.OrdinalIgnoreCase)));

    public ValueTask<Person?> FindPersonAsync(string userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_accounts.TryGetValue(userId, out var a) ? new Person(userId, a.DisplayName) : null);

    public ValueTask<IReadOnlyList<Person>> SearchAsync(string text, int limit, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Person>>([.. _accounts
            .Where(a => a.Value.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(a => a.Value.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Take(limit)
            .Select(a => new Person(a.Key, a.Value.DisplayName))]);
}
