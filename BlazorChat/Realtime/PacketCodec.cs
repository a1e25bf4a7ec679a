using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BlazorChat.Realtime;

/// <summary>
/// Turns packets into JSON and back, payload types included, so a multi-node adapter can carry them between
/// servers. Every concrete <see cref="EventData"/> record in the given assemblies is a known payload type,
/// named by its type name; an unknown type name is refused, never guessed.
/// </summary>
public sealed class PacketCodec
{
    private readonly JsonSerializerOptions _options;

    public PacketCodec(params Assembly[] payloadAssemblies)
    {
        var payloadTypes = payloadAssemblies.Append(typeof(EventData).Assembly).Distinct()
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(EventData).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        PayloadTypes = payloadTypes;

        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (info.Type != typeof(EventData))
                return;
            info.PolymorphismOptions = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = "$type",
                UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            };
            foreach (var type in payloadTypes)
                info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
        });
        _options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = resolver };
    }

    /// <summary>The payload types this codec knows.</summary>
    public IReadOnlyList<Type> PayloadTypes { get; }

    public byte[] Serialize(Packet packet) => JsonSerializer.SerializeToUtf8Bytes(packet, _options);

    /// <exception cref="JsonException">Not a packet, or a payload type this codec does not know.</exception>
    public Packet Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<Packet>(json, _options) ?? throw new JsonException("The JSON held no packet.");

    /// <summary>Serialises any seam value (options, connections, ack results) with the same payload rules.</summary>
    public byte[] SerializeValue<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, _options);

    public T? DeserializeValue<T>(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<T>(json, _options);
}
