using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// The whole chat page on a real server (<see cref="TestChat"/>) with the session of the user the server would have
/// authenticated (<see cref="UserId"/>). Other people are raw connections (<see cref="TestTab"/>); what they send
/// arrives on another thread, hence WaitForAssertion with <see cref="Wait"/>.
/// </summary>
public abstract class WholePageContext : ChatUiContext
{
    protected const string UserId = "user-ada";

    // Longer than EventRecorder.Timeout: bunit re-checks a WaitForAssertion when the page renders, and a render made on
    // another thread (every broadcast arrives on one) can land between a check and the wait's next look; the next render
    // (a read mark, a typing expiry) then passes it. Passing tests take milliseconds either way.
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    protected WholePageContext(TestChat chat)
    {
        Chat = chat;
        Session = chat.NewSession(UserId);
        Services.AddSingleton(chat.Server);
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(Session);
    }

    protected TestChat Chat { get; }

    /// <summary>The page's own session.</summary>
    protected ChatSession Session { get; }

    /// <summary>Renders the chat page, interactive, and joins under <paramref name="name"/> through the join form.</summary>
    protected IRenderedComponent<BlazorChat.Components.Layout.MainLayout> RenderJoined(string name)
    {
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var cut = this.RenderChatPage();
        cut.Find("#display-name").Input(name);
        cut.Find("form.join-form").Submit();
        cut.WaitForAssertion(() => cut.Find("#message-input"), Wait);
        return cut;
    }

    protected override Task DisposeTestAsync() => Chat.DisposeAsync().AsTask();
}
