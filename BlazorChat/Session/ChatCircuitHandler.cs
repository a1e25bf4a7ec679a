using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BlazorChat.Session;

/// <summary>
/// socket.io's "proof of life": logs each circuit's connect and disconnect, and takes a closed tab out of
/// the chat at once (its person leaves the online list when it was their last tab).
/// </summary>
public sealed partial class ChatCircuitHandler(ChatSession session, ILogger<ChatCircuitHandler> logger) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        LogOpened(session.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        LogConnectionDown(session.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        LogConnectionUp(session.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        LogClosed(session.ConnectionId, session.Person?.DisplayName ?? "(not joined)");
        session.Leave("circuit closed");
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "a user connected: connection {ConnectionId}")]
    private partial void LogOpened(string connectionId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "connection {ConnectionId} lost its transport; waiting for it to reconnect")]
    private partial void LogConnectionDown(string connectionId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "connection {ConnectionId} reconnected")]
    private partial void LogConnectionUp(string connectionId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "user disconnected: connection {ConnectionId} ({DisplayName})")]
    private partial void LogClosed(string connectionId, string displayName);
}
