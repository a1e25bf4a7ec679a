using BlazorChat.Chat;
using BlazorChat.Monitoring;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Options;

namespace BlazorChat.Session;

/// <summary>
/// socket.io's "proof of life": logs each circuit's connect and disconnect, and takes a closed tab out of
/// the chat at once (its person leaves the online list when it was their last tab). A tab whose transport
/// stays away past <see cref="ChatOptions.AwayAfterTransportLoss"/> is suspended the same way, and resumed
/// when the transport comes back: a browser killed without saying goodbye must not stay "online" for the
/// minutes Blazor keeps its circuit. It also takes and gives back the tab's place among its person's open
/// tabs (only interactive circuits count: prerendering opens none); a tab away that long gives its place back
/// too, and takes it again when it comes back (over the cap by then, it stays out of the chat and says why). It counts open circuits
/// (<see cref="ChatMetrics.Circuits"/>), and everything the circuit handles is logged under the tab's
/// <see cref="ConnectionLogScope"/> (connection and person ids). After its inbound activities it lets go of the render
/// batches the browser confirmed (<see cref="ConfirmedRenderBatches"/>).
/// </summary>
public sealed partial class ChatCircuitHandler(ChatSession session, IOptions<ChatOptions> options, TimeProvider time,
    ILogger<ChatCircuitHandler> logger, ChatMetrics? metrics = null, ChatEventRing? events = null) : CircuitHandler
{
    private readonly SemaphoreSlim _transitions = new(1, 1);
    private readonly ConnectionLogScope _scope = new(session.TabId, () => session.UserId);
    private CancellationTokenSource? _away;
    private int _open; // 1 while counted in the circuits gauge: a close without an open (or twice) must not count
    private ConfirmedRenderBatches? _confirmedBatches;

    /// <summary>The scope every log of this tab is written under.</summary>
    public ConnectionLogScope LogScope => _scope;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        session.Origin = CircuitOriginFilter.Origin ?? session.Origin;
        _confirmedBatches ??= ConfirmedRenderBatches.For(circuit);
        if (Interlocked.Exchange(ref _open, 1) == 0)
        {
            metrics?.CircuitOpened();
            events?.Record(ChatEventRing.CircuitOpened, connectionId: session.TabId, personId: session.UserId);
        }
        using var scope = logger.BeginScope(_scope);
        LogOpened(session.TabId);
        await session.TakeCircuitPlaceAsync();
    }

    /// <summary>
    /// Every event, JS interop call and render acknowledgement of this circuit runs under the tab's log scope. Not an
    /// async wrapper: the scope is an async-local value, so whatever <paramref name="next"/> awaits keeps it after the
    /// scope is popped here, and no state machine is made per activity. A render confirmation has taken its batches off the
    /// renderer's queue when <paramref name="next"/> returns: then the queue may be renewed (<see cref="ConfirmedRenderBatches"/>).
    /// </summary>
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        context =>
        {
            using (logger.BeginScope(_scope))
            {
                var activity = next(context);
                _confirmedBatches?.ActivityRan();
                return activity;
            }
        };

    private bool _wasDown;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _wasDown = true;
        using (logger.BeginScope(_scope))
            LogConnectionDown(session.TabId);
        var away = new CancellationTokenSource();
        var cameBack = away.Token; // taken before it is shared: from then on a reconnect may dispose it
        Stop(Interlocked.Exchange(ref _away, away));
        _ = WaitForReturnAsync(away, cameBack);
        return Task.CompletedTask;
    }

    private async Task WaitForReturnAsync(CancellationTokenSource away, CancellationToken cameBack)
    {
        try
        {
            await SuspendWhenStillAwayAsync(cameBack);
        }
        finally
        {
            // Whoever takes a source out of _away disposes it, so it is disposed once and never cancelled after: a
            // reconnect, a close or a newer wait that took it first cancels and disposes it (Stop); one still there has
            // run out, and nothing else will touch it.
            if (Interlocked.CompareExchange(ref _away, null, away) == away)
                away.Dispose();
        }
    }

    // Ends a wait for the transport: Cancel runs the wait's callbacks before it returns, so the source can go at once.
    private static void Stop(CancellationTokenSource? away)
    {
        if (away is null)
            return;
        away.Cancel();
        away.Dispose();
    }

    private async Task SuspendWhenStillAwayAsync(CancellationToken cameBack)
    {
        try
        {
            await Task.Delay(options.Value.AwayAfterTransportLoss, time, cameBack);
            await _transitions.WaitAsync(cameBack);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            if (session.IsJoined && !session.IsSuspended)
            {
                LogSuspended(session.TabId, session.DisplayName ?? "(not joined)", options.Value.AwayAfterTransportLoss.TotalSeconds);
                await session.SuspendAsync();
            }
            await session.GiveBackCircuitPlaceWhileAwayAsync();
        }
        catch (Exception ex)
        {
            LogTransitionFailed(ex, session.TabId);
        }
        finally
        {
            _transitions.Release();
        }
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        session.Origin = CircuitOriginFilter.Origin ?? session.Origin;
        // Also raised for the first connection: only a connection that went down has reconnected.
        if (!_wasDown)
            return;
        _wasDown = false;
        using var scope = logger.BeginScope(_scope);
        LogConnectionUp(session.TabId);
        Stop(Interlocked.Exchange(ref _away, null));
        await _transitions.WaitAsync(cancellationToken);
        try
        {
            if (await session.ComeBackAsync() is { } error)
                LogResumeRefused(session.TabId, error);
        }
        catch (Exception ex)
        {
            LogTransitionFailed(ex, session.TabId);
        }
        finally
        {
            _transitions.Release();
        }
    }

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _open, 0) == 1)
        {
            metrics?.CircuitClosed();
            events?.Record(ChatEventRing.CircuitClosed, connectionId: session.TabId, personId: session.UserId, detail: session.DisplayName);
        }
        _confirmedBatches?.Closed();
        Stop(Interlocked.Exchange(ref _away, null));
        using var scope = logger.BeginScope(_scope);
        LogClosed(session.TabId, session.DisplayName ?? "(not joined)");
        await session.LeaveAsync("circuit closed");
        await session.ReleaseCircuitPlaceAsync();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "a user connected: tab {ConnectionId}")]
    private partial void LogOpened(string connectionId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "tab {ConnectionId} lost its transport; waiting for it to reconnect")]
    private partial void LogConnectionDown(string connectionId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "tab {ConnectionId} reconnected")]
    private partial void LogConnectionUp(string connectionId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "user disconnected: tab {ConnectionId} ({DisplayName})")]
    private partial void LogClosed(string connectionId, string displayName);

    // socket.io's "user disconnected" on a transport close: the tab is out of the chat now, whatever Blazor keeps.
    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "user disconnected: tab {ConnectionId} ({DisplayName}) has been without its transport for {Seconds} s; it rejoins if it reconnects")]
    private partial void LogSuspended(string connectionId, string displayName, double seconds);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "tab {ConnectionId} reconnected but could not rejoin: {Reason}")]
    private partial void LogResumeRefused(string connectionId, string reason);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "tab {ConnectionId} could not leave or rejoin the chat after a transport change")]
    private partial void LogTransitionFailed(Exception exception, string connectionId);
}
