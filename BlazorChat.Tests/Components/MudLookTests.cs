using BlazorChat.Components.Shared;
using BlazorChat.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The app's own buttons and text field draw MudBlazor's look as single elements: the same classes MudButton,
/// MudIconButton and MudTextField render (compared with MudBlazor's own output here, so a MudBlazor update that
/// changes them fails a test), the same behaviour (submit, links, disabled, click, focus), and the accessible names.
/// </summary>
public sealed class MudLookTests : ChatUiContext
{
    [Theory]
    [InlineData(ButtonKind.Main, false, Variant.Filled, "primary")]
    [InlineData(ButtonKind.Secondary, true, Variant.Outlined, "default")]
    [InlineData(ButtonKind.Plain, false, Variant.Text, "default")]
    [InlineData(ButtonKind.Header, false, Variant.Text, "inherit")]
    public void ChatButton_HasMudButtonsClasses_ForItsKind(ButtonKind kind, bool small, Variant variant, string color)
    {
        var mud = Render<MudButton>(p => p.Add(b => b.Variant, variant).Add(b => b.Size, small ? Size.Small : Size.Medium)
            .Add(b => b.Color, color switch { "primary" => Color.Primary, "inherit" => Color.Inherit, _ => Color.Default }));
        var ours = Render<ChatButton>(p => p.Add(b => b.Kind, kind).Add(b => b.Small, small).AddChildContent("Go"));

        Assert.Equal(Classes(mud.Find("button")), Classes(ours.Find("button")).Except(["header-button"]).ToHashSet());
        Assert.Equal("Go", ours.Find("button > span.mud-button-label").TextContent);
    }

    [Fact]
    public void ChatButton_Submits_ClicksAndIsDisabled_AsAButton()
    {
        var clicks = 0;
        var cut = Render<ChatButton>(p => p.Add(b => b.Submit, true).Add(b => b.OnClick, (MouseEventArgs _) => clicks++)
            .Add(b => b.Icon, Icons.Material.Filled.Login).AddUnmatched("aria-label", "Join now").AddChildContent("Join"));

        var button = cut.Find("button");
        Assert.Equal("submit", button.GetAttribute("type"));
        Assert.Equal("Join now", button.GetAttribute("aria-label"));
        Assert.NotNull(cut.Find("span.mud-button-label > span.mud-button-icon-start > svg.mud-icon-root"));
        button.Click();
        Assert.Equal(1, clicks);

        cut.Render(p => p.Add(b => b.Disabled, true));
        Assert.True(cut.Find("button").HasAttribute("disabled"));
    }

