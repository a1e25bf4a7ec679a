using BlazorChat.Session;

namespace BlazorChat.Tests.Session;

public sealed class RenderedAcksTests
{
    private readonly List<string> _sent = [];
    private readonly object _page = new();
    private readonly object _transcript = new();

    private RenderedAcks<string> NewAcks() => new(_sent.Add);

    [Fact]
    public void AnEventAppliedWhileARenderIsOnItsWay_IsAcknowledgedByTheNextRender_NotByThatOne()
    {
        var acks = NewAcks();
        acks.Applied("m1");
        acks.Rendering(_transcript); // shows m1
        acks.Applied("m2"); // arrives while that render is unconfirmed

        acks.Rendered(_transcript);
        Assert.Equal(["m1"], _sent);

        acks.Rendering(_transcript); // the folded render: shows m2
        Assert.Equal(["m1"], _sent);
        acks.Rendered(_transcript);
        Assert.Equal(["m1", "m2"], _sent);
    }

    [Fact]
    public void EventsAppliedBeforeOneRender_GoBackTogether_OnceItIsConfirmed()
    {
        var acks = NewAcks();
        acks.Applied("m1");
        acks.Applied("m2");
        acks.Applied("m3");
        Assert.Equal(3, acks.Waiting);

        acks.Rendering(_transcript);
        Assert.Equal(0, acks.Waiting);
        Assert.Empty(_sent);
        acks.Rendered(_transcript);

        Assert.Equal(["m1", "m2", "m3"], _sent);
    }

    [Fact]
    public void EachPart_IsConfirmedForItsOwnRenders_InOrder()
    {
        var acks = NewAcks();
        acks.Applied("joined");
        acks.Rendering(_page); // the page shows the join
        acks.Rendering(_transcript); // a region rendering in the same batch shows nothing more
        acks.Applied("m1");
        acks.Rendering(_transcript); // a later render of the transcript shows m1

        acks.Rendered(_transcript); // the transcript's first render: nothing of its own
        Assert.Empty(_sent);
        acks.Rendered(_page);
        Assert.Equal(["joined"], _sent);
        acks.Rendered(_transcript);
        Assert.Equal(["joined", "m1"], _sent);
    }

    [Fact]
    public void AConfirmationWithNoRenderOfThatPart_SendsNothing()
    {
        var acks = NewAcks();
        acks.Applied("m1");

        acks.Rendered(_page);

        Assert.Empty(_sent);
        Assert.Equal(1, acks.Waiting);
    }

    [Fact]
    public void APartWithEveryRenderConfirmed_IsNotHeld()
    {
        var acks = NewAcks();
        acks.Rendering(_page);
        acks.Rendering(_transcript);
        acks.Rendering(_transcript);

        acks.Rendered(_page);
        acks.Rendered(_transcript);
        Assert.Equal(1, acks.PartsRendering);
        acks.Rendered(_transcript);

        Assert.Equal(0, acks.PartsRendering);
    }
}
