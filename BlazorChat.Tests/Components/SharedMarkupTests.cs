using BlazorChat.Components.Layout;
using BlazorChat.Components.Shared;
using Bunit;
using Microsoft.AspNetCore.Components;
using BlazorChat.Tests.Infrastructure;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>
/// What every tab shows the same (icons, headings, form labels, button and panel classes) is one string made once and
/// shared by every circuit, and an icon is one markup frame: each of those a tab built for itself was a copy in its render
/// trees, kept twice (the current tree and the buffer for the next).
/// </summary>
public sealed class SharedMarkupTests : BunitContext
{
    [Fact]
    public void AnIcon_IsOneMarkupString_MadeOnce_AsMudIconDrawsIt()
    {
        var first = Glyph.Mud(Icons.Material.Filled.Send);
        var again = Glyph.Mud(Icons.Material.Filled.Send);

        Assert.Same(first.Value, again.Value);
        Assert.Equal(
            $"<svg class=\"mud-icon-root mud-svg-icon mud-icon-size-medium\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">{Icons.Material.Filled.Send}</svg>",
            first.Value);
        Assert.Same(Glyph.Of(Icons.Material.Filled.Lock).Value, Glyph.Of(Icons.Material.Filled.Lock).Value);
        Assert.StartsWith("<svg class=\"glyph\"", Glyph.Of(Icons.Material.Filled.Lock).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppBarsTitle_IsOneMarkupFrame_WithANamespaceAndAPersonsNameAsText()
    {
        const string name = "<img src=x onerror=alert(1)> & \"Bob\"";
        var cut = Render(b => b.AddContent(0, SharedMarkup.RoomTitle("/tenant-a&b", name)));

        Assert.Empty(cut.FindAll("img"));
        Assert.Equal("/tenant-a&b", cut.Find(".room-title .ns").TextContent);
        Assert.Equal(name, cut.Find(".room-title bdi").TextContent);
        Assert.Equal(1, FrameCensus.Take(this).Values.Sum() - FramesOfAnEmptyFragment());
    }

    [Fact]
    public void AButtonWithAnIcon_HoldsTheIconAsOneFrame()
    {
        var cut = Render(ChatIconButton.Of(Icons.Material.Filled.Edit, "Change name", EventCallback.Empty));

        Assert.Equal("true", cut.Find("button svg").GetAttribute("aria-hidden"));
        // The button (1), its five attributes and the icon (1); the icon built element by element was six frames more.
        Assert.Equal(7, FrameCensus.Take(this).Values.Sum() - FramesOfAnEmptyFragment());
    }

    private int FramesOfAnEmptyFragment()
    {
        using var empty = new BunitContext();
        empty.Render(builder => { });
        return FrameCensus.Take(empty).Values.Sum();
    }

    [Fact]
    public void HeadingsAndLabels_WrittenInTheCode_AreSharedStrings_AndAnyTextIsEncoded()
    {
        Assert.Same(SharedMarkup.Heading("Rooms").Value, SharedMarkup.Heading("Rooms").Value);
        Assert.Equal("<h2 class=\"side-heading\">Rooms</h2>", SharedMarkup.Heading("Rooms").Value);
        Assert.Same(SharedMarkup.HiddenLabel("new-room", "New room").Value, SharedMarkup.HiddenLabel("new-room", "New room").Value);

        // Text made at run time is never kept in the shared table (it could grow without end), and is always encoded.
        var made = new string(['<', 'b', '>', '&']);
        var markup = SharedMarkup.ButtonLabel(made).Value;
        Assert.Equal("<span class=\"mud-button-label\">&lt;b&gt;&amp;</span>", markup);
        Assert.NotSame(markup, SharedMarkup.ButtonLabel(new string(['<', 'b', '>', '&'])).Value);
    }

    [Fact]
    public void ButtonAndPanelClasses_AreTheSameStringForEveryTab()
    {
        Assert.Same(MudButtonLook.Button(ButtonKind.Header, small: false, null), MudButtonLook.Button(ButtonKind.Header, small: false, null));
        Assert.Same(MudButtonLook.Button(ButtonKind.Main, small: false, "composer-send"), MudButtonLook.Button(ButtonKind.Main, small: false, "composer-send"));
        Assert.Same(MudButtonLook.Icon("start", small: false), MudButtonLook.Icon("start", small: false));
        Assert.Same(new SidePanel().PanelClass, new SidePanel().PanelClass);
        Assert.Same(new SidePanel().LayoutClass(hasPanel: true), new SidePanel().LayoutClass(hasPanel: true));
        // A class made at run time still works, uncached.
        var extra = new string(['x', '-', '1']);
        Assert.EndsWith(" x-1", MudButtonLook.Button(ButtonKind.Main, small: true, extra), StringComparison.Ordinal);
    }
}
