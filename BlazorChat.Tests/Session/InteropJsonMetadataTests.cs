using System.Numerics;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text.Json;
using BlazorChat.Session;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using Microsoft.JSInterop.Infrastructure;

namespace BlazorChat.Tests.Session;

/// <summary>
/// A circuit's JS interop serializer, as the app registers it: it writes and reads what it always did, but no longer
/// builds (and keeps, per circuit) metadata for the generic-math and formatting interfaces of the values it writes.
/// </summary>
public sealed class InteropJsonMetadataTests
{
    [Fact]
    public async Task EachCircuitsRuntime_HasNoMetadataForCapabilityInterfaces_AndWritesItsArgumentsAsBefore()
    {
        await using var app = BuildApp();

        for (var circuit = 0; circuit < 2; circuit++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var options = OptionsOf(scope.ServiceProvider.GetRequiredService<IJSRuntime>());

            // What the runtime writes for a call's arguments (an object[]: every value written as object, by its own type).
            var json = JsonSerializer.Serialize(new object?[] { 7, "text", true, 2.5, null, new ElementReference("el-1") }, options);

            Assert.Equal("""[7,"text",true,2.5,null,{"__internalId":"el-1"}]""", json);
            Assert.False(options.TryGetTypeInfo(typeof(INumber<int>), out _));
            Assert.False(options.TryGetTypeInfo(typeof(IComparable<string>), out _));
            Assert.False(options.TryGetTypeInfo(typeof(ISpanFormattable), out _));
            Assert.False(options.TryGetTypeInfo(typeof(ValueType), out _));
            // What calls and events declare still has its metadata.
            Assert.True(options.TryGetTypeInfo(typeof(IJSVoidResult), out _));
            Assert.True(options.TryGetTypeInfo(typeof(IEnumerable<string>), out _));
            Assert.True(options.TryGetTypeInfo(typeof(EventArgs), out _));
        }
    }

    [Fact]
    public async Task ACircuitsRuntime_StillReadsResultsAndEventArguments()
    {
        await using var app = BuildApp();
        await using var scope = app.Services.CreateAsyncScope();
        var options = OptionsOf(scope.ServiceProvider.GetRequiredService<IJSRuntime>());

        Assert.Equal(-60, JsonSerializer.Deserialize<int>("-60", options));
        Assert.Equal(["a", "b"], JsonSerializer.Deserialize<IEnumerable<string>>("""["a","b"]""", options)!);
        var change = JsonSerializer.Deserialize<ChangeEventArgs>("""{"value":"typed"}""", options)!;
        Assert.Equal("typed", ((JsonElement)change.Value!).GetString());
        Assert.NotNull(JsonSerializer.Deserialize<EventArgs>("{}", options));
    }

    [Theory]
    [InlineData(typeof(INumber<int>))]
    [InlineData(typeof(IAdditionOperators<int, int, int>))]
    [InlineData(typeof(IComparable))]
    [InlineData(typeof(IComparable<string>))]
    [InlineData(typeof(IEquatable<bool>))]
    [InlineData(typeof(IFormattable))]
    [InlineData(typeof(ISpanParsable<int>))]
    [InlineData(typeof(IUtf8SpanFormattable))]
    [InlineData(typeof(IConvertible))]
    [InlineData(typeof(ICloneable))]
    [InlineData(typeof(IDisposable))]
    [InlineData(typeof(ISerializable))]
    [InlineData(typeof(ValueType))]
    [InlineData(typeof(Enum))]
    public void IsCapabilityInterface_ForWhatIsOnlyEverAnAncestor(Type type) =>
        Assert.True(InteropJsonMetadata.IsCapabilityInterface(type));

    [Theory]
    [InlineData(typeof(object))]
    [InlineData(typeof(int))]
    [InlineData(typeof(string))]
    [InlineData(typeof(EventArgs))]
    [InlineData(typeof(IEnumerable<string>))]
    [InlineData(typeof(IReadOnlyDictionary<string, object>))]
    [InlineData(typeof(System.Collections.IEnumerable))]
    [InlineData(typeof(IJSObjectReference))]
    [InlineData(typeof(IJSVoidResult))]
    [InlineData(typeof(IAsyncEnumerable<int>))]
    public void IsCapabilityInterface_NotForWhatACallOrEventMayDeclare(Type type) =>
        Assert.False(InteropJsonMetadata.IsCapabilityInterface(type));

    private static WebApplication BuildApp()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Testing" });
        builder.AddApplicationServices();
        return builder.Build();
    }

    // JSRuntime.JsonSerializerOptions is protected (for derived runtimes); the app reaches it the same way.
    private static JsonSerializerOptions OptionsOf(IJSRuntime runtime) =>
        (JsonSerializerOptions)typeof(JSRuntime).GetProperty("JsonSerializerOptions", BindingFlags.Instance | BindingFlags.NonPublic)!
            .GetValue(runtime)!;
}
