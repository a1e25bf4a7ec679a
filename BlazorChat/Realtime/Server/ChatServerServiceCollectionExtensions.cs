using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Persistence.Postgres;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Adapters.Postgres;
using Microsoft.Extensions.Options;

namespace BlazorChat.Realtime.Server;

public static class ChatServerServiceCollectionExtensions
{
    /// <summary>Chooses the adapter: <c>Realtime:Adapter</c>.</summary>
    public const string AdapterSetting = "Realtime:Adapter";

    /// <summary>
    /// The realtime server on the adapter configuration names (<see cref="AdapterSetting"/>): <c>InMemory</c> (the
    /// default, one node) or <c>Postgres</c> (several nodes sharing a database: <c>Realtime:Postgres</c>, whose
    /// connection string defaults to <c>Store:ConnectionString</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">An unknown adapter, or PostgreSQL without a connection string.</exception>
    public static IServiceCollection AddChatServer(this IServiceCollection services, IConfiguration configuration)
    {
        var name = configuration[AdapterSetting];
        if (string.IsNullOrEmpty(name) || name.Equals("InMemory", StringComparison.OrdinalIgnoreCase))
            return services.AddInMemoryChatServer();
        if (!name.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{AdapterSetting} is '{name}'; it must be InMemory or Postgres.");
        var options = new PostgresAdapterOptions();
        configuration.GetSection(PostgresAdapterOptions.Section).Bind(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            options.ConnectionString = configuration["Store:ConnectionString"];
        return services.AddPostgresChatServer(options);
    }

    /// <summary>
    /// The realtime server on the in-process adapter (one node). A multi-node adapter registers its own
    /// <see cref="IChatAdapterFactory"/> instead, like SignalR's AddStackExchangeRedis.
    /// </summary>
    public static IServiceCollection AddInMemoryChatServer(this IServiceCollection services)
    {
        services.AddSingleton<IChatAdapterFactory, InMemoryAdapterFactory>();
        services.AddSingleton<ChatServer>();
        services.AddSingleton<INameClaims, InMemoryNameClaims>();
        services.AddSingleton<ICircuitPlaces, InMemoryCircuitPlaces>();
        return services;
    }

    /// <summary>The realtime server on the PostgreSQL adapter: every node on the same database and channel prefix is one cluster.</summary>
    /// <exception cref="InvalidOperationException">No connection string (said at start-up, not at the first broadcast).</exception>
    public static IServiceCollection AddPostgresChatServer(this IServiceCollection services, PostgresAdapterOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidOperationException(PostgresAdapterFactory.MissingConnectionString);
        // Every payload the app sends is a record of this assembly.
        services.AddSingleton(new PacketCodec(typeof(ChatServer).Assembly));
        services.AddSingleton<IChatAdapterFactory>(sp => new PostgresAdapterFactory(
            options, sp.GetRequiredService<PacketCodec>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<ChatServer>();
        // Display names are one set across the cluster, in the same database, beating as often as the adapter does.
        services.AddSingleton<INameClaims>(sp => new PostgresNameClaims(
            new PostgresDatabase(options.ConnectionString, sp.GetRequiredService<ILoggerFactory>()),
            sp.GetRequiredService<ChatServer>().ServerId, new ClusterTiming(options.HeartbeatInterval, options.HeartbeatTimeout),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<PostgresNameClaims>>(), ownsDatabase: true));
        // So is the cap on a person's tabs: counted over every node, under the same node id and beat as the names.
        services.AddSingleton<ICircuitPlaces>(sp => new PostgresCircuitPlaces(
            new PostgresDatabase(options.ConnectionString, sp.GetRequiredService<ILoggerFactory>()),
            sp.GetRequiredService<ChatServer>().ServerId, new ClusterTiming(options.HeartbeatInterval, options.HeartbeatTimeout),
            sp.GetRequiredService<IOptionsMonitor<AccountOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<PostgresCircuitPlaces>>(), ownsDatabase: true));
        return services;
    }
}
