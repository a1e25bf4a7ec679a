using BlazorChat.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The browser tab's title: prerendered into the page's head (PageTitle), then, once interactive, set by one script
/// call whenever it changes, with no head components in the circuit.
/// </summary>
public sealed class DocumentTitleTests : BunitContext
{
    [Fact]
    public void Interactive_SetsTheTitleOncePerChange_WithNoComponentsForTheHead()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var set = JSInterop.SetupVoid("blazorChat.setTitle", _ => true);

        var cut = Render<DocumentTitle>(p => p.Add(t => t.Text, "# general · BlazorChat"));
        cut.Render(p => p.Add(t => t.Text, "# general · BlazorChat"));
        cut.Render(p => p.Add(t => t.Text, "# launch · BlazorChat"));

        Assert.Equal(["# general · BlazorChat", "# launch · BlazorChat"], set.Invocations.Select(i => (string)i.Arguments[0]!));
        Assert.Empty(cut.FindComponents<PageTitle>());
    }

    [Fact]
    public void AScriptThatFails_LeavesTheTitle_AndTheCircuitRunning_AndTheNextChangeTriesAgain()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var set = JSInterop.SetupVoid("blazorChat.setTitle", _ => true);
        set.SetException(new JSException("blazorChat is not defined"));

        var cut = Render<DocumentTitle>(p => p.Add(t => t.Text, "# general · BlazorChat"));
        cut.Render(p => p.Add(t => t.Text, "# general · BlazorChat"));
        cut.Render(p => p.Add(t => t.Text, "# launch · BlazorChat"));

        // Unhandled, the exception would end the render (and in a browser, the circuit) here.
        Assert.Equal(["# general · BlazorChat", "# launch · BlazorChat"], set.Invocations.Select(i => (string)i.Arguments[0]!));
    }

    [Fact]
    public void Prerendered_PutsTheTitleInThePage_WithoutAScriptCall()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Render<DocumentTitle>(p => p.Add(t => t.Text, "Operations · BlazorChat"));

        Assert.Single(cut.FindComponents<PageTitle>());
        Assert.Empty(JSInterop.Invocations);
    }
}
