using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// One node in process (<see cref="InMemoryAdapter"/>), where a test can run something of its own once the next count of a
/// whole namespace (<see cref="IChatAdapter.FetchConnectionsAsync"/> with no room) is made and before it is returned, to
/// make things happen while a count is on its way.
/// </summary>
/// <param name="singleNode">
/// What the adapters say of themselves (<see cref="IChatAdapter.IsSingleNode"/>): false makes the node act as one node of a
/// cluster would, whose welcomes count anew each time.
/// </param>
public sealed class FetchHookAdapters(bool singleNode = true) : IChatAdapterFactory
{
    private readonly InMemoryAdapterFactory _inner = new();
    private Func<Task>? _next;
    private int _counts;
    private readonly bool _singleNode = singleNode;

    /// <summary>How many times a whole namespace has been counted so far.</summary>
    public int Counts => Volatile.Read(ref _counts);

    /// <summary>Runs <paramref name="hook"/> once, between the next count of a whole namespace and its return.</summary>
    public void OnNextCount(Func<Task> hook) => Volatile.Write(ref _next, hook);

    public IChatAdapter Create(string @namespace, ILocalConnections connections) => new Hooked(_inner.Create(@namespace, connections), this);

    private sealed class Hooked(IChatAdapter inner, FetchHookAdapters owner) : DelegatingAdapter(inner)
    {
        public override bool IsSingleNode => owner._singleNode && base.IsSingleNode;

        public override async Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options,
            CancellationToken cancellationToken = default)
        {
            var counted = await base.FetchConnectionsAsync(options, cancellationToken);
            if (options.Rooms.Count == 0)
                Interlocked.Increment(ref owner._counts);
            if (options.Rooms.Count == 0 && Interlocked.Exchange(ref owner._next, null) is { } hook)
                await hook();
            return counted;
        }
    }
}
