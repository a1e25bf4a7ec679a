using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class ComposerTests : ChatUiContext
{
    private readonly List<string> _sent = [];


    [Fact]
    public async Task Disposing_DetachesTheBrowserListeners_SoNoneOutlivesTheComposer()
    {
        var module = JSInterop.SetupModule("./Components/Chat/Composer.razor.js");
        var attachment = module.SetupModule(invocation => invocation.Identifier == "attach");
        var detach = attachment.SetupVoid("detach");
        RenderComposer();
        Assert.Single(module.Invocations, i => i.Identifier == "attach");

        await DisposeComponentsAsync();

        detach.VerifyInvoke("detach");
    }

    [Fact]
    public void TheBox_IsATextArea_ThatGrowsByCss_WithoutAJsCallFromTheServer()
    {
        var cut = RenderComposer();

        var box = cut.Find("#message-input");
        Assert.Equal("TEXTAREA", box.TagName);
        // No JS call from the server per keystroke to size the box (MudBlazor's auto-grow made one at every change of the
        // text), nor one to focus it (attach() does).
        var calls = JSInterop.Invocations.Count;
        cut.Find("#message-input").Input("a longer message");
        Assert.Equal(calls, JSInterop.Invocations.Count);
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier.StartsWith("mudInputAutoGrow", StringComparison.Ordinal)
            || i.Identifier.EndsWith(".focus", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Submit_EmptyMessage_ShowsReasonAndSendsNothing(string text)
    {
        var cut = RenderComposer();

        cut.Find("#message-input").Input(text);
        cut.Find("form").Submit();

        Assert.False(string.IsNullOrWhiteSpace(cut.Find("[role=alert]").TextContent));
        Assert.Equal("true", cut.Find("#message-input").GetAttribute("aria-invalid"));
        Assert.Empty(_sent);
    }

    [Fact]
    public void Submit_MessageOverTheLimit_ShowsReasonKeepsTextAndSendsNothing()
    {
        var text = new string('x', ChatRules.MaxMessageLength + 1);
        var cut = RenderComposer();

        cut.Find("#message-input").Input(text);
        cut.Find("form").Submit();

        Assert.Contains("4,000", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Equal(text, cut.Find("#message-input").GetAttribute("value"));
        Assert.Empty(_sent);
    }

    [Fact]
    public void Typing_OverTheLimit_ShowsTheCounterMarkedOver()
    {
        var cut = RenderComposer();
        Assert.True(cut.Find("#composer-count").HasAttribute("hidden"));

        cut.Find("#message-input").Input(new string('x', ChatRules.MaxMessageLength + 1));

        var counter = cut.Find("#composer-count");
        Assert.False(counter.HasAttribute("hidden"));
        Assert.True(counter.ClassList.Contains("over"));
    }

    [Fact]
    public void Submit_ValidMessage_SendsItAndLeavesClearingTheBoxToTheBrowser()
    {
        var cut = RenderComposer();

        cut.Find("#message-input").Input("  hello  ");
        cut.Find("form").Submit();

        Assert.Equal(["hello"], _sent);
        // The server renders no new value (it could land after the next keystrokes): Composer.razor.js clears the box.
        Assert.Equal("  hello  ", cut.Find("#message-input").GetAttribute("value"));
        Assert.True(string.IsNullOrWhiteSpace(cut.Find("[role=alert]").TextContent));
        cut.Find("#message-input").Input("");
        Assert.Equal(string.Empty, cut.Find("#message-input").GetAttribute("value"));
    }

    [Fact]
    public void Submit_Refused_PutsTheTextBackWhenTheBrowsersClearArrives()
    {
        var cut = RenderComposer();
        var tooLong = new string('x', ChatRules.MaxMessageLength + 1);
        cut.Find("#message-input").Input(tooLong);

        cut.Find("form").Submit();
        cut.Find("#message-input").Input(""); // the browser's clear after every submit

        Assert.Empty(_sent);
        Assert.Equal(tooLong, cut.Find("#message-input").GetAttribute("value"));
        Assert.Contains("limit", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    // PostgreSQL away: Send answers "Not sent" after the browser's clear has already reached the server (the usual order,
    // as a send takes a round trip to the database). The text comes back once; pressed again when the database is back,
    // it is sent and the box stays empty, so nobody presses Send on it a second time and sends the same words twice.
    [Fact]
    public void Submit_RefusedAfterTheBrowsersClear_ThenSent_LeavesTheBoxEmpty()
    {
        var replies = new Queue<TaskCompletionSource<string?>>();
        var sent = new List<string?>();
        var cut = Render<Composer>(ps => ps.Add(p => p.OnSend, text =>
        {
            sent.Add(text);
            var reply = new TaskCompletionSource<string?>();
            replies.Enqueue(reply);
            return reply.Task;
        }));
        cut.Find("#message-input").Input("Alice #002");

        cut.Find("form").Submit();
        cut.Find("#message-input").Input(""); // the browser's clear, before the answer
        cut.InvokeAsync(() => replies.Dequeue().SetResult("Not sent: press Send to retry."));
        Assert.Equal("Alice #002", cut.Find("#message-input").GetAttribute("value"));

        cut.Find("form").Submit();
        cut.Find("#message-input").Input("");
        cut.InvokeAsync(() => replies.Dequeue().SetResult(null));

        Assert.Equal(["Alice #002", "Alice #002"], sent);
        Assert.Equal(string.Empty, cut.Find("#message-input").GetAttribute("value"));
        Assert.True(string.IsNullOrWhiteSpace(cut.Find("[role=alert]").TextContent));
    }

    [Fact]
    public void Submit_AfterARefusal_ClearsTheReasonOnSuccess()
    {
        var cut = RenderComposer();
        cut.Find("form").Submit();
        Assert.False(string.IsNullOrWhiteSpace(cut.Find("[role=alert]").TextContent));

        cut.Find("#message-input").Input("now with text");
        cut.Find("form").Submit();

        Assert.True(string.IsNullOrWhiteSpace(cut.Find("[role=alert]").TextContent));
        Assert.Equal("false", cut.Find("#message-input").GetAttribute("aria-invalid"));
        Assert.Equal(["now with text"], _sent);
    }

    [Fact]
    public void MessageInput_HasAnAccessibleName()
    {
        var cut = RenderComposer();

        Assert.Equal("Message", cut.Find("label[for=message-input]").TextContent);
    }

    /// <summary>OnSend behaves like ChatSession.Send: the rules decide, and only accepted text counts as sent.</summary>
    private IRenderedComponent<Composer> RenderComposer() => Render<Composer>(ps => ps.Add(p => p.OnSend, text =>
    {
        var reason = ChatRules.ValidateMessage(text, out var normalized);
        if (reason is null)
            _sent.Add(normalized);
        return Task.FromResult(reason);
    }));
}
