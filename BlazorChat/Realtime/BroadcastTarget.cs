using System.Collections.Immutable;

namespace BlazorChat.Realtime;

/// <summary>
/// Who a broadcast reaches: the union of <see cref="Rooms"/> (everyone when empty) minus the members of
/// <see cref="Except"/>. Every connection is in a room named by its own id, so "everyone but the sender"
/// is just <c>Except(senderId)</c>.
/// </summary>
public sealed record BroadcastTarget(ImmutableArray<string> Rooms, ImmutableArray<string> Except)
{
    public static BroadcastTarget Everyone { get; } = new([], []);

    public static BroadcastTarget ToRooms(params string[] rooms) => new([.. rooms], []);

    public BroadcastTarget Excluding(params string[] rooms) => this with { Except = Except.AddRange(rooms) };
}
