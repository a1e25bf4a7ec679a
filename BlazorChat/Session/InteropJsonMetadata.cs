using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.JSInterop;

namespace BlazorChat.Session;

/// <summary>
/// Keeps each circuit's JS interop serializer from reflecting over, and keeping, the capability interfaces of every value
/// it writes.
/// </summary>
/// <remarks>
/// <para>
/// Blazor gives every circuit's <see cref="JSRuntime"/> serializer options of its own (its converters hold the runtime),
/// so nothing the serializer learns about a type is shared between circuits. Interop arguments travel as an
/// <c>object[]</c>, and System.Text.Json writes a value held as <c>object</c> only after looking at each of its base
/// types and interfaces for a polymorphism declaration, building their metadata on the way: for an <c>int</c> some thirty
/// generic-math interfaces (<c>INumber&lt;int&gt;</c>, <c>IAdditionOperators&lt;int, int, int&gt;</c>, ...), for a
/// string or a bool a dozen more. Joining the chat built metadata for 83 types in every circuit, 47 of them such
/// interfaces; 1,000 joined circuits held about 50 KiB each more than with them answered here.
/// </para>
/// <para>
/// The resolver installed here answers "no metadata" for those interfaces (and for <see cref="ValueType"/> and
/// <see cref="Enum"/>), which is what the serializer expects of an ancestor that declares nothing: it goes on to the next.
/// No interop call declares its argument or result as one of them. Every other type goes to the reflection resolver the
/// options would have used anyway, so what is written and read does not change. Collection interfaces are left to it too:
/// a JS call may well return an <c>IEnumerable&lt;T&gt;</c>.
/// </para>
/// <para>
/// The options are reached through <c>JSRuntime.JsonSerializerOptions</c>, a protected member for derived runtimes; the
/// circuit's runtime is Blazor's own, so it is read by reflection once, when the services are registered. Should a
/// later Blazor rename it or set a resolver of its own, nothing is installed and the circuit works as before
/// (<c>InteropJsonMetadataTests</c> then fails and says so).
/// </para>
/// </remarks>
public static class InteropJsonMetadata
{
    private static readonly Func<JSRuntime, JsonSerializerOptions>? OptionsOf = FindOptionsGetter();

    /// <summary>
    /// Wraps the circuit's <see cref="IJSRuntime"/> registration (call after <c>AddInteractiveServerComponents</c>) so that
    /// each runtime it makes answers capability interfaces with no metadata. Without that registration, or without the
    /// options member, it changes nothing.
    /// </summary>
    public static IServiceCollection AddInteropJsonMetadata(this IServiceCollection services)
    {
        var registration = services.LastOrDefault(d => d.ServiceType == typeof(IJSRuntime));
        if (OptionsOf is null || registration is not { Lifetime: ServiceLifetime.Scoped, ImplementationType: { } runtimeType }
            || !typeof(JSRuntime).IsAssignableFrom(runtimeType))
            return services;
        var create = ActivatorUtilities.CreateFactory(runtimeType, Type.EmptyTypes);
        services.Remove(registration);
        services.AddScoped<IJSRuntime>(provider =>
        {
            var runtime = (JSRuntime)create(provider, null);
            Install(OptionsOf(runtime));
            return runtime;
        });
        return services;
    }

    /// <summary>The resolver installed in a circuit runtime's options: reflection, less the capability interfaces.</summary>
    public static IJsonTypeInfoResolver Resolver { get; } = new WithoutCapabilityInterfaces(new DefaultJsonTypeInfoResolver());

    // Only options nobody has set a resolver on or used yet: Blazor leaves them to the default, filled in on first use.
    private static void Install(JsonSerializerOptions options)
    {
        if (!options.IsReadOnly && options.TypeInfoResolver is null && options.TypeInfoResolverChain.Count == 0)
            options.TypeInfoResolver = Resolver;
    }

    /// <summary>
    /// Whether <paramref name="type"/> is one no interop value is declared as, only ever looked at as an ancestor: the
    /// generic-math and formatting, parsing, comparing and equating interfaces of <c>System</c>, serialization callbacks,
    /// and the base classes of structs and enums.
    /// </summary>
    public static bool IsCapabilityInterface(Type type)
    {
        if (type == typeof(ValueType) || type == typeof(Enum))
            return true;
        if (!type.IsInterface)
            return false;
        switch (type.Namespace)
        {
            case "System.Numerics":
            case "System.Runtime.Serialization":
                return true;
            case "System":
                var name = type.IsGenericType ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] : type.Name;
                return name is "IComparable" or "IEquatable" or "IFormattable" or "ISpanFormattable" or "IUtf8SpanFormattable"
                    or "IParsable" or "ISpanParsable" or "IUtf8SpanParsable" or "IConvertible" or "ICloneable" or "IDisposable"
                    or "IAsyncDisposable" or "IBinaryIntegerParseAndFormatInfo";
            default:
                return false;
        }
    }

    private static Func<JSRuntime, JsonSerializerOptions>? FindOptionsGetter()
    {
        var getter = typeof(JSRuntime).GetProperty("JsonSerializerOptions", BindingFlags.Instance | BindingFlags.NonPublic)?.GetMethod;
        return getter?.ReturnType == typeof(JsonSerializerOptions)
            ? getter.CreateDelegate<Func<JSRuntime, JsonSerializerOptions>>()
            : null;
    }

    private sealed class WithoutCapabilityInterfaces(IJsonTypeInfoResolver inner) : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
            IsCapabilityInterface(type) ? null : inner.GetTypeInfo(type, options);
    }
}
