using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using BlazorChat.Moderation;
using BlazorChat.Persistence.Postgres;
using BlazorChat.Persistence.Sqlite;

namespace BlazorChat.Persistence;

/// <summary>Registers the message and room stores of the engine that configuration names (<c>Store:Provider</c>).</summary>
public static class StoreServices
{
    /// <summary>Binds <see cref="StoreOptions"/> and registers the stores of <see cref="StoreOptions.Provider"/>.</summary>
    /// <exception cref="InvalidOperationException">The provider is unknown, or PostgreSQL has no connection string.</exception>
    public static IServiceCollection AddChatStores(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(StoreOptions.Section);
        var engine = ProviderNamed(section[nameof(StoreOptions.Provider)]);
        services.Configure<StoreOptions>(section);
        return engine switch
        {
            StoreProvider.Postgres => services.AddPostgresStores(section[nameof(StoreOptions.ConnectionString)]),
            _ => services.AddSqliteStores(),
        };
    }

    /// <summary>The engine a configured name means (any case); SQLite when none is named.</summary>
    private static StoreProvider ProviderNamed(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return StoreProvider.Sqlite;
        // Names only: Enum.TryParse would also take "1" or "Sqlite, Postgres".
        foreach (var engine in Enum.GetValues<StoreProvider>())
        {
            if (engine.ToString().Equals(name, StringComparison.OrdinalIgnoreCase))
                return engine;
        }
        throw new InvalidOperationException(
            $"Store:Provider is '{name}'; it must be one of: {string.Join(", ", Enum.GetNames<StoreProvider>())}.");
    }

    /// <summary>The embedded engine: messages and rooms in one SQLite file (<see cref="StoreOptions.DatabasePath"/>).</summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services)
    {
        services.AddSingleton<SqliteMessageStore>();
        services.AddSingleton<IMessageStore>(sp => sp.GetRequiredService<SqliteMessageStore>());
        // Room membership lives in the message store's file and writes through its single writer.
        services.AddSingleton<IRoomStore>(sp => new SqliteRoomStore(sp.GetRequiredService<SqliteMessageStore>()));
        services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(sp.GetRequiredService<SqliteMessageStore>()));
        services.AddSingleton<IMuteStore>(sp => new SqliteMuteStore(sp.GetRequiredService<SqliteMessageStore>()));
        return services;
    }

    /// <summary>The data protection application name of every node of a cluster: what they protect, they all unprotect.</summary>
    public const string SharedApplicationName = "BlazorChat";

    /// <summary>
    /// The shared engine: messages, rooms and the data protection key ring in a PostgreSQL database, migrated when the
    /// app starts.
    /// </summary>
    public static IServiceCollection AddPostgresStores(this IServiceCollection services, string? connectionString)
    {
        // Said at start-up, not at the first message someone sends.
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(PostgresDatabase.MissingConnectionString);
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<IMessageStore, PostgresMessageStore>();
        services.AddSingleton<IRoomStore, PostgresRoomStore>();
        services.AddSingleton<IAuditLog, PostgresAuditLog>();
        services.AddSingleton<IMuteStore, PostgresMuteStore>();
        services.AddHostedService<PostgresSchemaStartup>();
        // Every node protects with the same keys (account and guest cookies, antiforgery tokens, Blazor's circuits and
        // persisted state), and under the same application name whatever folder it runs from.
        services.AddDataProtection().SetApplicationName(SharedApplicationName);
        services.AddOptions<KeyManagementOptions>()
            .Configure<PostgresDatabase>((options, database) => options.XmlRepository = new PostgresXmlRepository(database));
        return services;
    }
}
