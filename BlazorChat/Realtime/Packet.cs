namespace BlazorChat.Realtime;

/// <summary>
/// The base of every event payload. Payloads are immutable records, serialisable with
/// <see cref="PacketCodec"/> so a multi-node adapter can carry them between servers.
/// </summary>
public abstract record EventData;

/// <summary>One event as it travels from the server to connections (and between nodes): a name and a typed payload.</summary>
public sealed record Packet(string Event, EventData? Data = null);
