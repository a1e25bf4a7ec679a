using System.Collections.Immutable;

namespace BlazorChat.Realtime.Adapters;

/// <summary>socket.io's broadcast flags: <c>volatile</c>, <c>local</c> and <c>timeout</c>.</summary>
public sealed record BroadcastFlags
{
    public static BroadcastFlags None { get; } = new();

    /// <summary>May be dropped for a connection that is backlogged; never queued behind other events.</summary>
    public bool Volatile { get; init; }

    /// <summary>Only connections on this server node.</summary>
    public bool Local { get; init; }

    /// <summary>How long <c>EmitWithAck</c> waits for replies.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>
/// Who a broadcast reaches: the union of <see cref="Rooms"/> (every connection of the namespace when empty),
/// minus every connection in any of the <see cref="Except"/> rooms. Serialisable, so a multi-node adapter can
/// forward it as it is.
/// </summary>
public sealed record BroadcastOptions(ImmutableHashSet<string> Rooms, ImmutableHashSet<string> Except, BroadcastFlags Flags)
{
    public static BroadcastOptions Everyone { get; } =
        new(ImmutableHashSet.Create<string>(StringComparer.Ordinal), ImmutableHashSet.Create<string>(StringComparer.Ordinal), BroadcastFlags.None);

    public static BroadcastOptions ToRooms(params string[] rooms) => Everyone with { Rooms = Everyone.Rooms.Union(rooms) };
}
