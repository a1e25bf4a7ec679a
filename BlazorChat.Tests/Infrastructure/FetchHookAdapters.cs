using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// One node in process (<see cref="InMemoryAdapter"/>), where a test can run something of its own once the next count of a
/// whole namespace (<see cref="IChatAdapter.FetchConnectionsAsync"/> with no room) is made and before it is returned, to
/// make things happen while a count is on its way.
/// </summary>
public sealed class FetchHookAdapters : IChatAdapterFactory
{
    private readonly InMemoryAdapterFactory _inner = new();
    private Func<Task>? _next;

    /// <summary>Runs <paramref name="hook"/> once, between the next count of a whole namespace and its return.</summary>
    public void OnNextCount(Func<Task> hook) => Volatile.Write(ref _next, hook);

    public IChatAdapter Create(string @namespace, ILocalConnections connections) => new Hooked(_inner.Create(@namespace, connections), this);

    private sealed class Hooked(IChatAdapter inner, FetchHookAdapters owner) : DelegatingAdapter(inner)
    {
        public override async Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(BroadcastOptions options,
            CancellationToken cancellationToken = default)
        {
            var counted = await base.FetchConnectionsAsync(options, cancellationToken);
            if (options.Rooms.Count == 0 && Interlocked.Exchange(ref owner._next, null) is { } hook)
                await hook();
            return counted;
        }
    }
}
