using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Monitoring;
using BlazorChat.Persistence;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;
using BlazorChat.Session;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Components.Server.Circuits;
using BlazorChat.Components.Theme;
using MudBlazor.Services;

namespace BlazorChat;

public static partial class ApplicationServices
{
    /// <summary>
    /// The largest message the circuit's hub takes from a browser: 1 MiB. Everything a tab sends travels in one: an
    /// input event carries the whole value of the box, so pasting 100,000 characters into the composer or the name box
    /// sends them at once, JSON-encoded, at up to 6 bytes a character ("\u0001" for a control character): 600,000 bytes
    /// and an envelope. At SignalR's default of 32 KB that message dropped the connection, and the text with it (the
    /// rules then saw an empty box). The rules refuse such text as too long; the limit still bounds what one tab can make
    /// the server buffer.
    /// </summary>
    public const long MaxCircuitMessageBytes = 1024 * 1024;

    public static void AddApplicationServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options =>
            {
                options.MaximumReceiveMessageSize = MaxCircuitMessageBytes;
                options.AddFilter(new CircuitOriginFilter());
            });
        // Each circuit's JS interop serializer skips the generic-math and formatting interfaces of the values it writes,
        // which it would otherwise reflect over and keep per circuit (InteropJsonMetadata).
        services.AddInteropJsonMetadata();
        // Blazor's circuit settings ("Circuits": DisconnectedCircuitRetentionPeriod, PersistedCircuitInMemoryRetentionPeriod,
        // ...) are configuration: how long a disconnected tab's circuit is kept before its state is persisted and it is let go.
        services.Configure<Microsoft.AspNetCore.Components.Server.CircuitOptions>(builder.Configuration.GetSection("Circuits"));
        services.AddMudServices();
        // The page's components read the request's cookies (name, theme) while prerendering through this.
        services.AddHttpContextAccessor();
        services.AddScoped<ThemeState>();
        services.AddScoped<BlazorChat.Components.Layout.ShellState>();
        services.AddSingleton<ThemeStylesheet>();
        services.AddHostedService(provider => provider.GetRequiredService<ThemeStylesheet>());

        // Identity (accounts, roles) on its own SQLite file, the account and guest cookies, and the access checks.
        builder.AddAccounts();
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();

        // What all circuits share is a singleton; what belongs to one tab is scoped to its circuit.
        services.AddSingleton(TimeProvider.System);
        services.Configure<ChatOptions>(builder.Configuration.GetSection(ChatOptions.Section));
        // The realtime server: the in-process adapter by default, PostgreSQL for several nodes (Realtime:Adapter).
        services.AddChatServer(builder.Configuration);
        // Messages and rooms: SQLite by default, PostgreSQL for several nodes (Store:Provider).
        services.AddChatStores(builder.Configuration);
        services.AddSingleton<NodeReadiness>();
        services.AddSingleton<SequencedPublisher>();
        services.AddSingleton<ChatHandlers>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BlazorChat.Moderation.ModerationService>(sp,
            (IAccessChecker)sp.GetRequiredService<IdentityAccessChecker>()));
        // A ban refuses sign-in too.
        services.AddSingleton<ISignInGate>(sp => sp.GetRequiredService<BlazorChat.Moderation.ModerationService>());
        // Flood control per person (Chat:RateLimits); settings that cannot work stop the start with the setting named.
        services.AddSingleton<ChatRateLimiter>();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ChatOptions>, RateLimitOptionsValidation>();
        services.AddOptions<ChatOptions>().ValidateOnStart();
        services.AddSingleton<DisplayNames>();
        services.AddSingleton<PersonNames>();
        services.AddScoped<ChatSession>();
        services.AddScoped<CircuitHandler, ChatCircuitHandler>();
        AddAccessAndRooms(services);
        // Health and metrics: the chat's meter, /readyz's checks, and the Prometheus endpoint when configured (Monitoring).
        builder.AddMonitoring();
    }

    // ---- Part B (access and private rooms): authorization at every operation, persisted room membership. ----
    private static void AddAccessAndRooms(IServiceCollection services)
    {
        services.AddSingleton<AccessGuard>();
        services.AddSingleton<PrivateRooms>();
    }

    public static void UseApplicationPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseExceptionHandler("/Error", createScopeForErrors: true);

        app.UseSecurityHeaders();
        UseReadinessGate(app);
        // An address nothing answers (404) renders the not-found page in place, keeping the 404; in a scope of its own, so
        // the page's services (NavigationManager, antiforgery) are set up for "/not-found", not for the missed address.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseSameOriginHandshake();
        app.UseAuthentication();
        app.UseGuestIdentity();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.Services.GetRequiredService<ChatHandlers>().Configure();
        // The namespaces exist now: catch up with the other nodes (at once on one node).
        app.Services.GetRequiredService<NodeReadiness>().Start(app.Lifetime.ApplicationStopping);
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        // What a front door's health check asks (cluster/FrontDoor): 503 until the node has caught up (the gate above),
        // then alive. Nothing is read or written.
        app.MapGet("/healthz", () => Results.Text("alive", "text/plain")).WithMetadata(GuestIdentity.NotForPeople);
        // Ready: the store (and in cluster mode the cluster's PostgreSQL) answers; 503 naming what does not. The metrics
        // scrape endpoint when configured (admin only unless Monitoring:PrometheusOpen).
        app.MapMonitoring();
        ThemeStylesheet.MapThemeStylesheet(app);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("BlazorChat");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var url in app.Urls)
                LogReady(logger, url);
        });
    }

    /// <summary>The text a node answers with, 503, while it has not caught up with the other nodes.</summary>
    public const string CatchingUpText = "catching up with the other nodes";

    /// <summary>
    /// A node that has not caught up with the others (<see cref="NodeReadiness"/>) serves nobody: every request, its
    /// health check included, is answered 503 with Retry-After. The front door sends no one to it until its check
    /// passes; a browser that reaches it directly tries again in a second rather than seeing an empty chat.
    /// </summary>
    private static void UseReadinessGate(WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<NodeReadiness>();
        app.Use(async (context, next) =>
        {
            if (readiness.IsReady)
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "1";
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(CatchingUpText, context.RequestAborted);
        });
    }

    /// <summary>
    /// Lets every page answer HEAD as it answers GET: the same status and headers, and no body (Kestrel drops what is
    /// written). MapRazorComponents maps pages for GET and POST only, so "HEAD /" (what monitors and link checkers send)
    /// matched nothing and answered 404.
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder AnswerHeadLikeGet(this RazorComponentsEndpointConventionBuilder builder)
    {
        builder.Add(endpoint =>
        {
            // Pages only (their endpoints name their component): not the circuit's own endpoints.
            if (!endpoint.Metadata.OfType<ComponentTypeMetadata>().Any()
                || endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault() is not { } methods)
                return;
            var allowed = methods.HttpMethods;
            if (allowed.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) && !allowed.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase))
                endpoint.Metadata.Add(new HttpMethodMetadata([.. allowed, HttpMethods.Head]));
        });
        return builder;
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "BlazorChat is ready: open {Url} in a browser")]
    private static partial void LogReady(ILogger logger, string url);
}
