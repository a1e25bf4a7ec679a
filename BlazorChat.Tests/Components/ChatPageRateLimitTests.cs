using BlazorChat.Components.Layout;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The page of a person over their message limit: the composer says "slow down" with the seconds left, keeps their
/// text, and nothing of it is shown as sent or reaches anyone.
/// </summary>
[Collection(WholePageCollection.Name)]
public sealed class ChatPageRateLimitTests() : WholePageContext(new TestChat(rateLimits: new RateLimitOptions
{
    // Two messages at once, then one every 30 s.
    Messages = new TokenBucketLimit { Permits = 2, Period = TimeSpan.FromMinutes(1), Burst = 2 },
}))
{
    [Fact]
    public async Task AMessageOverTheLimit_ShowsSlowDownWithTheSecondsLeft_KeepsTheText_AndIsNotSent()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[role=log] .notice"), n => n.TextContent == "Bob joined the chat"), Wait);

        foreach (var text in new[] { "one", "two", "three" })
        {
            await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = text }));
            await OnPageAsync(cut, () => cut.Find("form.composer").SubmitAsync());
        }

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("Slow down: you can send again in 30 s. This message was not sent.", cut.Find("#composer-error[role=alert]").TextContent);
            Assert.Equal("three", cut.Find("#message-input").GetAttribute("value"));
            Assert.Equal(["one", "two"], cut.FindAll("[role=log] article.own .text").Select(e => e.TextContent.Trim()));
        }, Wait);
        await bob.BarrierAsync();
        Assert.Equal(["one", "two"], bob.Events.Messages.Select(m => m.Text));
    }

    private static Task OnPageAsync(IRenderedComponent<MainLayout> cut, Func<Task> action) => cut.InvokeAsync(action);
}
