using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using BlazorChat.Realtime.Adapters;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>Every payload the chat sends survives the codec a multi-node adapter uses; unknown types are refused.</summary>
public sealed class PacketCodecTests
{
    private static readonly PacketCodec Codec = new(typeof(ChatHandlers).Assembly);

    private static readonly Person Alice = new("user-a", "Alice");
    private static readonly Person Bob = new("user-b", "Bob");
    private static readonly ChatMessage Message = new(Guid.NewGuid(), "general", "c.1", Alice, "hi <b>there</b>", DateTimeOffset.UnixEpoch);

    /// <summary>One sample of every payload type; the completeness test fails when a new type has no sample here.</summary>
    private static readonly PrivateRoomSummary PrivateRoom = new("p.0123456789abcdefABCDEF", "secret-plans", "user-a", [Alice, Bob]);

    public static readonly IReadOnlyList<EventData> Samples =
    [
        new MessagePosted(Message),
        new PersonJoined("/", Alice, DateTimeOffset.UnixEpoch),
        new PersonLeft("/", Bob, DateTimeOffset.UnixEpoch),
        new PeopleChanged("/", [new PresenceChange(Alice, true), new PresenceChange(Bob, false)], [new RoomSummary("general", 1)], DateTimeOffset.UnixEpoch),
        new PeopleCameAndWent("/", 12, 3, DateTimeOffset.UnixEpoch),
        new PeopleOnline("/", [Bob], DateTimeOffset.UnixEpoch),
        new DeliveriesMissed("/"),
        new AccessChangedNotice("user-bob"),
        new SeenPeopleQuery("/", "car", null, "user-alice", 20),
        new SeenPeopleFound([new Person("user-carol", "Carol")]),
        new JoinRoomRequest("design"),
        new LeaveRoomRequest("design"),
        new SendMessageRequest(Guid.NewGuid(), "general", "hello"),
        new SendDirectRequest(Guid.NewGuid(), "user-b", "psst"),
        new TypingRequest("general", true),
        new HistoryRequest("general", Before: 40, Limit: 20),
        new MarkReadRequest("general", 41),
        new HistoryPage("general", [Message with { Sequence = 7 }], HasOlder: true),
        new MessageAccepted(Guid.NewGuid(), DateTimeOffset.UnixEpoch),
        new RoomMembership(["general", "design"]),
        new ReadMarked("general", 41),
        new FindPersonRequest("user-bob"),
        new PersonFound(new Person("user-bob", "Bob")),
        new SearchPeopleRequest("bo"),
        new PeopleFound([new Person("user-bob", "Bob")]),
        new NamespaceWelcome("/", "c.1", Alice, [Alice, Bob], [new RoomSummary("general", 2)], ["general"],
            [new UnreadConversation("dm:user-a:user-b", Bob, 3, 5)], [PrivateRoom]),
        new CreatePrivateRoomRequest("secret-plans"),
        new InviteToRoomRequest(PrivateRoom.Id, "user-b"),
        new RemoveFromRoomRequest(PrivateRoom.Id, "user-b"),
        new PrivateRoomUpdated(PrivateRoom, ["general", PrivateRoom.Id]),
        new PrivateRoomsChanged([PrivateRoom]),
        new ConnectionEnded("/admin", "You have left /admin."),
        new DisconnectNotice("/admin", "access revoked", "You have left /admin."),
        new DirectPosted(Message with { Room = "dm:user-a:user-b" }, Bob),
        new RoomsChanged([new RoomSummary("general", 2), new RoomSummary("design", 1)]),
        new TypingChanged("general", Alice, true),
        new DeliveryReport(Guid.NewGuid(), 3, 2),
        new AnnouncementPosted(Alice, "maintenance at noon", DateTimeOffset.UnixEpoch),
        new BlazorChat.Moderation.DeleteMessageRequest("general", Guid.NewGuid(), "spam"),
        new BlazorChat.Moderation.MessageRemoved("general", Guid.NewGuid(), 7),
        new BlazorChat.Moderation.RoomMovedByModerator("design", true, "A moderator added you to #design."),
        new BlazorChat.Moderation.MuteRequest(PrivateRoom.Id, "user-b", 10, "rude"),
        new BlazorChat.Moderation.UnmuteRequest(null, "user-b"),
        new BlazorChat.Moderation.MuteSet(new BlazorChat.Moderation.Mute("user-b", "*", DateTimeOffset.UnixEpoch, "spam", "user-a")),
        new BlazorChat.Moderation.MuteEnded("user-b", true),
        new BlazorChat.Moderation.MutesChanged("user-b"),
        new BlazorChat.Moderation.DisconnectRequest(null, "user-b", "cool off"),
        new BlazorChat.Moderation.ConnectionsDisconnected(2),
        new BlazorChat.Moderation.DisconnectOrder("c.1", null, "A moderator disconnected you."),
        new BlazorChat.Monitoring.NodeStatusQuery(["/", "/admin"]),
        new BlazorChat.Monitoring.NodeStatusReply(new BlazorChat.Monitoring.NodeSnapshot("node-b", false, TimeSpan.FromMinutes(3), 2, 1L << 20, 0.5),
        [
            new RemoteConnection("c.1", "/tenant-blue", "user-b", "Bob", ImmutableHashSet.Create(StringComparer.Ordinal, "c.1", "general"), "node-b")
            {
                ConnectedAt = DateTimeOffset.UnixEpoch,
                Address = "192.0.2.7",
                Transport = "WebSockets",
            },
        ]),
        new BlazorChat.Monitoring.NodeEventsQuery(new Dictionary<string, long> { ["node-b"] = 12 }),
        new BlazorChat.Monitoring.NodeEvents("node-b", 13,
            [new BlazorChat.Monitoring.MonitoredEvent(DateTimeOffset.UnixEpoch, "connected", "/", "c.1", "user-b", "Bob") { Node = "node-b" }]),
        new BlazorChat.Monitoring.NodeSamplesQuery(),
        new BlazorChat.Monitoring.NodeSamples("node-b", [new BlazorChat.Monitoring.MetricsSample(DateTimeOffset.UnixEpoch, 3, 1.5)]),
        new BlazorChat.Moderation.BanRequest("user-b", null, "spam"),
        new BlazorChat.Moderation.UnbanRequest("user-b"),
        new BlazorChat.Moderation.BanSet(new BlazorChat.Moderation.Ban("user-b", DateTimeOffset.UnixEpoch.AddDays(1), "spam", "user-a")),
        new BlazorChat.Moderation.BanLifted("user-b", true),
    ];

