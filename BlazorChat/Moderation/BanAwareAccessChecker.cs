using System.Security.Claims;
using BlazorChat.Accounts;

namespace BlazorChat.Moderation;

/// <summary>
/// The app's <see cref="IAccessChecker"/>: the accounts' answers, except that while a ban holds the person holds no role.
/// A banned admin is no admin: not on the operator's dashboard, the people page, the metrics scrape or the /admin
/// namespace, and not for moderating, where they could otherwise lift their own ban. Whether they are still signed in is
/// the accounts' answer: their tabs end with the ban's reason (ModerationService), not as a sign-out.
/// </summary>
/// <param name="accounts">What the accounts say (the person's sign-in and roles now).</param>
/// <param name="bans">Whether a ban holds for the person now (ModerationService, from this node's memory of the store).</param>
public sealed class BanAwareAccessChecker(IAccessChecker accounts, ISignInGate bans) : IAccessChecker
{
    public ValueTask<bool> IsStillSignedInAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default) =>
        accounts.IsStillSignedInAsync(user, cancellationToken);

    public async ValueTask<bool> IsInRoleAsync(ClaimsPrincipal user, string role, CancellationToken cancellationToken = default)
    {
        if (!await accounts.IsInRoleAsync(user, role, cancellationToken))
            return false;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return string.IsNullOrEmpty(userId) || await bans.RefusalAsync(userId, cancellationToken) is null;
    }

    public event Action<string>? AccessChanged
    {
        add => accounts.AccessChanged += value;
        remove => accounts.AccessChanged -= value;
    }

    public void RaiseAccessChanged(string userId) => accounts.RaiseAccessChanged(userId);
}
