using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Cluster;

/// <summary>What the multi-node adapter tests share, whatever the bus.</summary>
public static class ClusterWorlds
{
    /// <summary>Every payload the tests send: theirs and the app's.</summary>
    public static PacketCodec Codec { get; } = new(typeof(TextData).Assembly);

    /// <summary>Waits until <paramref name="adapter"/> counts <paramref name="count"/> nodes (a count has no signal: polled).</summary>
    public static async Task WaitForServerCountAsync(IChatAdapter adapter, int count)
    {
        var deadline = DateTime.UtcNow + Wait.Timeout;
        int seen;
        while ((seen = await adapter.ServerCountAsync()) != count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{adapter.Namespace} counted {seen} nodes for {Wait.Timeout.TotalSeconds:0} s, not {count}.");
            await Task.Delay(20);
        }
    }
}

/// <summary>
/// A factory for the contract suite: each adapter it makes gets <paramref name="peers"/> peer nodes on the same
/// namespace, with no connections, so that every verb also crosses the bus and waits for them.
/// </summary>
public sealed class PeeredFactory(IChatAdapterFactory inner, int peers) : IChatAdapterFactory, IAsyncDisposable
{
    private readonly List<FakeNode> _peers = [];

    public IChatAdapter Create(string @namespace, ILocalConnections connections)
    {
        lock (_peers)
        {
            for (var i = 0; i < peers; i++)
                _peers.Add(new FakeNode(inner, @namespace));
        }
        return inner.Create(@namespace, connections);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
            await peer.DisposeAsync();
        if (inner is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
    }
}

