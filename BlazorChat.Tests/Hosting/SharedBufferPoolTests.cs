namespace BlazorChat.Tests.Hosting;

/// <summary>
/// The server sizes the runtime's shared buffer pool for a big room before anything rents from it, unless the operator's
/// environment already says how large it should be. (That the published app's pool really keeps that many is checked on
/// the running app: HealthAndMetricsTests in e2e reads it from the log.)
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class SharedBufferPoolTests : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(SharedBufferPool.Variable);

    [Fact]
    public void WithNothingSet_ItAsksTheRuntimeFor512ArraysOfEachSizePerCore()
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, null);

        Assert.True(SharedBufferPool.Configure());

        Assert.Equal("512", Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }

    [Theory]
    [InlineData("64")]
    [InlineData("4096")]
    public void AnOperatorsValue_IsKept(string value)
    {
        Environment.SetEnvironmentVariable(SharedBufferPool.Variable, value);

        Assert.False(SharedBufferPool.Configure());

        Assert.Equal(value, Environment.GetEnvironmentVariable(SharedBufferPool.Variable));
    }

    [Fact]
    public void ThisRuntime_SaysWhatItsPoolKeeps()
    {
        // Read from the runtime's own field: if a runtime renames it, the startup log says "an unknown number" and this fails.
        Assert.NotNull(SharedBufferPool.EffectiveArraysPerSizePerCore());
    }

    public void Dispose() => Environment.SetEnvironmentVariable(SharedBufferPool.Variable, _before);
}

/// <summary>Tests that change this process's environment: on their own, so no app a neighbour starts reads it half-changed.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "The process environment";
}
