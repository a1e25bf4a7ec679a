using System.Security.Claims;
using BlazorChat.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Radzen;

namespace BlazorChat.Tests.Components;

/// <summary>The whole page on a real registry and session, with the user the server would have authenticated.</summary>
public sealed class ChatPageTests : BunitContext
{
    private const string UserId = "user-ada";

    private readonly RecordingLogger<ChatRegistry> _log = new();
    private readonly ChatRegistry _registry;

    public ChatPageTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddRadzenComponents();
        _registry = new ChatRegistry(_log, TimeProvider.System);
        Services.AddSingleton(_registry);
        Services.AddScoped<ChatSession>();
        AddAuthorization().SetAuthorized("Ada").SetClaims(new Claim(ClaimTypes.NameIdentifier, UserId));
    }

    private ChatSession Session => Services.GetRequiredService<ChatSession>();

    [Fact]
    public void Prerendered_DoesNotSubscribeAndDisablesTheJoinForm()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<ChatPage>();

        Assert.Equal(0, Session.SubscriberCount);
        Assert.True(cut.Find("#display-name").HasAttribute("disabled"));
    }

    [Fact]
    public void Interactive_SubscribesOnceAndEnablesTheJoinForm()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = Render<ChatPage>();

        Assert.Equal(1, Session.SubscriberCount);
        Assert.False(cut.Find("#display-name").HasAttribute("disabled"));
    }

    [Fact]
    public void Join_ThroughTheForm_ShowsComposerAndYouInTheOnlineList()
    {
        var cut = RenderJoined("Ada");

        Assert.Equal(new Person(UserId, "Ada"), Session.Person);
        cut.WaitForAssertion(() =>
        {
            var me = Assert.Single(cut.FindAll("ul[aria-label=Online] li"));
            Assert.Contains("(you)", me.TextContent, StringComparison.Ordinal);
        }, EventRecorder.Timeout);
        Assert.Empty(cut.FindAll("#display-name"));
    }

    [Fact]
    public void MessageFromAnotherConnection_Appears()
    {
        var cut = RenderJoined("Ada");
        using var bob = _registry.Connect("bob-tab", new Person("user-bob", "Bob"), _ => Task.CompletedTask);

        bob.Send(ChatRegistry.GeneralRoom, "hello from Bob");

        cut.WaitForAssertion(() =>
        {
            var message = Assert.Single(cut.FindAll("[role=log] article"));
            Assert.Equal("Bob", message.QuerySelector(".author")!.TextContent);
            Assert.Equal("hello from Bob", message.QuerySelector(".text")!.TextContent);
        }, EventRecorder.Timeout);
    }

    [Fact]
    public void AnotherPersonJoiningAndLeaving_UpdatesTheOnlineListAndTheLog()
    {
        var cut = RenderJoined("Ada");

        var bob = _registry.Connect("bob-tab", new Person("user-bob", "Bob"), _ => Task.CompletedTask);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Ada", "Bob"], cut.FindAll("ul[aria-label=Online] .name").Select(e => e.TextContent));
            Assert.Contains(cut.FindAll("[role=log] .notice"), n => n.TextContent == "Bob joined the chat");
        }, EventRecorder.Timeout);

        bob.Dispose();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Ada"], cut.FindAll("ul[aria-label=Online] .name").Select(e => e.TextContent));
            Assert.Contains(cut.FindAll("[role=log] .notice"), n => n.TextContent == "Bob left the chat");
        }, EventRecorder.Timeout);
    }

    [Fact]
    public async Task Send_ThroughTheComposer_ReachesOtherConnections()
    {
        var cut = RenderJoined("Ada");
        var bob = new EventRecorder();
        using var bobConnection = _registry.Connect("bob-tab", new Person("user-bob", "Bob"), bob.DeliverAsync);
        // Let the render caused by Bob's arrival finish first: it re-renders the composer and renews its event handlers.
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[role=log] .notice"), n => n.TextContent == "Bob joined the chat"), EventRecorder.Timeout);

        cut.Find("#message-input").Input("hi Bob");
        cut.Find("form.composer").Submit();

        var events = await bob.WaitForMessageAsync("hi Bob");
        Assert.Equal(new Person(UserId, "Ada"), events.OfType<MessagePosted>().Single().Message.Sender);
        cut.WaitForAssertion(() => Assert.Equal(string.Empty, cut.Find("#message-input").GetAttribute("value")), EventRecorder.Timeout);
    }

    [Fact]
    public async Task Dispose_LeavesNoSubscriptionAndLaterBroadcastsDoNotFail()
    {
        var cut = RenderJoined("Ada");
        using var bob = _registry.Connect("bob-tab", new Person("user-bob", "Bob"), _ => Task.CompletedTask);
        bob.Send(ChatRegistry.GeneralRoom, "before dispose");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[role=log] article")), EventRecorder.Timeout);

        await DisposeComponentsAsync();

        Assert.Equal(0, Session.SubscriberCount);
        Assert.True(Session.IsJoined); // The session belongs to the circuit, not to the page.

        // A probe on the same session sees each later event only after every earlier subscriber has had it.
        var probe = new EventRecorder();
        using var probeSubscription = Session.Subscribe(probe.DeliverAsync);
        var sendAfterDispose = Record.Exception(() =>
        {
            bob.Send(ChatRegistry.GeneralRoom, "after dispose");
            _registry.Broadcast(new PersonLeft(ChatRegistry.GeneralRoom, new Person("user-x", "X"), DateTimeOffset.UnixEpoch), BroadcastTarget.Everyone);
        });
        await probe.WaitUntilAsync(e => e.OfType<PersonLeft>().Any(), "the broadcast after dispose");

        Assert.Null(sendAfterDispose);
        Assert.Empty(_log.Warnings);
    }

    private IRenderedComponent<ChatPage> RenderJoined(string name)
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = Render<ChatPage>();
        cut.Find("#display-name").Input(name);
        cut.Find("form.join-form").Submit();
        cut.WaitForAssertion(() => cut.Find("#message-input"), EventRecorder.Timeout);
        return cut;
    }
}
