using BlazorChat.Persistence;
using BlazorChat.Persistence.Postgres;
using BlazorChat.Persistence.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BlazorChat.Tests.Persistence;

/// <summary>Which engine stores messages and rooms is configuration (<c>Store:Provider</c>), read by the app's own wiring.</summary>
public sealed class StoreConfigurationTests : IDisposable
{
    private readonly TempDatabaseFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("Sqlite")]
    [InlineData("sqlite")]
    public async Task Provider_SqliteOrNone_StoresInTheSqliteFile(string? provider)
    {
        await using var app = BuildApp(new() { ["Store:Provider"] = provider, ["Store:DatabasePath"] = _folder.DatabasePath });

        Assert.IsType<SqliteMessageStore>(app.Services.GetRequiredService<IMessageStore>());
        Assert.IsType<SqliteRoomStore>(app.Services.GetRequiredService<IRoomStore>());
        Assert.True(File.Exists(_folder.DatabasePath));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("postgres")]
    public async Task Provider_Postgres_UsesThePostgresStores_AndMigratesAtStart(string provider)
    {
        await using var app = BuildApp(new() { ["Store:Provider"] = provider, ["Store:ConnectionString"] = "Host=127.0.0.1;Database=chat" });

        Assert.IsType<PostgresMessageStore>(app.Services.GetRequiredService<IMessageStore>());
        Assert.IsType<PostgresRoomStore>(app.Services.GetRequiredService<IRoomStore>());
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s is PostgresSchemaStartup);
        Assert.False(File.Exists(_folder.DatabasePath));
    }

    [Theory]
    [InlineData("Mongo")]
    [InlineData("1")]
    [InlineData("Sqlite, Postgres")]
    public void Provider_Unknown_StopsTheStartWithTheChoices(string provider)
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => BuildApp(new() { ["Store:Provider"] = provider }));

        Assert.Contains($"Store:Provider is '{provider}'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Sqlite, Postgres", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_PostgresWithoutAConnectionString_StopsTheStartSayingWhatToSet()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => BuildApp(new() { ["Store:Provider"] = "Postgres" }));

        Assert.Contains("Store:ConnectionString", refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>The app's services as Program.cs builds them, with the given settings.</summary>
    internal static WebApplication BuildApp(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Testing",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddApplicationServices();
        return builder.Build();
    }
}

/// <summary>The app configured for PostgreSQL stores and reads messages and rooms in that database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreConfigurationTests(PostgresServer server)
{
    [Fact]
    public async Task App_WithProviderPostgres_MigratesAtStart_AndStoresInThatDatabase()
    {
        await using var database = await server.CreateDatabaseAsync();
        await using var app = StoreConfigurationTests.BuildApp(new()
        {
            ["Store:Provider"] = "Postgres",
            ["Store:ConnectionString"] = database.ConnectionString,
        });

        await app.Services.GetServices<IHostedService>().OfType<PostgresSchemaStartup>().Single().StartAsync(CancellationToken.None);
        var store = app.Services.GetRequiredService<IMessageStore>();
        await store.AppendAsync(PostgresNode.Message("room:general", "alice", "through the app's wiring"));
        await app.Services.GetRequiredService<IRoomStore>().AddMemberAsync("/", "general", new RoomMember("alice", "Alice"));

        await using var dataSource = database.OpenDataSource();
        Assert.Equal(["through the app's wiring"], await PostgresStorage.RowsAsync(dataSource, "SELECT text FROM messages;"));
        Assert.Equal(["Alice"], await PostgresStorage.RowsAsync(dataSource, "SELECT display_name FROM room_members;"));
        Assert.Equal([$"{PostgresSchema.LatestVersion}"], await PostgresStorage.RowsAsync(dataSource, "SELECT max(version) FROM schema_migrations;"));
    }
}
