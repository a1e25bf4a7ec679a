using System.Text.Json.Serialization;

namespace BlazorChat.Realtime.Adapters.Cluster;

/// <summary>
/// What nodes say to each other about one namespace, one record per operation (socket.io's cluster adapter message
/// types). Every message names its namespace and the node that sent it, so a node can route it and ignore its own echo.
/// Serialised with <see cref="PacketCodec"/> (payloads keep their concrete types).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$kind")]
[JsonDerivedType(typeof(HeartbeatMessage), "heartbeat")]
[JsonDerivedType(typeof(GoodbyeMessage), "goodbye")]
[JsonDerivedType(typeof(BroadcastMessage), "broadcast")]
[JsonDerivedType(typeof(BroadcastWithAckMessage), "broadcast-ack")]
[JsonDerivedType(typeof(JoinRoomsMessage), "join")]
[JsonDerivedType(typeof(LeaveRoomsMessage), "leave")]
[JsonDerivedType(typeof(DisconnectMessage), "disconnect")]
[JsonDerivedType(typeof(FetchMessage), "fetch")]
[JsonDerivedType(typeof(ServerSideEmitMessage), "server-side-emit")]
[JsonDerivedType(typeof(AckRecipientsResponse), "ack-recipients")]
[JsonDerivedType(typeof(AckReceivedResponse), "ack-received")]
[JsonDerivedType(typeof(DoneResponse), "done")]
[JsonDerivedType(typeof(FetchResponse), "fetched")]
[JsonDerivedType(typeof(ServerSideReplyResponse), "server-side-reply")]
[JsonDerivedType(typeof(AttachmentNotice), "attachment")]
public abstract record ClusterMessage(string Namespace, string From);

/// <summary>
/// "I am alive and serve this namespace." An initial one (a node that just started) asks the others to answer at once.
/// <see cref="Stamp"/> is the sender's monotonic clock when it said so.
/// </summary>
public sealed record HeartbeatMessage(string Namespace, string From, bool Initial, long Stamp) : ClusterMessage(Namespace, From);

/// <summary>
/// "I no longer serve this namespace" (the adapter closed): drop me without waiting for my heartbeats to stop. A
/// heartbeat of the sender stamped before <see cref="Stamp"/> that arrives later (it was on its way) is stale.
/// </summary>
public sealed record GoodbyeMessage(string Namespace, string From, long Stamp) : ClusterMessage(Namespace, From);

public sealed record BroadcastMessage(string Namespace, string From, Packet Packet, BroadcastOptions Options) : ClusterMessage(Namespace, From);

/// <summary>
/// A request: deliver and say whom to (<see cref="AckRecipientsResponse"/>), then pass the answers on as they come
/// (<see cref="AckReceivedResponse"/>, several in one where they come faster than a message crosses).
/// </summary>
public sealed record BroadcastWithAckMessage(string Namespace, string From, string RequestId, Packet Packet, BroadcastOptions Options)
    : ClusterMessage(Namespace, From);

public sealed record JoinRoomsMessage(string Namespace, string From, BroadcastOptions Options, IReadOnlyList<string> Rooms) : ClusterMessage(Namespace, From);

public sealed record LeaveRoomsMessage(string Namespace, string From, BroadcastOptions Options, IReadOnlyList<string> Rooms) : ClusterMessage(Namespace, From);

/// <summary>A request: disconnect the selected connections, then answer <see cref="DoneResponse"/>.</summary>
public sealed record DisconnectMessage(string Namespace, string From, string RequestId, BroadcastOptions Options, string Reason)
    : ClusterMessage(Namespace, From);

/// <summary>A request: answer with the selected connections (<see cref="FetchResponse"/>).</summary>
public sealed record FetchMessage(string Namespace, string From, string RequestId, BroadcastOptions Options) : ClusterMessage(Namespace, From);

/// <summary>An event for the namespace's server-side handlers; with a request id, each node answers <see cref="ServerSideReplyResponse"/>.</summary>
public sealed record ServerSideEmitMessage(string Namespace, string From, string? RequestId, Packet Packet) : ClusterMessage(Namespace, From);

/// <summary>A node's answer to the request <see cref="RequestId"/>; only the node that asked has it pending.</summary>
public abstract record ClusterResponse(string Namespace, string From, string RequestId) : ClusterMessage(Namespace, From);

public sealed record AckRecipientsResponse(string Namespace, string From, string RequestId, IReadOnlyList<string> ConnectionIds)
    : ClusterResponse(Namespace, From, RequestId);

/// <summary>Some of a request's answers: those that came in while the last message of them was on its way.</summary>
public sealed record AckReceivedResponse(string Namespace, string From, string RequestId, IReadOnlyList<AckResponse> Acks)
    : ClusterResponse(Namespace, From, RequestId);

public sealed record DoneResponse(string Namespace, string From, string RequestId) : ClusterResponse(Namespace, From, RequestId);

public sealed record FetchResponse(string Namespace, string From, string RequestId, IReadOnlyList<RemoteConnection> Connections)
    : ClusterResponse(Namespace, From, RequestId);

public sealed record ServerSideReplyResponse(string Namespace, string From, string RequestId, EventData? Data) : ClusterResponse(Namespace, From, RequestId);

/// <summary>
/// Never sent: what a bus hands this node's own subscribers when it listens again after a break (its connection
/// dropped), in order after everything it received before: what other nodes published meanwhile did not reach it.
/// </summary>
public sealed record ListeningResumedMessage(string Namespace, string From) : ClusterMessage(Namespace, From);

/// <summary>
/// What a bus carries instead of a message too big for it: where the whole message waits (a row of a table, for
/// PostgreSQL). Never handed to an adapter.
/// </summary>
public sealed record AttachmentNotice(string Namespace, string From, long Id) : ClusterMessage(Namespace, From);
