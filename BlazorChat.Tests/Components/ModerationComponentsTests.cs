using BlazorChat.Components.Ops;
using BlazorChat.Moderation;
using BlazorChat.Monitoring;
using BlazorChat.Session;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

using BlazorChat.Tests.Monitoring;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The dashboard's per-person actions on a real chat server: a row's action opens one dialog, which runs nothing before
/// its confirm step, shows what happened or the refusal, and takes bad input without a crash; the bans and mutes panel
/// lifts a ban or a mute only once confirmed.
/// </summary>
public sealed class ModerationComponentsTests : ChatUiContext
{
    private const string Boss = "user-boss";
    private readonly FakeAccessChecker _access = new FakeAccessChecker().Grant(Boss, ChatHandlers.AdminRole);
    private readonly TestChat _chat;
    private readonly FakeAccountDirectory _accounts = new();
    private readonly DisplayNames _names = new();
    private TestTab _bob = null!;
    private TestTab _bobsOtherTab = null!;

    public ModerationComponentsTests()
    {
        _chat = new TestChat(access: _access);
        var nodes = FakeNodeDirectory.Single("node-a", 2);
        Services.AddSingleton(new OpsDashboard(new AdapterConnectionSource(_chat.Server, nodes), nodes, _access, new ChatEventRing()));
        Services.AddSingleton(_chat.Moderation!);
        Services.AddSingleton<AuthenticationStateProvider>(FixedAuthenticationStateProvider.ForUser(Boss));
        _accounts.Add(Boss, "The Boss", ChatHandlers.AdminRole);
        Services.AddSingleton(new PersonNames(_accounts, _names));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    public override async Task InitializeAsync()
    {
        _bob = await _chat.ConnectAsync("user-bob", "Bob");
        _bobsOtherTab = await _chat.ConnectAsync("user-bob", "Bob");
    }

    protected override Task DisposeTestAsync() => _chat.DisposeAsync().AsTask();

    private ModerationService Moderation => _chat.Moderation!;

    private async Task<IReadOnlyList<AuditEntry>> AuditAsync() => await _chat.AuditLog!.RecentAsync(100, AuditFilter.All);

    // The panel and the provider its dialog renders in; the row's action clicked (its handler waits for the dialog).
    private IRenderedComponent<MudDialogProvider> OpenAction(string label, out IRenderedComponent<ConnectionsPanel> panel)
    {
        var provider = Render<MudDialogProvider>();
        var cut = panel = Render<ConnectionsPanel>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        _ = cut.FindAll($"button[aria-label='{label}']")[0].ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        provider.WaitForAssertion(() => Assert.NotEmpty(provider.FindAll("[role=dialog]")));
        return provider;
    }

    private static void Click(IRenderedComponent<MudDialogProvider> provider, string text) =>
        provider.FindAll("[role=dialog] button").Single(b => b.TextContent.Trim() == text).Click();

    [Fact]
    public async Task Ban_RunsOnlyOnceConfirmed_ThenEndsEveryTabOfThePerson_AndSaysSo()
    {
        var provider = OpenAction("Ban Bob", out _);
        provider.Find("#action-reason").Input("spam <b>links</b>");
        provider.Find("form#person-action").Submit();

        var consequence = provider.Find(".action-consequence").TextContent;
        Assert.Contains("Bob (user-bob) is banned until an administrator lifts it", consequence);
        Assert.Contains("Reason: spam <b>links</b>", consequence);
        Assert.Contains("spam &lt;b&gt;links&lt;/b&gt;", provider.Markup);
        Assert.True(_bob.Socket.Connected);
        Assert.Null(await Moderation.FindBanAsync("user-bob"));
        Assert.Empty(await AuditAsync());

        Click(provider, "Confirm");

        provider.WaitForAssertion(() => Assert.Equal("Bob is banned until lifted.", provider.Find("[role=dialog] [role=status]").TextContent));
        Assert.False(_bob.Socket.Connected);
        Assert.False(_bobsOtherTab.Socket.Connected);
        Assert.Equal("You are banned: spam <b>links</b>", _bob.Socket.DisconnectMessage);
    }

    [Fact]
    public async Task Mute_WithMinutesThatAreNotANumber_SaysWhy_StaysOnTheForm_AndChangesNothing()
    {
        var provider = OpenAction("Mute Bob", out _);
        provider.Find("#action-minutes").Input("ten");
        provider.Find("form#person-action").Submit();

        provider.WaitForAssertion(() => Assert.Contains($"Enter the minutes as a whole number from 1 to {ModerationService.MaxMuteMinutes}.",
            provider.Find("[role=dialog] [role=alert]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Empty(provider.FindAll(".action-consequence"));
        Assert.Empty(await AuditAsync());

        provider.Find("#action-minutes").Input("10");
        provider.Find("form#person-action").Submit();
        provider.WaitForAssertion(() => Assert.Single(provider.FindAll("[role=dialog] button"), b => b.TextContent.Trim() == "Confirm"),
            TimeSpan.FromSeconds(10));
        Click(provider, "Confirm");

        // Waited for with room: the full suite runs beside it on two cores (once, the default second was not enough).
        provider.WaitForAssertion(() => Assert.StartsWith("Bob is muted until", provider.Find("[role=dialog] [role=status]").TextContent, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<ChatRefusedException>(() => Moderation.EnsureNotMutedAsync("user-bob", null));
    }

    [Fact]
    public async Task AnActionRefusedAtConfirm_ShowsTheRefusal_AndNothingChanges()
    {
        var provider = OpenAction("Disconnect Bob", out _);
        provider.Find("form#person-action").Submit();
        _access.Revoke(Boss, ChatHandlers.AdminRole);

        Click(provider, "Confirm");

        provider.WaitForAssertion(() => Assert.Equal(ModerationService.NotAllowed, provider.Find("[role=dialog] [role=alert]").TextContent));
        Assert.True(_bob.Socket.Connected);
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public void DisconnectTab_EndsThatConnectionOnly()
    {
        var provider = OpenAction("Disconnect this tab of Bob", out _);
        provider.Find("form#person-action").Submit();
        Assert.True(_bob.Socket.Connected && _bobsOtherTab.Socket.Connected);

        Click(provider, "Confirm");

        provider.WaitForAssertion(() => Assert.Contains("was disconnected", provider.Find("[role=dialog] [role=status]").TextContent));
        Assert.Single(new[] { _bob, _bobsOtherTab }, t => t.Socket.Connected);
    }

    [Fact]
    public async Task RestrictionsPanel_ListsBansAndMutes_ByName_AsText_AndLiftsABanOnlyOnceConfirmed()
    {
        var boss = TestChat.Principal(Boss);
        await Moderation.BanAsync(boss, "user-bob", null, "<i>spam</i>");
        await Moderation.MuteAsync(boss, ChatServer.MainNamespace, null, "user-carol", 10, "loud");

        _names.Remember("user-bob", "Bob <b>");

        var cut = Render<RestrictionsPanel>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        Assert.Contains("&lt;i&gt;spam&lt;/i&gt;", cut.Markup);
        Assert.Contains("Mute everywhere", cut.Markup);
        // People by the name they go by (a guest's last name here, an account's display name) and their id, as text;
        // by the id alone when no name is known.
        var bob = cut.FindAll("tbody tr").Single(r => r.TextContent.Contains("Ban", StringComparison.Ordinal)).QuerySelectorAll("td");
        Assert.Equal("Bob <b> (user-bob)", bob[0].TextContent);
        Assert.Equal("The Boss (user-boss)", bob[4].TextContent);
        Assert.Contains("Bob &lt;b&gt;", cut.Markup);
        var carol = cut.FindAll("tbody tr").Single(r => r.TextContent.Contains("Mute", StringComparison.Ordinal)).QuerySelectorAll("td");
        Assert.Equal("user-carol", carol[0].TextContent);

        cut.Find("button[aria-label='Unban Bob <b>']").Click();
        Assert.Contains("Lift the ban of Bob &lt;b&gt;?", cut.Markup);
        Assert.NotNull(await Moderation.FindBanAsync("user-bob"));

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm").Click();

        cut.WaitForAssertion(() => Assert.Contains("The ban of Bob <b> is lifted.", cut.Find("[role=status]").TextContent));
        Assert.Null(await Moderation.FindBanAsync("user-bob"));
        Assert.Single(cut.FindAll("tbody tr"));
        Assert.True((await _chat.ConnectAsync("user-bob", "Bob")).Socket.Connected);
    }

    [Fact]
    public void RestrictionsPanel_ForANonAdmin_ShowsTheRefusal_AndNoRows()
    {
        _access.Revoke(Boss, ChatHandlers.AdminRole);

        var cut = Render<RestrictionsPanel>();

        cut.WaitForAssertion(() => Assert.Equal(ModerationService.NotAllowed, cut.Find("[role=alert]").TextContent));
        Assert.Empty(cut.FindAll("tbody tr"));
    }
}
