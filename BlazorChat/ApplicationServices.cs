using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Persistence;
using BlazorChat.Persistence.Sqlite;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;
using BlazorChat.Session;
using Microsoft.AspNetCore.Components.Server.Circuits;
using BlazorChat.Components.Theme;
using MudBlazor.Services;

namespace BlazorChat;

public static partial class ApplicationServices
{
    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddScoped<ThemeState>();

        // Identity (accounts, roles) on its own SQLite file, the account and guest cookies, and the access checks.
        builder.AddAccounts();
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();

        // What all circuits share is a singleton; what belongs to one tab is scoped to its circuit.
        services.AddSingleton(TimeProvider.System);
        services.Configure<ChatOptions>(builder.Configuration.GetSection(ChatOptions.Section));
        services.AddInMemoryChatServer();
        services.Configure<StoreOptions>(builder.Configuration.GetSection(StoreOptions.Section));
        services.AddSingleton<IMessageStore, SqliteMessageStore>();
        services.AddSingleton<SequencedPublisher>();
        services.AddSingleton<ChatHandlers>();
        services.AddSingleton<DisplayNames>();
        services.AddScoped<ChatSession>();
        services.AddScoped<CircuitHandler, ChatCircuitHandler>();
        AddAccessAndRooms(services);
    }

    // ---- Part B (access and private rooms): authorization at every operation, persisted room membership. ----
    private static void AddAccessAndRooms(IServiceCollection services)
    {
        services.AddSingleton<AccessGuard>();
        // Room membership lives in the message store's SQLite file and writes through its single writer.
        services.AddSingleton<IRoomStore>(sp => new SqliteRoomStore((SqliteMessageStore)sp.GetRequiredService<IMessageStore>()));
        services.AddSingleton<PrivateRooms>();
    }

    public static void UseApplicationPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);

        app.UseSecurityHeaders();
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseSameOriginHandshake();
        app.UseAuthentication();
        app.UseGuestIdentity();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.Services.GetRequiredService<ChatHandlers>().Configure();
        app.MapStaticAssets();
        app.MapAccountEndpoints();

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BlazorChat");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
                LogReady(logger, url);
        });
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "BlazorChat is ready: open {Url} in a browser")]
    private static partial void LogReady(ILogger logger, string url);
}
