using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class BunitWaitsTests
{
    [Fact]
    public void EveryWaitForWaitsUpToTheTestAssemblysLimit_NotBunitsOneSecond() =>
        Assert.Equal(BunitWaits.Limit, BunitContext.DefaultWaitTimeout);
}