    public static TheoryData<EventData> EachSample() => [.. Samples];

    [Fact]
    public void Codec_KnowsEveryPayloadTypeOfTheApp_AndEachHasASample()
    {
        var sampled = Samples.Select(s => s.GetType()).ToHashSet();
        var missing = Codec.PayloadTypes.Where(t => !sampled.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, $"Payload types without a round-trip sample: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(EachSample))]
    public void Packet_WithAPayload_RoundTripsToAnEqualPacket(EventData payload)
    {
        var packet = new Packet("event", payload);

        var back = Codec.Deserialize(Codec.Serialize(packet));

        Assert.Equal(packet.Event, back.Event);
        Assert.IsType(payload.GetType(), back.Data);
        // Records with list members compare lists by reference: compare their JSON instead.
        Assert.Equal(Encoding.UTF8.GetString(Codec.Serialize(packet)), Encoding.UTF8.GetString(Codec.Serialize(back)));
    }

    [Fact]
    public void Packet_WithAnUnknownPayloadType_IsRefused()
    {
        var json = """{"event":"message","data":{"$type":"EvilPayload","text":"x"}}"""u8.ToArray();

        Assert.ThrowsAny<JsonException>(() => Codec.Deserialize(json));
    }

    [Fact]
    public void BroadcastOptions_RoundTripWithTheirFlags()
    {
        var options = BroadcastOptions.ToRooms("a", "b") with
        {
            Except = ImmutableHashSet.Create(StringComparer.Ordinal, "c"),
            Flags = new BroadcastFlags { Volatile = true, Local = true, Timeout = TimeSpan.FromSeconds(3) },
        };

        var back = Codec.DeserializeValue<BroadcastOptions>(Codec.SerializeValue(options))!;

        Assert.Equal(["a", "b"], back.Rooms.Order());
        Assert.Equal(["c"], back.Except);
        Assert.Equal(options.Flags, back.Flags);
    }
}
