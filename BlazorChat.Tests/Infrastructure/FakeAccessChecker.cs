using System.Security.Claims;
using BlazorChat.Accounts;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// An access checker whose answers a test changes while people are connected, as an account store would: grant or
/// revoke a role, sign someone out. Whether <see cref="AccessChanged"/> is raised is the test's choice, so it can check
/// both paths: the next operation re-checks, and the change notice acts at once. The principal's role claims are
/// ignored on purpose: only the "account" counts.
/// </summary>
public sealed class FakeAccessChecker : IAccessChecker
{
    private readonly HashSet<string> _signedOut = new(StringComparer.Ordinal);
    private readonly HashSet<(string UserId, string Role)> _roles = [];

    public event Action<string>? AccessChanged;

    public int SubscriberCount => AccessChanged?.GetInvocationList().Length ?? 0;

    private int _signInChecks;

    /// <summary>How many times anything asked <see cref="IsStillSignedInAsync"/>: each is a database read in the app.</summary>
    public int SignInChecks => Volatile.Read(ref _signInChecks);

    public FakeAccessChecker Grant(string userId, string role)
    {
        SetRole(userId, role, holds: true, raise: false);
        return this;
    }

    public void Revoke(string userId, string role) => SetRole(userId, role, holds: false, raise: false);

    public void SignOut(string userId, bool raise = true)
    {
        lock (_signedOut)
            _signedOut.Add(userId);
        if (raise)
            Notify(userId);
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
            Notify(userId);
    }

    /// <summary>Raises <see cref="AccessChanged"/> for <paramref name="userId"/>, as an account store does after a change.</summary>
    public void Notify(string userId) => AccessChanged?.Invoke(userId);

    public void RaiseAccessChanged(string userId) => Notify(userId);

    private TaskCompletionSource? _holdNext;

    /// <summary>The next sign-in check waits until the returned source is completed: a slow account store.</summary>
    public TaskCompletionSource HoldNextCheck()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holdNext = hold;
        return hold;
    }

    public async ValueTask<bool> IsStillSignedInAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _signInChecks);
        if (Interlocked.Exchange(ref _holdNext, null) is { } hold)
            await hold.Task;
        lock (_signedOut)
            return user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && !_signedOut.Contains(id);
    }

    public ValueTask<bool> IsInRoleAsync(ClaimsPrincipal user, string role, CancellationToken cancellationToken = default)
    {
        lock (_roles)
            return ValueTask.FromResult(user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && _roles.Contains((id, role)));
    }
}
