using BlazorChat.Accounts;
using BlazorChat.Moderation;
using BlazorChat.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Moderation;

/// <summary>The app's own wiring: every check of a role goes through the bans, and moderation still resolves (no cycle).</summary>
public sealed class BanWiringTests : IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task TheAppsAccessChecker_AsksTheBans_AndModerationAsksTheAccountsAlone()
    {
        await using var app = StoreConfigurationTests.BuildApp(new()
        {
            ["Store:DatabasePath"] = _folder.DatabasePath,
            ["Accounts:DatabasePath"] = Path.Combine(_folder.Folder, "accounts.db"),
        });

        Assert.IsType<BanAwareAccessChecker>(app.Services.GetRequiredService<IAccessChecker>());
        Assert.Same(app.Services.GetRequiredService<ModerationService>(), app.Services.GetRequiredService<ISignInGate>());
    }
}
