using System.Collections.Immutable;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Realtime.Server;

/// <summary>
/// socket.io's broadcast operator: <see cref="To"/>, <see cref="In"/>, <see cref="Except"/>, <see cref="Volatile"/>,
/// <see cref="Local"/> and <see cref="Timeout"/> each return a new immutable operator; only the emit and
/// room verbs do work, through the namespace's adapter.
/// </summary>
public sealed record BroadcastOperator
{
    internal BroadcastOperator(IChatAdapter adapter) => Adapter = adapter;

    private IChatAdapter Adapter { get; }

    public ImmutableHashSet<string> Rooms { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    public ImmutableHashSet<string> ExceptRooms { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    public BroadcastFlags Flags { get; init; } = BroadcastFlags.None;

    /// <summary>The options this operator hands to the adapter.</summary>
    public BroadcastOptions Options => new(Rooms, ExceptRooms, Flags);

    /// <summary>Targets the union of these rooms (a connection id or a user room works as a room).</summary>
    public BroadcastOperator To(params string[] rooms) => this with { Rooms = Rooms.Union(rooms) };

    /// <inheritdoc cref="To"/>
    public BroadcastOperator In(params string[] rooms) => To(rooms);

    /// <summary>Leaves out every connection that is in any of these rooms.</summary>
    public BroadcastOperator Except(params string[] rooms) => this with { ExceptRooms = ExceptRooms.Union(rooms) };

    /// <summary>The event may be dropped for recipients that are backlogged.</summary>
    public BroadcastOperator Volatile => this with { Flags = Flags with { Volatile = true } };

    /// <summary>Only recipients connected to this server node.</summary>
    public BroadcastOperator Local => this with { Flags = Flags with { Local = true } };

    /// <summary>How long <see cref="EmitWithAckAsync"/> waits for replies.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => this with { Flags = Flags with { Timeout = timeout } };

    /// <exception cref="ReservedEventException">The event name is reserved.</exception>
    public Task EmitAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        return Adapter.BroadcastAsync(new Packet(eventName, data), Options, cancellationToken);
    }

    /// <summary>Emits and collects every reply that arrives within <see cref="Timeout"/>; reports who did not answer.</summary>
    /// <exception cref="ReservedEventException">The event name is reserved.</exception>
    public Task<BroadcastAckResult> EmitWithAckAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        return Adapter.BroadcastWithAckAsync(new Packet(eventName, data), Options, cancellationToken);
    }

    /// <summary>socket.io's fetchSockets.</summary>
    public Task<IReadOnlyList<RemoteConnection>> FetchConnectionsAsync(CancellationToken cancellationToken = default) =>
        Adapter.FetchConnectionsAsync(Options, cancellationToken);

    /// <summary>socket.io's socketsJoin: the selected connections join <paramref name="rooms"/>.</summary>
    public Task JoinAsync(params string[] rooms) => Adapter.AddConnectionsToRoomsAsync(Options, rooms);

    /// <summary>socket.io's socketsLeave.</summary>
    public Task LeaveAsync(params string[] rooms) => Adapter.RemoveConnectionsFromRoomsAsync(Options, rooms);

    /// <summary>socket.io's disconnectSockets.</summary>
    public Task DisconnectAsync(string reason = "server namespace disconnect") => Adapter.DisconnectConnectionsAsync(Options, reason);
}
