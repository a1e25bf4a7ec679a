using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Session;

/// <summary>
/// socket.io's "proof of life": logs each circuit's connect and disconnect, and takes a closed tab out of
/// the chat at once (its person leaves the online list when it was their last tab). It also takes and gives back the
/// tab's place among its person's open tabs (only interactive circuits count: prerendering opens none).
/// </summary>
public sealed partial class ChatCircuitHandler(ChatSession session, ILogger<ChatCircuitHandler> logger) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        LogOpened(session.TabId);
        await session.TakeCircuitPlaceAsync();
    }

    private bool _wasDown;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _wasDown = true;
        LogConnectionDown(session.TabId);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // Also raised for the first connection: only a connection that went down has reconnected.
        if (_wasDown)
            LogConnectionUp(session.TabId);
        _wasDown = false;
        return Task.CompletedTask;
    }

    public override async Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        LogClosed(session.TabId, session.DisplayName ?? "(not joined)");
        await session.LeaveAsync("circuit closed");
        session.ReleaseCircuitPlace();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "a user connected: tab {ConnectionId}")]
    private partial void LogOpened(string connectionId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "tab {ConnectionId} lost its transport; waiting for it to reconnect")]
    private partial void LogConnectionDown(string connectionId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "tab {ConnectionId} reconnected")]
    private partial void LogConnectionUp(string connectionId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "user disconnected: tab {ConnectionId} ({DisplayName})")]
    private partial void LogClosed(string connectionId, string displayName);
}
