using BlazorChat.Accounts;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;
using BlazorChat.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Chat;

/// <summary>"Chat:RateLimits" as the app's own wiring reads it: on by default, configurable, and refused when it cannot work.</summary>
public sealed class RateLimitConfigurationTests : IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Store:DatabasePath"] = _folder.DatabasePath,
            ["Accounts:DatabasePath"] = Path.Combine(_folder.Folder, "accounts.db"),
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task ByDefault_TheAppsHandlersAreLimited_TenMessagesInABurst()
    {
        await using var app = StoreConfigurationTests.BuildApp(Settings());

        var limiter = app.Services.GetRequiredService<ChatRateLimiter>();

        Assert.True(limiter.Enabled);
        Assert.All(Enumerable.Range(0, 10), _ => Assert.Null(limiter.TryAcquire(RateLimitKind.Messages, "user-ann")));
        Assert.NotNull(limiter.TryAcquire(RateLimitKind.Messages, "user-ann"));
    }

    [Fact]
    public async Task Configuration_SetsEachBucket_AndCanTurnThemOff()
    {
        await using var app = StoreConfigurationTests.BuildApp(Settings(
            ("Chat:RateLimits:Messages:Permits", "3"), ("Chat:RateLimits:Messages:Period", "00:00:06"), ("Chat:RateLimits:Messages:Burst", "2")));
        await using var off = StoreConfigurationTests.BuildApp(Settings(("Chat:RateLimits:Enabled", "false")));

        var messages = app.Services.GetRequiredService<IOptions<ChatOptions>>().Value.RateLimits.Messages;
        Assert.Equal((3, TimeSpan.FromSeconds(6), 2), (messages.Permits, messages.Period, messages.Burst));
        Assert.False(off.Services.GetRequiredService<ChatRateLimiter>().Enabled);
    }

    [Fact]
    public async Task BadSettings_StopTheStart_NamingTheSetting()
    {
        await using var app = StoreConfigurationTests.BuildApp(Settings(("Chat:RateLimits:Typing:Burst", "0")));

        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Chat:RateLimits:Typing:Burst must be at least 1; it is 0.", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppsPrivateRooms_TakeTheirTokensFromTheAppsLimiter()
    {
        await using var app = StoreConfigurationTests.BuildApp(Settings(
            ("Chat:RateLimits:PrivateRooms:Permits", "1"), ("Chat:RateLimits:PrivateRooms:Period", "01:00:00"),
            ("Chat:RateLimits:PrivateRooms:Burst", "1")));
        app.Services.GetRequiredService<ChatHandlers>().Configure();
        var server = app.Services.GetRequiredService<ChatServer>();
        var request = new ConnectRequest("c.ann", TestChat.Principal("guest-ann", GuestIdentity.GuestRole), "guest-ann", "Ann");
        var events = new EventRecorder();
        var ann = new TestTab(await server.ConnectAsync(ChatServer.MainNamespace, request, events.DeliverAsync), events);

        Assert.IsType<PrivateRoomUpdated>(await ann.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("plans")));
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(
            () => ann.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("more-plans")));

        Assert.StartsWith("Slow down: you can create a private room", refused.Message, StringComparison.Ordinal);
        // The one bucket the app's limiter keeps for her: the handler's create took its only token.
        Assert.NotNull(app.Services.GetRequiredService<ChatRateLimiter>().TryAcquire(RateLimitKind.PrivateRooms, "guest-ann"));
    }
}
