using System.Security.Claims;
using BlazorChat.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Accounts;

/// <summary>The checker answers from the store as it is now, not from the principal a circuit started with.</summary>
public sealed class IdentityAccessCheckerTests : IAsyncLifetime
{
    private TestAccounts _accounts = default!;

    public async Task InitializeAsync()
    {
        _accounts = await TestAccounts.CreateAsync();
        await _accounts.BootstrapAsync(); // creates the admin role
    }

    public Task DisposeAsync() => _accounts.DisposeAsync().AsTask();

    private IdentityAccessChecker Checker => _accounts.Checker;

    [Fact]
    public async Task SignedIn_WithTheStoredStamp_Holds()
    {
        var ada = await _accounts.RegisterAsync("Ada", "ada");

        Assert.True(await Checker.IsStillSignedInAsync(await _accounts.SignInPrincipalAsync(ada.Id)));
    }

    [Fact]
    public async Task AfterTheStampChanged_ASignInNoLongerHolds()
    {
        var ada = await _accounts.RegisterAsync("Ada", "ada");
        var signedIn = await _accounts.SignInPrincipalAsync(ada.Id);

        await _accounts.WithUsersAsync(async users => await users.UpdateSecurityStampAsync((await users.FindByIdAsync(ada.Id))!));

        Assert.False(await Checker.IsStillSignedInAsync(signedIn));
        Assert.False(await Checker.IsInRoleAsync(signedIn, "admin"));
    }

    [Fact]
    public async Task LockedOut_NoLongerHolds()
    {
        var ada = await _accounts.RegisterAsync("Ada", "ada");
        var signedIn = await _accounts.SignInPrincipalAsync(ada.Id);

        await _accounts.WithUsersAsync(async users =>
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(ada.Id))!, DateTimeOffset.UtcNow.AddMinutes(5)));

        Assert.False(await Checker.IsStillSignedInAsync(signedIn));
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheAccount_AndEndItsSignIn()
    {
        var ada = await _accounts.RegisterAsync("Ada", "ada");
        var signedIn = await _accounts.SignInPrincipalAsync(ada.Id);

        var lockedAfterFour = true;
        var lockedAfterFive = await _accounts.WithUsersAsync(async users =>
        {
            var account = (await users.FindByIdAsync(ada.Id))!;
            for (var i = 0; i < 4; i++)
                await users.AccessFailedAsync(account);
            lockedAfterFour = await users.IsLockedOutAsync(account);
            await users.AccessFailedAsync(account);
            return await users.IsLockedOutAsync(account);
        });

        Assert.False(lockedAfterFour);
        Assert.True(lockedAfterFive);

        Assert.False(await Checker.IsStillSignedInAsync(signedIn));
    }

    [Fact]
    public async Task DeletedAccount_NoLongerHolds()
    {
        var ada = await _accounts.RegisterAsync("Ada", "ada");
        var signedIn = await _accounts.SignInPrincipalAsync(ada.Id);

        await _accounts.WithUsersAsync(async users => await users.DeleteAsync((await users.FindByIdAsync(ada.Id))!));

        Assert.False(await Checker.IsStillSignedInAsync(signedIn));
    }

    [Fact]
    public async Task APrincipalWithoutAStamp_OrWithAForgedOne_DoesNotHold()
    {
        var ada = await _accounts.RegisterAsync("Ada", "ada");

        Assert.False(await Checker.IsStillSignedInAsync(TestChat.Principal(ada.Id, "admin")));
        var forged = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, ada.Id), new Claim("AspNet.Identity.SecurityStamp", "guessed")], "test"));
        Assert.False(await Checker.IsStillSignedInAsync(forged));
    }

    [Fact]
    public async Task Roles_AreReadFromTheStoreNow_NotFromTheClaims()
    {
        var ada = await _accounts.RegisterAsync("Ada", "ada");
        var signedInAsMember = await _accounts.SignInPrincipalAsync(ada.Id);

        await _accounts.WithUsersAsync(async users => await users.AddToRoleAsync((await users.FindByIdAsync(ada.Id))!, "admin"));
        Assert.True(await Checker.IsInRoleAsync(signedInAsMember, "admin"));

        var signedInAsAdmin = await _accounts.SignInPrincipalAsync(ada.Id);
        Assert.True(signedInAsAdmin.IsInRole("admin"));
        await _accounts.WithUsersAsync(async users => await users.RemoveFromRoleAsync((await users.FindByIdAsync(ada.Id))!, "admin"));

        Assert.False(await Checker.IsInRoleAsync(signedInAsAdmin, "admin"));
        // A role change is not a sign-out.
        Assert.True(await Checker.IsStillSignedInAsync(signedInAsAdmin));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Guests_HoldOnlyWhileGuestsAreAllowed(bool allowGuests)
    {
        var options = new FixedOptionsMonitor<AccountOptions>(new AccountOptions { AllowGuests = allowGuests });
        var checker = new IdentityAccessChecker(_accounts.Services.GetRequiredService<IServiceScopeFactory>(), options,
            _accounts.Services.GetRequiredService<IOptions<IdentityOptions>>(), NullLogger<IdentityAccessChecker>.Instance);
        var guest = TestChat.Principal("guest-1", GuestIdentity.GuestRole);

        Assert.Equal(allowGuests, await checker.IsStillSignedInAsync(guest));
        Assert.False(await checker.IsInRoleAsync(guest, "admin"));
    }

    [Fact]
    public void AccessChanged_ReachesEveryHandler_EvenWhenOneThrows()
    {
        var seen = new List<string>();
        Checker.AccessChanged += _ => throw new InvalidOperationException("broken circuit");
        Checker.AccessChanged += seen.Add;

        Checker.RaiseAccessChanged("user-1");

        Assert.Equal(["user-1"], seen);
    }
}
