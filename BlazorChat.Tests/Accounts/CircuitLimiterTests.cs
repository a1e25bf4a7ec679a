using BlazorChat.Accounts;

namespace BlazorChat.Tests.Accounts;

public sealed class CircuitLimiterTests
{
    private static CircuitLimiter Limiter(int max) => new(new FixedOptionsMonitor<AccountOptions>(new AccountOptions { MaxCircuitsPerPerson = max }));

    [Fact]
    public void TryAcquire_CountsPerPerson_UpToTheCap()
    {
        var limiter = Limiter(2);

        Assert.True(limiter.TryAcquire("ada"));
        Assert.True(limiter.TryAcquire("ada"));
        Assert.False(limiter.TryAcquire("ada"));
        Assert.True(limiter.TryAcquire("bob"));
        Assert.Equal(2, limiter.CountOf("ada"));
    }

    [Fact]
    public void Release_FreesAPlace_AndNeverGoesBelowZero()
    {
        var limiter = Limiter(1);
        Assert.True(limiter.TryAcquire("ada"));

        limiter.Release("ada");
        limiter.Release("ada");

        Assert.Equal(0, limiter.CountOf("ada"));
        Assert.True(limiter.TryAcquire("ada"));
        Assert.False(limiter.TryAcquire("ada"));
    }

    [Fact]
    public void DefaultCap_IsFive_WithTheMessageThatSaysSo()
    {
        var limiter = Limiter(new AccountOptions().MaxCircuitsPerPerson);

        for (var i = 0; i < 5; i++)
            Assert.True(limiter.TryAcquire("ada"));

        Assert.False(limiter.TryAcquire("ada"));
        Assert.Equal("You already have 5 BlazorChat tabs open. Close one to chat here.", limiter.RefusalMessage);
    }
}