    [Fact]
    public void ChatButton_WithAnAddress_IsALink()
    {
        var cut = Render<ChatButton>(p => p.Add(b => b.Kind, ButtonKind.Header).Add(b => b.Href, "account/signin").AddChildContent("Sign in"));

        var link = cut.Find("a");
        Assert.Equal("account/signin", link.GetAttribute("href"));
        Assert.Contains("header-button", Classes(link));
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void ChatButtonOf_TheMarkupWithoutAComponent_IsTheComponentsElement()
    {
        RenderFragment text = b => b.AddContent(0, "Send");
        var attributes = new Dictionary<string, object> { ["aria-label"] = "Send it", ["title"] = "Sends" };
        var component = Render<ChatButton>(p => p.Add(b => b.Kind, ButtonKind.Main).Add(b => b.Submit, true)
            .Add(b => b.EndIcon, Icons.Material.Filled.Send).Add(b => b.Class, "composer-send")
            .AddUnmatched("aria-label", "Send it").AddUnmatched("title", "Sends").Add(b => b.ChildContent, text));
        var markup = Render(ChatButton.Of(ButtonKind.Main, text, submit: true, endIcon: Icons.Material.Filled.Send, cssClass: "composer-send",
            attributes: attributes));

        markup.MarkupMatches(component.Markup);
        var link = Render(ChatButton.Of(ButtonKind.Header, text, href: "account/signin", icon: Icons.Material.Filled.Login));
        Assert.Equal("account/signin", link.Find("a").GetAttribute("href"));
        Assert.Empty(link.FindAll("button"));
    }

    [Fact]
    public void InlineForm_BindsItsTextToTheParent_AndSubmits_AsTheSidePanelsFormsDo()
    {
        string? text = null;
        var submitted = new List<string?>();
        RenderFragment Form(bool busy) => InlineForm.Of("new-room", "New room", text,
            EventCallback.Factory.CreateBinder(this, value => text = value, text ?? ""),
            EventCallback.Factory.Create(this, () => submitted.Add(text)), "Create", placeholder: "New room", buttonLabel: "Create room",
            disabled: busy);
        var cut = Render(Form(busy: false));

        cut.Find("input#new-room").Input("lobby-2");
        cut.Find("form").Submit();

        Assert.Equal(["lobby-2"], submitted);
        Assert.Equal("New room", cut.Find("label[for=new-room]").TextContent);
        var button = cut.Find("button[type=submit]");
        Assert.Equal("Create room", button.GetAttribute("aria-label"));
        Assert.Contains("mud-button-filled-primary", Classes(button));
        Assert.True(Render(Form(busy: true)).Find("button").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ChatIconButton_HasMudIconButtonsClasses_ItsNameAsTooltip_AndPassesAttributesOn(bool small)
    {
        var mud = Render<MudIconButton>(p => p.Add(b => b.Color, Color.Inherit).Add(b => b.Size, small ? Size.Small : Size.Medium));
        var clicks = 0;
        var cut = Render(ChatIconButton.Of(Icons.Material.Filled.Menu, "Menu", EventCallback.Factory.Create(this, () => clicks++), small: small,
            attributes: new Dictionary<string, object> { ["aria-expanded"] = "true" }));

        var button = cut.Find("button");
        Assert.Equal(Classes(mud.Find("button")), Classes(button));
        Assert.Equal("Menu", button.GetAttribute("aria-label"));
        Assert.Equal("Menu", button.GetAttribute("title"));
        Assert.Equal("true", button.GetAttribute("aria-expanded"));
        Assert.Equal("button", button.GetAttribute("type"));
        button.Click();
        Assert.Equal(1, clicks);
    }

    [Fact]
    public void OutlinedField_HasMudTextFieldsOutlinedMarkup_EmptyAndFilled_ErrorAndDisabled()
    {
        foreach (var (value, error, disabled) in new[] { ((string?)null, false, false), ("Ada", false, false), ("Ada", true, true) })
        {
            var mud = Render<MudTextField<string>>(p => p.Add(f => f.Variant, Variant.Outlined).Add(f => f.Label, "Display name")
                .Add(f => f.InputId, "display-name").Add(f => f.Value, value).Add(f => f.Error, error).Add(f => f.Disabled, disabled));
            var ours = Render<OutlinedField>(p => p.Add(f => f.Id, "display-name").Add(f => f.Label, "Display name")
                .Add(f => f.Value, value).Add(f => f.Error, error).Add(f => f.Disabled, disabled));

            foreach (var selector in new[] { ".mud-input-control", ".mud-input", "input", "fieldset", "label" })
                Assert.Equal(Classes(mud.Find(selector)), Classes(ours.Find(selector)));
            var input = ours.Find("input#display-name");
            Assert.Equal(error ? "true" : "false", input.GetAttribute("aria-invalid"));
            Assert.Equal(disabled, input.HasAttribute("disabled"));
            Assert.Equal(value, input.GetAttribute("value"));
            Assert.Equal("Display name", ours.Find("label[for=display-name]").TextContent);
        }
    }

    // The shell draws MudLayout, MudAppBar (with its MudToolBar) and MudMainContent as plain elements: the same classes
    // and roles as MudBlazor renders them with the shell's own classes, and none of those components in the tab.
    [Fact]
    public void TheShell_HasMudLayoutsAppBarsAndMainContentsMarkup_WithoutTheirComponents()
    {
        RenderFragment parts = b =>
        {
            b.OpenComponent<MudAppBar>(0);
            b.AddComponentParameter(1, nameof(MudAppBar.Elevation), 1);
            b.AddComponentParameter(2, nameof(MudAppBar.Class), "chat-header");
            b.AddComponentParameter(3, nameof(MudAppBar.Gutters), false);
            b.CloseComponent();
            b.OpenComponent<MudMainContent>(4);
            b.AddComponentParameter(5, nameof(MudMainContent.Class), "chat-body");
            b.CloseComponent();
        };
        var mud = Render<MudLayout>(p => p.Add(l => l.Class, "chat-layout").Add(l => l.ChildContent, parts));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var ours = Render<BlazorChat.Components.Layout.MainLayout>(p => p.Add(l => l.Body, "the page"));

        foreach (var selector in new[] { ".mud-layout", ".mud-layout > header.mud-appbar", "header > .mud-toolbar", ".mud-layout > .mud-main-content" })
            Assert.Equal(Classes(mud.Find(selector)), Classes(ours.Find(selector)));
        Assert.Equal("toolbar", ours.Find(".mud-toolbar").GetAttribute("role"));
        Assert.Equal("the page", ours.Find(".mud-main-content").TextContent.Trim());
        Assert.Empty(ours.FindComponents<MudLayout>());
        Assert.Empty(ours.FindComponents<MudAppBar>());
        Assert.Empty(ours.FindComponents<MudMainContent>());
    }

    // The composer's box is a textarea of its own in MudTextField's outlined, dense, multi-line look (one component, not
    // four, and one event per keystroke, not three): the same elements and classes, empty and refused.
    [Fact]
    public void ComposersBox_HasMudTextFieldsOutlinedDenseMultiLineMarkup_EmptyAndRefused_AndOnlyAnInputHandler()
    {
        foreach (var refused in new[] { false, true })
        {
            var mud = Render<MudTextField<string>>(p => p.Add(f => f.Variant, Variant.Outlined).Add(f => f.InputId, "message-input")
                .Add(f => f.Lines, 2).Add(f => f.Margin, Margin.Dense).Add(f => f.Placeholder, "Write a message…").Add(f => f.Error, refused)
                .Add(f => f.Class, "composer-input"));
            var ours = Render<BlazorChat.Components.Chat.Composer>(p => p.Add(c => c.OnSend, _ => Task.FromResult<string?>("Refused.")));
            if (refused)
                ours.Find("form").Submit();

            foreach (var selector in new[] { ".mud-input-control", ".mud-input", "textarea", "fieldset" })
                Assert.Equal(Classes(mud.Find(selector)), Classes(ours.Find(selector)));
            var box = ours.Find("textarea#message-input");
            Assert.Equal("2", box.GetAttribute("rows"));
            Assert.Equal("Write a message…", box.GetAttribute("placeholder"));
            Assert.Equal(refused ? "true" : "false", box.GetAttribute("aria-invalid"));
            // MudTextField's box also listens for keydown, keyup and blur (an event to the server each): ours only for input.
            Assert.Equal(["blazor:oninput"], box.Attributes.Select(a => a.Name).Where(n => n.StartsWith("blazor:on", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void OutlinedField_ReportsEveryKeystroke_AndFloatsItsLabelOnceItHasText()
    {
        string? value = null;
        var cut = Render<OutlinedField>(p => p.Add(f => f.Id, "name").Add(f => f.Label, "Name")
            .Add(f => f.ValueChanged, (string? v) => value = v));
        Assert.DoesNotContain("mud-shrink", Classes(cut.Find(".mud-input")));

        cut.Find("input").Input("Ad");
        Assert.Equal("Ad", value);

        cut.Render(p => p.Add(f => f.Value, value));
        Assert.Contains("mud-shrink", Classes(cut.Find(".mud-input")));
    }

    private static HashSet<string> Classes(AngleSharp.Dom.IElement element) =>
        [.. (element.GetAttribute("class") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
