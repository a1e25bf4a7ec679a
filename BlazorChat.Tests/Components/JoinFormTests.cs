using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

/// <summary>The join form wired to a real <see cref="ChatSession"/> on a real server, as ChatPage wires it.</summary>
public sealed class JoinFormTests : ChatUiContext
{
    private readonly TestChat _chat = new();
    private readonly ChatSession _session;

    public JoinFormTests()
    {
        _session = _chat.NewSession("user-ada");
    }

    protected override Task DisposeTestAsync() => _chat.DisposeAsync().AsTask();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Submit_EmptyName_ShowsReasonAndDoesNotJoin(string name)
    {
        var cut = RenderJoinForm();

        cut.Find("#display-name").Input(name);
        cut.Find("form").Submit();

        Assert.False(string.IsNullOrWhiteSpace(cut.Find("#join-error[role=alert]").TextContent));
        Assert.Equal("true", cut.Find("#display-name").GetAttribute("aria-invalid"));
        Assert.False(_session.IsJoined);
    }

    [Fact]
    public void Submit_NameLongerThan32Characters_ShowsReasonAndDoesNotJoin()
    {
        var cut = RenderJoinForm();

        cut.Find("#display-name").Input(new string('a', 33));
        cut.Find("form").Submit();

        Assert.Contains("32", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.False(_session.IsJoined);
        Assert.Equal(0, _chat.Server.Main.ConnectionCount);
    }

    [Fact]
    public async Task Submit_NameTakenByAnotherPerson_ShowsTheReason()
    {
        Assert.Null(await _chat.NewSession("user-other").JoinAsync("Ada"));
        var cut = RenderJoinForm();

        cut.Find("#display-name").Input("ada");
        cut.Find("form").Submit();

        Assert.Contains("already called", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.False(_session.IsJoined);
    }

    [Fact]
    public void Submit_ValidName_JoinsWithoutAReason()
    {
        var cut = RenderJoinForm();

        cut.Find("#display-name").Input(" Ada ");
        cut.Find("form").Submit();

        Assert.True(string.IsNullOrWhiteSpace(cut.Find("[role=alert]").TextContent));
        Assert.True(_session.IsJoined);
        Assert.Equal("Ada", _session.DisplayName);
        Assert.Equal("user-ada", _session.UserId);
        Assert.False(cut.Find("#display-name").HasAttribute("disabled"));
    }

    [Fact]
    public void NotEnabled_DisablesTheInputAndTheButton()
    {
        var cut = Render<JoinForm>(ps => ps.Add(p => p.OnJoin, _session.JoinAsync).Add(p => p.Enabled, false));

        Assert.True(cut.Find("#display-name").HasAttribute("disabled"));
        Assert.True(cut.Find("button[type=submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void InitialName_IsFilledIn()
    {
        var cut = Render<JoinForm>(ps => ps.Add(p => p.OnJoin, _session.JoinAsync).Add(p => p.InitialName, "Ada"));

        Assert.Equal("Ada", cut.Find("#display-name").GetAttribute("value"));
    }

    [Fact]
    public void NameInput_HasAnAccessibleName()
    {
        var cut = RenderJoinForm();

        Assert.Equal("Display name", cut.Find("label[for=display-name]").TextContent);
    }

    private IRenderedComponent<JoinForm> RenderJoinForm() => Render<JoinForm>(ps => ps.Add(p => p.OnJoin, _session.JoinAsync));
}
