namespace BlazorChat.Realtime;

/// <summary>
/// The base of every event payload. Payloads are immutable records, serialisable with
/// <see cref="PacketCodec"/> so a multi-node adapter can carry them between servers.
/// </summary>
public abstract record EventData;

/// <summary>
/// What a connection's client hears last when the server disconnected it with a reason for the person (socket.io's
/// client "disconnect" event with "io server disconnect"): sent as the reserved "disconnect" event, after the
/// connection has left every room, so nothing else follows it.
/// </summary>
public sealed record DisconnectNotice(string Namespace, string Reason, string Message) : EventData;

/// <summary>One event as it travels from the server to connections (and between nodes): a name and a typed payload.</summary>
public sealed record Packet(string Event, EventData? Data = null);
