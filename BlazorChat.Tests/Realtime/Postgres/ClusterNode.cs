using BlazorChat.Realtime.Adapters.Postgres;
using BlazorChat.Tests.Realtime.Cluster;

namespace BlazorChat.Tests.Realtime.Postgres;

/// <summary>One server node of a test cluster: its own <see cref="ChatServer"/> on its own PostgreSQL adapter factory.</summary>
public sealed class ClusterNode : IAsyncDisposable
{
    public ClusterNode(PostgresAdapterOptions options)
    {
        Factory = new PostgresAdapterFactory(options, ClusterWorlds.Codec, NullLoggerFactory.Instance);
        Server = new ChatServer(Factory, NullLoggerFactory.Instance);
    }

    public PostgresAdapterFactory Factory { get; }

    public ChatServer Server { get; }

    /// <summary>Closes the node's adapters (each tells the others it left) and its connections to the database.</summary>
    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
