using BlazorChat.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Components;

/// <summary>
/// Joining through the form when the connect returns only well after its own events reached the page, as on a cluster:
/// there every broadcast (the connect's last one, the room list) is delivered here first and returns after its round
/// trip to the other nodes (the PostgreSQL adapter's NOTIFY). The welcome and the rest have all been applied, and the
/// page rendered, while the session was not in the chat yet; nothing arrives after the join returns. (cluster/run.sh:
/// about half of the browser joins stayed on the join form.)
/// </summary>
[Collection(WholePageCollection.Name)]
public sealed class ChatPageJoinTests() : WholePageContext(new TestChat(adapters: new RoundTripAdapterFactory(RoundTrip)))
{
    private static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(300);
    // Far longer than the connect (a few round trips): a page that is going to show the chat has shown it by then.
    private static new readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Join_ConnectReturningAfterItsEventsWereShown_ShowsTheChat()
    {
        var cut = JoinThroughTheForm("Ada");

        cut.WaitForAssertion(() =>
        {
            Assert.NotNull(cut.Find("#message-input"));
            var me = Assert.Single(cut.FindAll("ul[aria-label=Online] li.online-person"));
            Assert.Contains("(you)", me.TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.True(Session.IsJoined);
        Assert.Empty(cut.FindAll("#display-name"));
    }

    [Fact]
    public async Task Join_ConnectReturningAfterItsEventsWereShown_ShowsWhatWasSaidBefore()
    {
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "said before you came");

        var cut = JoinThroughTheForm("Ada");

        cut.WaitForAssertion(() => Assert.Equal(["said before you came"], Texts(cut)), Wait);
    }

    // A second tab (or a reload) of someone already chatting joins by itself, and on a cluster that can take seconds (a
    // node slow to answer). Meanwhile the page says it is joining, as the prerendered page did, and offers no join form:
    // a form filled in then would vanish under the person's hands when the join ends.
    [Fact]
    public async Task SecondTab_WhileItJoinsByItself_SaysJoiningAndOffersNoForm()
    {
        var first = Chat.NewSession(UserId);
        Assert.Null(await first.JoinAsync("Ada"));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = this.RenderChatPage();

        Assert.False(Session.IsJoined);
        Assert.Contains("Joining as Ada", cut.Find("[role=status].session-joining").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#display-name"));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("#message-input")), Wait);
        Assert.Empty(cut.FindAll("#display-name"));
    }

    private static List<string> Texts(IRenderedComponent<MainLayout> cut) => [.. cut.FindAll("[role=log] article .text").Select(e => e.TextContent)];

    private IRenderedComponent<MainLayout> JoinThroughTheForm(string name)
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = this.RenderChatPage();
        cut.Find("#display-name").Input(name);
        cut.Find("form.join-form").Submit();
        return cut;
    }
}
