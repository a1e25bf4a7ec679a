using BlazorChat.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Accounts;

/// <summary>
/// The sign-in form's action on real Identity stores, with the moderation service as its gate: a banned account is
/// refused with the ban's reason (once its password is right) and gets no cookie; unbanned, it signs in.
/// </summary>
public sealed class AccountSignInTests : IAsyncLifetime
{
    private const string Root = "user-root";
    private const string Password = "Corr3ct-horse!";
    private TestAccounts _accounts = default!;
    private readonly TestChat _chat = new(access: new FakeAccessChecker().Grant(Root, ChatHandlers.AdminRole));

    public async Task InitializeAsync() => _accounts = await TestAccounts.CreateAsync();

    public async Task DisposeAsync()
    {
        await _accounts.DisposeAsync();
        await _chat.DisposeAsync();
    }

    // One request's sign-in: the cookie, when there is one, goes on its response.
    private async Task<(string? Refusal, bool Cookie)> SignInAsync(string userName, string password)
    {
        await using var scope = _accounts.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<ChatAccount>>();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        signIn.Context = context;
        var refusal = await new AccountSignIn(signIn, _chat.Moderation).SignInAsync(userName, password);
        return (refusal, context.Response.Headers.SetCookie.Count > 0);
    }

    [Fact]
    public async Task ABannedAccount_IsRefusedWithTheReason_AndNoCookie_UntilUnbanned()
    {
        var bob = await _accounts.RegisterAsync("Bob", "bob", Password);
        Assert.Equal((null, true), await SignInAsync("bob", Password));

        await _chat.Moderation!.BanAsync(TestChat.Principal(Root), bob.Id, null, "spam");

        Assert.Equal(("You are banned: spam You may not sign in while it holds.", false), await SignInAsync("bob", Password));
        // A wrong password learns nothing of the ban.
        Assert.Equal((AccountSignIn.NoMatch, false), await SignInAsync("bob", "Wr0ng-horse!"));

        await _chat.Moderation.UnbanAsync(TestChat.Principal(Root), bob.Id);

        Assert.Equal((null, true), await SignInAsync("bob", Password));
    }
}
