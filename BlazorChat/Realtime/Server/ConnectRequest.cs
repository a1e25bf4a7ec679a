using System.Security.Claims;

namespace BlazorChat.Realtime.Server;

/// <summary>A connection asking to enter a namespace. Identity comes from the server's authentication state.</summary>
public sealed record ConnectRequest(string ConnectionId, ClaimsPrincipal User, string UserId, string DisplayName)
{
    /// <summary>Where the connection comes from and over what (socket.io's handshake address and transport), when known.</summary>
    public ConnectionOrigin? Origin { get; init; }
}

/// <summary>A connection's client address and transport ("WebSockets", "ServerSentEvents", "LongPolling"), for operators.</summary>
public sealed record ConnectionOrigin(string? Address, string? Transport);

/// <summary>What a namespace middleware sees; <see cref="Refuse"/> turns the connection away with a reason.</summary>
public sealed class ConnectContext(ChatNamespace @namespace, ConnectRequest request)
{
    public ChatNamespace Namespace { get; } = @namespace;

    public ConnectRequest Request { get; } = request;

    /// <summary>Per-connection values middleware can hand to later middleware and handlers.</summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <exception cref="ConnectRefusedException">Always.</exception>
    public Task Refuse(string reason) => throw new ConnectRefusedException(Namespace.Name, reason);
}

/// <summary>socket.io's middleware: run before a connection enters; call <c>next</c> to let it in.</summary>
public delegate Task ConnectMiddleware(ConnectContext context, Func<Task> next);

/// <summary>socket.io's <c>connect_error</c>: the namespace refused the connection; the message is for the person.</summary>
public sealed class ConnectRefusedException(string @namespace, string reason) : Exception(reason)
{
    public string Namespace { get; } = @namespace;
}

/// <summary>A namespace's handler for an event the client sent; its return value is the acknowledgement.</summary>
public delegate Task<EventData?> ServerEventHandler(ChatSocket socket, EventData? data, CancellationToken cancellationToken);

/// <summary>
/// What an event middleware sees (socket.io's per-packet <c>socket.use(([event, ...args], next) => …)</c>): the
/// connection and the event it sent, before any handler runs.
/// </summary>
public sealed record EventContext(ChatSocket Socket, Packet Packet);

/// <summary>
/// Runs before every handler of a namespace's events; call <c>next</c> to let the event through, or throw
/// <see cref="ChatRefusedException"/> to refuse it with a reason (no handler runs then).
/// </summary>
public delegate Task EventMiddleware(EventContext context, Func<Task> next);
