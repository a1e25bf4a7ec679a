using Microsoft.AspNetCore.Identity;

namespace BlazorChat.Accounts;

/// <summary>Whether a person may sign in now, beyond their password (a ban): the reason they may not, or null.</summary>
public interface ISignInGate
{
    Task<string?> RefusalAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>The sign-in form's action: checks the password, lockout and the <see cref="ISignInGate"/>, then signs in.</summary>
public sealed class AccountSignIn(SignInManager<ChatAccount> signIn, ISignInGate? gate = null)
{
    public const string Missing = "Enter your user name (or email) and your password.";
    public const string NoMatch = "That user name and password do not match an account.";
    public const string LockedOut = "Too many failed attempts: this account is locked for a few minutes. Try again later.";

    /// <summary>Signs in (the cookie goes on the current response); returns why it was refused, or null when signed in.</summary>
    public async Task<string?> SignInAsync(string? userNameOrEmail, string? password)
    {
        var userName = (userNameOrEmail ?? string.Empty).Trim();
        if (userName.Length == 0 || string.IsNullOrEmpty(password))
            return Missing;
        // A refused account hears why only once its password is right: a ban is not told to whoever merely knows a name.
        if (gate is not null && await signIn.UserManager.FindByNameAsync(userName) is { } account
            && await gate.RefusalAsync(account.Id) is { } refusal)
        {
            var check = await signIn.CheckPasswordSignInAsync(account, password, lockoutOnFailure: true);
            return check.Succeeded ? refusal : Failed(check);
        }
        var result = await signIn.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded ? null : Failed(result);
    }

    private static string Failed(SignInResult result) => result.IsLockedOut ? LockedOut : NoMatch;
}
