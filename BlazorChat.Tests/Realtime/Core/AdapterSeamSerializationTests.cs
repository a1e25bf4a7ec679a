using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>
/// What a multi-node adapter puts on its bus must survive System.Text.Json: packets, broadcast options, and
/// what it reports back (remote connections, acknowledgements). <see cref="EventData"/> is an abstract base
/// without [JsonDerivedType] attributes, so payloads need their concrete types registered with the serializer
/// (here through a resolver modifier, the way a packet codec would); without that a payload cannot be read back.
/// </summary>
public sealed class AdapterSeamSerializationTests
{
    private static readonly JsonSerializerOptions Plain = new(JsonSerializerDefaults.Web);

    private static readonly JsonSerializerOptions WithPayloadTypes = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                static info =>
                {
                    if (info.Type != typeof(EventData))
                        return;
                    info.PolymorphismOptions = new JsonPolymorphismOptions
                    {
                        TypeDiscriminatorPropertyName = "$type",
                        DerivedTypes =
                        {
                            new JsonDerivedType(typeof(TextData), "text"),
                            new JsonDerivedType(typeof(SequenceData), "sequence"),
                            new JsonDerivedType(typeof(ReplyData), "reply"),
                        },
                    };
                },
            },
        },
    };

    [Fact]
    public void Packet_WithoutPayload_RoundTrips()
    {
        var packet = new Packet("typing");

        var copy = RoundTrip(packet, Plain);

        Assert.Equal(packet, copy);
    }

    [Fact]
    public void Packet_WithRegisteredPayloadType_RoundTripsWithItsConcreteType()
    {
        var packet = new Packet("posted", new SequenceData(3, 42));

        var copy = RoundTrip(packet, WithPayloadTypes);

        Assert.Equal(packet, copy);
        Assert.IsType<SequenceData>(copy.Data);
    }

    [Fact]
    public void Packet_WithUnregisteredPayloadType_FailsLoudlyInsteadOfLosingThePayload()
    {
        var packet = new Packet("posted", new TextData("hello"));

        Assert.ThrowsAny<NotSupportedException>(() => RoundTrip(packet, Plain));
    }

    [Fact]
    public void BroadcastOptions_RoundTripWithRoomsExceptAndFlags()
    {
        var options = BroadcastOptions.ToRooms("room1", "room2") with
        {
            Except = ImmutableHashSet.Create(StringComparer.Ordinal, "room3", "conn-7"),
            Flags = new BroadcastFlags { Volatile = true, Local = true, Timeout = TimeSpan.FromMilliseconds(1500) },
        };

        var copy = RoundTrip(options, Plain);

        Assert.True(copy.Rooms.SetEquals(["room1", "room2"]));
        Assert.True(copy.Except.SetEquals(["room3", "conn-7"]));
        Assert.Equal(options.Flags, copy.Flags);
    }

    [Fact]
    public void BroadcastOptions_Everyone_RoundTripsAsEveryone()
    {
        var copy = RoundTrip(BroadcastOptions.Everyone, Plain);

        Assert.Empty(copy.Rooms);
        Assert.Empty(copy.Except);
        Assert.Equal(BroadcastFlags.None, copy.Flags);
    }

    [Fact]
    public void RemoteConnection_RoundTripsWithItsRooms()
    {
        var remote = new RemoteConnection("c1", "/", "user-1", "Ada", ImmutableHashSet.Create("c1", "room1"), "node-1");

        var copy = RoundTrip(remote, Plain);

        Assert.Equal((remote.Id, remote.Namespace, remote.UserId, remote.DisplayName, remote.ServerId),
            (copy.Id, copy.Namespace, copy.UserId, copy.DisplayName, copy.ServerId));
        Assert.True(copy.Rooms.SetEquals(["c1", "room1"]));
    }

    [Fact]
    public void BroadcastAckResult_RoundTripsRepliesAndMissing()
    {
        var result = new BroadcastAckResult([new AckResponse("c1", new ReplyData("c1")), new AckResponse("c2", null)], ["c3"]);

        var copy = RoundTrip(result, WithPayloadTypes);

        Assert.Equal(result.Responses, copy.Responses);
        Assert.Equal(result.Missing, copy.Missing);
        Assert.False(copy.Complete);
    }

    private static T RoundTrip<T>(T value, JsonSerializerOptions options)
    {
        var json = JsonSerializer.Serialize(value, options);
        return JsonSerializer.Deserialize<T>(json, options) ?? throw new InvalidOperationException($"{json} read back as null.");
    }
}
