namespace BlazorChat.Realtime.Server;

/// <summary>
/// Whether this node may serve anyone yet: not before every namespace's adapter has joined the other nodes and who is
/// online, and in which rooms, has been asked of all of them once. A node started after people are present on the
/// others knows nothing of them until it has heard every live node; a person it served before that would see an
/// empty room list and nobody online, and nothing would correct it until someone else came or went.
/// </summary>
/// <remarks>
/// Rooms and presence are not copied to a node: each welcome asks every live node (<see cref="IChatAdapter.FetchConnectionsAsync"/>).
/// Being caught up therefore means counting every live node, and the one fetch per namespace here shows that their
/// answers come (and warms that path). The front door asks <c>/healthz</c>, which says 503 until then
/// (<see cref="ApplicationServices"/>); requests that reach the node directly are refused the same way. In process
/// (one node) it is ready at once.
/// </remarks>
public sealed partial class NodeReadiness(ChatServer server, ILogger<NodeReadiness> logger)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private int _started;

    /// <summary>Caught up: every namespace that existed at <see cref="Start"/> has joined and fetched rooms and presence.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Completes once <see cref="IsReady"/>.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Starts catching up, once the namespaces the node serves from the start are configured. (Namespaces made later, a
    /// team space's, join when first used.) Returns at once; <see cref="IsReady"/> says when it is done.
    /// </summary>
    public void Start(CancellationToken stopping = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
            _ = CatchUpAsync(stopping);
    }

    private async Task CatchUpAsync(CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                foreach (var ns in server.Namespaces)
                {
                    await ns.Adapter.WaitUntilJoinedAsync(stopping);
                    var everyone = await ns.Operator.FetchConnectionsAsync(stopping);
                    LogCaughtUp(ns.Name, await ns.Adapter.ServerCountAsync(stopping),
                        everyone.Select(c => c.UserId).Distinct(StringComparer.Ordinal).Count());
                }
                _ready.TrySetResult();
                LogReady();
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                _ready.TrySetCanceled(stopping);
                return;
            }
            catch (Exception ex)
            {
                // Asking the others failed (the database went away meanwhile): still not ready; try again.
                LogCatchUpFailed(ex, RetryDelay.TotalSeconds);
            }
            try
            {
                await Task.Delay(RetryDelay, stopping);
            }
            catch (OperationCanceledException)
            {
                _ready.TrySetCanceled(stopping);
                return;
            }
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "{Namespace}: caught up with {Nodes} nodes; {People} people online")]
    private partial void LogCaughtUp(string @namespace, int nodes, int people);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "This node has caught up with the cluster and serves from now on")]
    private partial void LogReady();

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Catching up with the cluster failed; trying again in {Seconds} s (this node does not serve yet)")]
    private partial void LogCatchUpFailed(Exception exception, double seconds);
}
