using BlazorChat.Moderation;
using BlazorChat.Session;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>
/// Wires accounts and access into the app: Identity on its own SQLite file (one node) or in the cluster's PostgreSQL
/// database (<c>Store:Provider=Postgres</c>: every node sees every account), the cookies, and the access checks.
/// </summary>
public static class AccountsSetup
{
    /// <summary>Picks the account cookie when the browser has one, else the guest cookie.</summary>
    public const string Scheme = "BlazorChat";

    public const string AccountCookie = "blazorchat.account";

    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(AccountOptions.Section);
        services.Configure<AccountOptions>(section);
        services.AddAccountsDatabase(builder.Configuration, builder.Environment.ContentRootPath);

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = Scheme;
                options.DefaultChallengeScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(Scheme, "Account or guest", options => options.ForwardDefaultSelector = context =>
                context.Request.Cookies.ContainsKey(AccountCookie) ? IdentityConstants.ApplicationScheme : GuestIdentity.Scheme)
            .AddCookie(GuestIdentity.Scheme, options =>
            {
                options.Cookie.Name = "blazorchat.id";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Events.OnValidatePrincipal = RejectGuestsWhenSwitchedOffAsync;
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie!.Configure(options =>
            {
                options.Cookie.Name = AccountCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/account/signin";
                options.AccessDeniedPath = "/account/signin";
            }));
        // Every request checks the cookie's security stamp against the store: a sign-out elsewhere ends it at once.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);

        services.AddIdentityCore<ChatAccount>(options =>
            {
                options.Password.RequiredLength = 8; // and Identity's defaults: a digit, a lower- and upper-case letter, a symbol
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false; // one field takes a user name or an email address
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AccountsDbContext>()
            .AddSignInManager();

        services.AddSingleton<IdentityAccessChecker>();
        // Every operation's check: the account now, and no role while a ban holds (BanAwareAccessChecker). The bans are
        // ModerationService's, which itself asks the accounts alone (and checks the actor's ban itself): no cycle.
        services.AddSingleton<IAccessChecker>(sp => new BanAwareAccessChecker(
            sp.GetRequiredService<IdentityAccessChecker>(), sp.GetRequiredService<ISignInGate>()));
        services.AddSingleton<IAccountDirectory, AccountDirectory>();
        services.AddSingleton<AccountAdministration>();
        services.AddScoped<AccountRegistration>();
        services.AddScoped<AccountSignIn>();
        services.AddScoped<AdminBootstrap>();
        services.AddHostedService<AccountsStartup>();
    }

    private static Task RejectGuestsWhenSwitchedOffAsync(CookieValidatePrincipalContext context)
    {
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<AccountOptions>>().CurrentValue;
        if (!options.AllowGuests)
        {
            context.RejectPrincipal();
            return context.HttpContext.SignOutAsync(GuestIdentity.Scheme);
        }
        return Task.CompletedTask;
    }

    /// <summary>Creates the accounts database and the first administrator before the app serves anything.</summary>
    private sealed class AccountsStartup(IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await AccountsDatabase.EnsureCreatedAsync(services, cancellationToken);
            await AdminBootstrap.RunAsync(services);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
