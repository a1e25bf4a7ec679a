using BlazorChat.Chat;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>What start-up did about the first administrator.</summary>
public enum AdminBootstrapOutcome
{
    /// <summary>The configured account was created with the admin role.</summary>
    Created,

    /// <summary>The configured account existed; it holds the admin role now.</summary>
    Granted,

    /// <summary>Nothing configured, and an administrator exists already.</summary>
    AdminExists,

    /// <summary>No administrator exists and none is configured (or the configured one could not be made): a warning says how.</summary>
    NoAdmin,
}

/// <summary>
/// At start-up: makes sure the "admin" role exists, and makes the account named by <c>Accounts:Admin:Email</c> an
/// administrator (creating it with <c>Accounts:Admin:Password</c> when it does not exist). There is no default
/// password anywhere: without that configuration nothing is created, and the log says how to create one.
/// </summary>
public sealed partial class AdminBootstrap(
    UserManager<ChatAccount> users,
    RoleManager<IdentityRole> roles,
    AccountRegistration registration,
    IOptions<AccountOptions> options,
    ILogger<AdminBootstrap> logger)
{
    public const string HowToCreateAnAdmin =
        "No administrator exists. To create one, set Accounts:Admin:Email and Accounts:Admin:Password " +
        "(environment variables Accounts__Admin__Email and Accounts__Admin__Password; optionally Accounts:Admin:DisplayName / " +
        "Accounts__Admin__DisplayName) and restart: that account is created, or given the admin role if it exists. " +
        "An existing admin can also grant the role on /admin/people.";

    public static Task<AdminBootstrapOutcome> RunAsync(IServiceProvider services) =>
        RunInScopeAsync(services.CreateAsyncScope());

    private static async Task<AdminBootstrapOutcome> RunInScopeAsync(AsyncServiceScope scope)
    {
        await using (scope)
            return await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().EnsureAsync();
    }

    public async Task<AdminBootstrapOutcome> EnsureAsync()
    {
        if (!await roles.RoleExistsAsync(ChatHandlers.AdminRole))
            await roles.CreateAsync(new IdentityRole(ChatHandlers.AdminRole));

        var admin = options.Value.Admin;
        if (!string.IsNullOrWhiteSpace(admin.Email))
        {
            var outcome = await EnsureConfiguredAdminAsync(admin.Email.Trim(), admin.Password, admin.DisplayName);
            if (outcome is not null)
                return outcome.Value;
        }
        if ((await users.GetUsersInRoleAsync(ChatHandlers.AdminRole)).Count > 0)
            return AdminBootstrapOutcome.AdminExists;
        LogNoAdmin(HowToCreateAnAdmin);
        return AdminBootstrapOutcome.NoAdmin;
    }

    private async Task<AdminBootstrapOutcome?> EnsureConfiguredAdminAsync(string email, string? password, string? displayName)
    {
        var account = await users.FindByEmailAsync(email) ?? await users.FindByNameAsync(email);
        if (account is not null)
        {
            if (!await users.IsInRoleAsync(account, ChatHandlers.AdminRole))
                await users.AddToRoleAsync(account, ChatHandlers.AdminRole);
            LogGranted(account.Id);
            return AdminBootstrapOutcome.Granted;
        }
        if (string.IsNullOrEmpty(password))
        {
            LogCannotCreate(email, "Accounts:Admin:Password (Accounts__Admin__Password) is not set");
            return null;
        }
        var (created, errors) = await registration.RegisterAsync(
            string.IsNullOrWhiteSpace(displayName) ? "Admin" : displayName, email, password, password, ChatHandlers.AdminRole);
        if (created is null)
        {
            LogCannotCreate(email, string.Join(" ", errors));
            return null;
        }
        LogCreated(created.Id, email);
        return AdminBootstrapOutcome.Created;
    }

    [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "{HowTo}")]
    private partial void LogNoAdmin(string howTo);

    [LoggerMessage(EventId = 321, Level = LogLevel.Information, Message = "Created the administrator account {UserId} ({Email}) from configuration")]
    private partial void LogCreated(string userId, string email);

    [LoggerMessage(EventId = 322, Level = LogLevel.Information, Message = "Account {UserId} from Accounts:Admin:Email holds the admin role")]
    private partial void LogGranted(string userId);

    [LoggerMessage(EventId = 323, Level = LogLevel.Error, Message = "Could not create the administrator {Email} from configuration: {Reason}")]
    private partial void LogCannotCreate(string email, string reason);
}
