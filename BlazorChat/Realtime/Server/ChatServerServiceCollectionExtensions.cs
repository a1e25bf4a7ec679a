using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Realtime.Server;

public static class ChatServerServiceCollectionExtensions
{
    /// <summary>
    /// The realtime server on the in-process adapter (one node). A multi-node adapter registers its own
    /// <see cref="IChatAdapterFactory"/> instead, like SignalR's AddStackExchangeRedis.
    /// </summary>
    public static IServiceCollection AddInMemoryChatServer(this IServiceCollection services)
    {
        services.AddSingleton<IChatAdapterFactory, InMemoryAdapterFactory>();
        services.AddSingleton<ChatServer>();
        return services;
    }
}
