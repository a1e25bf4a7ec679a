using BlazorChat.Accounts;

namespace BlazorChat.Tests.Accounts;

public sealed class AccessChangedSubscriptionTests
{
    private readonly FakeAccessChecker _checker = new();

    // SubscribeAccessChanged is the seam's own (a default interface method): callers hold the interface.
    private IAccessChecker Checker => _checker;

    [Fact]
    public void ASubscription_HearsEveryChange_UntilDisposed()
    {
        var heard = new List<string>();
        var subscription = Checker.SubscribeAccessChanged(heard.Add);
        _checker.Notify("user-ada");

        subscription.Dispose();
        _checker.Notify("user-bob");

        Assert.Equal(["user-ada"], heard);
        Assert.Equal(0, _checker.SubscriberCount);
    }

    [Fact]
    public void DisposedTwice_RemovesOnlyItsOwnHandler_Once()
    {
        Action<string> handler = _ => { };
        using var other = Checker.SubscribeAccessChanged(handler);
        var subscription = Checker.SubscribeAccessChanged(handler); // the same handler twice, as two subscriptions

        subscription.Dispose();
        subscription.Dispose();

        Assert.Equal(1, _checker.SubscriberCount);
    }
}
