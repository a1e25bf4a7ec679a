using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// One node in process whose broadcasts return as a cluster adapter's do (<c>ClusterAdapter</c>): delivered to this
/// node's connections first, then the publish to the other nodes takes its round trip (the PostgreSQL adapter's NOTIFY)
/// before the broadcast returns. So a connect whose handlers end with a broadcast returns only well after every event
/// it sent its own connection has been delivered.
/// </summary>
public sealed class RoundTripAdapterFactory(TimeSpan roundTrip) : IChatAdapterFactory
{
    private readonly InMemoryAdapterFactory _inner = new();

    public IChatAdapter Create(string @namespace, ILocalConnections connections) =>
        new RoundTripAdapter(_inner.Create(@namespace, connections), roundTrip);

    private sealed class RoundTripAdapter(IChatAdapter inner, TimeSpan roundTrip) : DelegatingAdapter(inner)
    {
        public override async Task BroadcastAsync(Packet packet, BroadcastOptions options, CancellationToken cancellationToken = default)
        {
            await base.BroadcastAsync(packet, options, cancellationToken);
            await Task.Delay(roundTrip, cancellationToken); // published to the other nodes
        }
    }
}
