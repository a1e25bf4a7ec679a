using System.Text.Json;

namespace BlazorChat.Tests.Hosting;

/// <summary>
/// The runtime settings the app ships with (its runtimeconfig.json, which <c>dotnet run</c> and every published copy
/// read): server GC, and no dynamic PGO, whose instrumented tier made a fresh server spend a quarter of its CPU
/// recompiling while the first thousand people joined (see the project file).
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void TheApp_RunsWithServerGc_AndWithoutDynamicPgo()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "BlazorChat.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }
}
