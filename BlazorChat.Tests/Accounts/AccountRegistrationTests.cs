namespace BlazorChat.Tests.Accounts;

/// <summary>Registration: the chat's display-name rule, Identity's password rules, one display name per account ignoring case.</summary>
public sealed class AccountRegistrationTests : IAsyncLifetime
{
    private TestAccounts _accounts = default!;

    public async Task InitializeAsync() => _accounts = await TestAccounts.CreateAsync();

    public Task DisposeAsync() => _accounts.DisposeAsync().AsTask();

    private Task<int> CountAsync() => _accounts.WithUsersAsync(users => Task.FromResult(users.Users.Count()));

    [Fact]
    public async Task Register_StoresAHashedPassword_AndTheNormalisedName()
    {
        var ada = await _accounts.RegisterAsync("  Ada  ", "ada");

        Assert.Equal("Ada", ada.DisplayName);
        Assert.Equal("ADA", ada.NormalizedDisplayName);
        Assert.DoesNotContain("Corr3ct-horse!", ada.PasswordHash);
    }

    [Theory]
    [InlineData("ADA")]
    [InlineData("ada")]
    [InlineData(" aDa ")]
    public async Task Register_ADisplayNameTakenIgnoringCase_IsRefused_AndNothingIsStored(string name)
    {
        await _accounts.RegisterAsync("Ada", "ada");

        var errors = await _accounts.RegisterErrorsAsync(name, "someone-else");

        Assert.Equal([BlazorChat.Accounts.AccountRegistration.DisplayNameTaken], errors);
        Assert.Equal(1, await CountAsync());
    }

    [Theory]
    [InlineData("", "ada", "Corr3ct-horse!")]
    [InlineData("line\nbreak", "ada", "Corr3ct-horse!")]
    [InlineData("Ada", "", "Corr3ct-horse!")]
    [InlineData("Ada", "not an@email", "Corr3ct-horse!")]
    [InlineData("Ada", "ada", "Sh0rt!")]
    [InlineData("Ada", "ada", "alllowercase-1")]
    [InlineData("Ada", "ada", "NoDigitsHere!")]
    public async Task Register_BadInput_IsRefusedWithAReason_AndNothingIsStored(string displayName, string userName, string password)
    {
        var errors = await _accounts.RegisterErrorsAsync(displayName, userName, password);

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e)));
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Register_ATakenUserName_IsRefused()
    {
        await _accounts.RegisterAsync("Ada", "ada");

        Assert.NotEmpty(await _accounts.RegisterErrorsAsync("Ada Two", "ADA"));
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task Register_MismatchedConfirmation_IsRefused()
    {
        await using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(_accounts.Services);
        var registration = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<BlazorChat.Accounts.AccountRegistration>(scope.ServiceProvider);

        var (account, errors) = await registration.RegisterAsync("Ada", "ada", "Corr3ct-horse!", "Corr3ct-horse?");

        Assert.Null(account);
        Assert.Contains(errors, e => e.Contains("do not match", StringComparison.Ordinal));
        Assert.Equal(0, await CountAsync());
    }
}
