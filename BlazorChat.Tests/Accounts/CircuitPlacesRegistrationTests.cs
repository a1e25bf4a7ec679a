using BlazorChat.Accounts;
using BlazorChat.Persistence.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Accounts;

/// <summary>Which engine counts a person's tabs: the one that goes with the chat server's adapter (<c>Realtime:Adapter</c>).</summary>
public sealed class CircuitPlacesRegistrationTests
{
    [Fact]
    public async Task OneNode_CountsTabsInItsMemory()
    {
        await using var services = Services(new Dictionary<string, string?>());

        Assert.IsType<InMemoryCircuitPlaces>(services.GetRequiredService<ICircuitPlaces>());
    }

    [Fact]
    public async Task ACluster_CountsTabsInItsDatabase_UnderTheChatServersNodeId()
    {
        await using var services = Services(new Dictionary<string, string?>
        {
            [ChatServerServiceCollectionExtensions.AdapterSetting] = "Postgres",
            // Nothing listens there: building the services connects to nothing.
            ["Store:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=blazorchat;Username=chat;Timeout=1",
        });

        var places = Assert.IsType<PostgresCircuitPlaces>(services.GetRequiredService<ICircuitPlaces>());
        Assert.Equal(services.GetRequiredService<ChatServer>().ServerId, places.NodeId);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<AccountOptions>(_ => { });
        services.AddChatServer(configuration);
        return services.BuildServiceProvider();
    }
}
