using System.Security.Claims;

namespace BlazorChat.Accounts;

/// <summary>
/// The seam every chat operation asks, at the moment of the operation, what a person may still do. A circuit
/// keeps the principal it was opened with for hours; these answers come from the account as it is now, so a
/// sign-out or a revoked role takes effect on the next action, without a restart.
/// </summary>
public interface IAccessChecker
{
    /// <summary>Whether <paramref name="user"/>'s sign-in still holds (not signed out, deleted or locked out since).</summary>
    ValueTask<bool> IsStillSignedInAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default);

    /// <summary>Whether the person holds <paramref name="role"/> now: read from their account, not from the principal's claims.</summary>
    ValueTask<bool> IsInRoleAsync(ClaimsPrincipal user, string role, CancellationToken cancellationToken = default);

    /// <summary>Raised with a user id after that person's sign-in or roles changed (signed out, role granted or revoked).</summary>
    /// <remarks>Listen through <see cref="SubscribeAccessChanged"/>, whose subscription removes the handler when disposed.</remarks>
    event Action<string>? AccessChanged;

    /// <summary>
    /// Raises <see cref="AccessChanged"/> for <paramref name="userId"/> on this node: what changed the account here does,
    /// and what a change made on another node of a cluster does when it arrives (<c>AccessGuard</c> relays it).
    /// </summary>
    void RaiseAccessChanged(string userId);

    /// <summary>Calls <paramref name="handler"/> on every <see cref="AccessChanged"/> until the subscription is disposed.</summary>
    IDisposable SubscribeAccessChanged(Action<string> handler) => new AccessChangedSubscription(this, handler);
}
