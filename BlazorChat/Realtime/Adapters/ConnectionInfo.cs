using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorChat.Realtime.Adapters;

/// <summary>What any node can know about a connection (socket.io's RemoteSocket): serialisable, no live objects.</summary>
public sealed record RemoteConnection(
    string Id,
    string Namespace,
    string UserId,
    string DisplayName,
    [property: JsonConverter(typeof(RoomSetJsonConverter))] IReadOnlySet<string> Rooms,
    string ServerId)
{
    /// <summary>When the connection entered its namespace, when its node knows (null from an endpoint that does not say).</summary>
    public DateTimeOffset? ConnectedAt { get; init; }

    /// <summary>The client's address, when its node knows.</summary>
    public string? Address { get; init; }

    /// <summary>How the client is connected ("WebSockets", "ServerSentEvents", "LongPolling"), when its node knows.</summary>
    public string? Transport { get; init; }
}

/// <summary>System.Text.Json writes an <see cref="IReadOnlySet{T}"/> but cannot create one: read it back as an immutable set.</summary>
internal sealed class RoomSetJsonConverter : JsonConverter<IReadOnlySet<string>>
{
    public override IReadOnlySet<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (JsonSerializer.Deserialize<string[]>(ref reader, options) ?? []).ToImmutableHashSet(StringComparer.Ordinal);

    public override void Write(Utf8JsonWriter writer, IReadOnlySet<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToArray(), options);
}

/// <summary>One connection's reply to an event sent with an acknowledgement.</summary>
public sealed record AckResponse(string ConnectionId, EventData? Data);

/// <summary>
/// What a broadcast with acknowledgements collected: every reply that arrived in time, and who did not
/// answer (socket.io reports the same as an error plus the partial responses).
/// </summary>
public sealed record BroadcastAckResult(IReadOnlyList<AckResponse> Responses, IReadOnlyList<string> Missing)
{
    /// <summary>
    /// The server nodes that never said whom they sent the event to (in time): their recipients, unknown here, may
    /// have answered nothing. Always empty on one node.
    /// </summary>
    public IReadOnlyList<string> MissingServers { get; init; } = [];

    public bool Complete => Missing.Count == 0 && MissingServers.Count == 0;
}

/// <summary>One server node's answer to a server-side emit with an acknowledgement.</summary>
public sealed record ServerReply(string ServerId, EventData? Data);

/// <summary>What a server-side emit with acknowledgements collected: one reply per node that answered in time, and the nodes that did not.</summary>
public sealed record ServerSideAckResult(IReadOnlyList<ServerReply> Replies, IReadOnlyList<string> MissingServers)
{
    public bool Complete => MissingServers.Count == 0;
}
