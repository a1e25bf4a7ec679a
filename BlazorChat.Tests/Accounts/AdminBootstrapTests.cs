using BlazorChat.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Accounts;

/// <summary>The first administrator comes from configuration; without it, nothing is created and the log says how.</summary>
public sealed class AdminBootstrapTests
{
    private static Dictionary<string, string?> AdminSettings(string password = "Adm1n-secret!") => new()
    {
        ["Accounts:Admin:Email"] = "root@example.test",
        ["Accounts:Admin:Password"] = password,
        ["Accounts:Admin:DisplayName"] = "Root",
    };

    [Fact]
    public async Task WithoutConfiguration_CreatesNoAccount_AndWarnsWhichSettingToSet()
    {
        await using var accounts = await TestAccounts.CreateAsync();

        Assert.Equal(AdminBootstrapOutcome.NoAdmin, await accounts.BootstrapAsync());

        Assert.Equal(0, await accounts.WithUsersAsync(users => Task.FromResult(users.Users.Count())));
        var warning = Assert.Single(accounts.BootstrapLog.Warnings);
        Assert.Contains("Accounts__Admin__Email", warning);
        Assert.Contains("Accounts__Admin__Password", warning);
        await using var scope = accounts.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>().RoleExistsAsync("admin"));
    }

    [Fact]
    public async Task WithConfiguration_CreatesTheAdmin_WithAHashedPassword()
    {
        await using var accounts = await TestAccounts.CreateAsync(AdminSettings());

        Assert.Equal(AdminBootstrapOutcome.Created, await accounts.BootstrapAsync());

        await accounts.WithUsersAsync(async users =>
        {
            var root = await users.FindByEmailAsync("root@example.test");
            Assert.NotNull(root);
            Assert.Equal("Root", root.DisplayName);
            Assert.True(await users.IsInRoleAsync(root, "admin"));
            Assert.True(await users.CheckPasswordAsync(root, "Adm1n-secret!"));
            Assert.DoesNotContain("Adm1n-secret!", root.PasswordHash);
            return 0;
        });
        Assert.Empty(accounts.BootstrapLog.Warnings);
        // A second start changes nothing.
        Assert.Equal(AdminBootstrapOutcome.Granted, await accounts.BootstrapAsync());
        Assert.Equal(1, await accounts.WithUsersAsync(users => Task.FromResult(users.Users.Count())));
    }

    [Fact]
    public async Task WithConfiguration_ForAnExistingAccount_GrantsTheRole()
    {
        await using var accounts = await TestAccounts.CreateAsync(new Dictionary<string, string?> { ["Accounts:Admin:Email"] = "ada@example.test" });
        var ada = await accounts.RegisterAsync("Ada", "ada@example.test");

        Assert.Equal(AdminBootstrapOutcome.Granted, await accounts.BootstrapAsync());

        Assert.True(await accounts.WithUsersAsync(async users => await users.IsInRoleAsync((await users.FindByIdAsync(ada.Id))!, "admin")));
    }

    [Fact]
    public async Task WithAPasswordThatBreaksTheRules_CreatesNothing_AndSaysWhy()
    {
        await using var accounts = await TestAccounts.CreateAsync(AdminSettings(password: "short"));

        Assert.Equal(AdminBootstrapOutcome.NoAdmin, await accounts.BootstrapAsync());

        Assert.Equal(0, await accounts.WithUsersAsync(users => Task.FromResult(users.Users.Count())));
        Assert.Contains(accounts.BootstrapLog.Warnings, w => w.Contains("at least 8 characters", StringComparison.Ordinal));
        Assert.Contains(accounts.BootstrapLog.Warnings, w => w.Contains("Accounts__Admin__Email", StringComparison.Ordinal));
    }
}
