using BlazorChat.Components.Ops;
using BlazorChat.Moderation;
using BlazorChat.Tests.Infrastructure;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The dashboard's moderation parts on a real chat: the notice and room membership forms do nothing before Confirm,
/// show the result or the refusal as text; the audit log pages, newest first.
/// </summary>
public sealed class OpsModerationComponentsTests : ChatUiContext
{
    private const string Boss = "user-boss";
    private readonly FakeAccessChecker _access = new FakeAccessChecker().Grant(Boss, ChatHandlers.AdminRole);
    private readonly TestChat _chat;

    public OpsModerationComponentsTests()
    {
        _chat = new TestChat(access: _access);
        Services.AddSingleton(_chat.Moderation!);
        Services.AddSingleton(new BlazorChat.Monitoring.OpsDashboard(BlazorChat.Tests.Monitoring.FakeConnectionSource.WithPeople(0),
            new BlazorChat.Tests.Monitoring.FakeNodeDirectory(), _access, _chat.Events));
    }

    protected override Task DisposeTestAsync() => _chat.DisposeAsync().AsTask();

    private void SignInAs(string userId)
    {
        Services.AddSingleton<AuthenticationStateProvider>(FixedAuthenticationStateProvider.ForUser(userId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    private async Task<IReadOnlyList<ChatMessage>> GeneralAsync(TestTab reader) =>
        Assert.IsType<HistoryPage>(await reader.SendAsync(ChatEvents.History, new HistoryRequest(RoomNames.General))).Messages;

    private Task<IReadOnlyList<AuditEntry>> AuditAsync() => _chat.AuditLog!.RecentAsync(100, AuditFilter.All);

    [Fact]
    public async Task NoticeForm_PostsNothingBeforeConfirm_ThenPostsAndSaysWhere()
    {
        SignInAs(Boss);
        var alice = await _chat.ConnectAsync("user-alice", "Alice");
        var cut = Render<NoticeForm>();

        cut.Find("textarea[aria-label='Notice text']").Input("Maintenance <b>tonight</b>");
        cut.Find("form").Submit();

        var confirm = cut.Find("[role=group]");
        Assert.Contains("everyone in / (its #general room)", confirm.TextContent, StringComparison.Ordinal);
        Assert.Contains("Maintenance <b>tonight</b>", confirm.TextContent, StringComparison.Ordinal); // as text
        Assert.Empty(await GeneralAsync(alice));
        Assert.Empty(await AuditAsync());

        await cut.InvokeAsync(() => cut.FindAll("[role=group] button").Single(b => b.TextContent == "Confirm").Click());

        cut.WaitForAssertion(() => Assert.Equal("Posted to / #general as message 1.", cut.Find("[role=status]").TextContent));
        Assert.Equal("Maintenance <b>tonight</b>", Assert.Single(await GeneralAsync(alice)).Text);
        Assert.Empty(cut.FindAll("[role=group]"));
    }

    [Fact]
    public async Task NoticeForm_Cancelled_PostsNothing_AndEmptyTextIsRefusedBeforeAnyConfirm()
    {
        SignInAs(Boss);
        var alice = await _chat.ConnectAsync("user-alice", "Alice");
        var cut = Render<NoticeForm>();

        cut.Find("form").Submit();
        Assert.Equal(ChatRules.EmptyMessageReason, cut.Find("[role=alert]").TextContent);
        Assert.Empty(cut.FindAll("[role=group]"));

        cut.Find("textarea[aria-label='Notice text']").Input("hello");
        cut.Find("form").Submit();
        cut.FindAll("[role=group] button").Single(b => b.TextContent == "Cancel").Click();

        Assert.Empty(cut.FindAll("[role=group]"));
        Assert.Empty(await GeneralAsync(alice));
    }

    [Fact]
    public async Task NoticeForm_ForANonAdmin_ShowsTheRefusal_AndPostsNothing()
    {
        SignInAs("user-mallory");
        var alice = await _chat.ConnectAsync("user-alice", "Alice");
        var cut = Render<NoticeForm>();

        cut.Find("textarea[aria-label='Notice text']").Input("hello");
        cut.Find("form").Submit();
        await cut.InvokeAsync(() => cut.FindAll("[role=group] button").Single(b => b.TextContent == "Confirm").Click());

        cut.WaitForAssertion(() => Assert.Equal(ModerationService.NotAllowed, cut.Find("[role=alert]").TextContent));
        Assert.Empty(await GeneralAsync(alice));
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task RoomMembershipForm_MovesNobodyBeforeConfirm_ThenJoinsThePerson_AndShowsABadRoomsRefusal()
    {
        SignInAs(Boss);
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var cut = Render<RoomMembershipForm>();

        cut.Find("input[aria-label='Membership room']").Input("design");
        cut.Find("input[aria-label='Membership person']").Input("user-bob");
        cut.Find("form").Submit();

        Assert.Contains("Make every tab of the person user-bob in / join #design.", cut.Find("[role=group]").TextContent, StringComparison.Ordinal);
        Assert.False(bob.Socket.IsIn("design"));
        await cut.InvokeAsync(() => cut.FindAll("[role=group] button").Single(b => b.TextContent == "Confirm").Click());
        cut.WaitForAssertion(() => Assert.Equal("1 connection joined #design.", cut.Find("[role=status]").TextContent));
        Assert.True(bob.Socket.IsIn("design"));

        cut.Find("input[aria-label='Membership room']").Input("no such room!");
        cut.Find("form").Submit();
        await cut.InvokeAsync(() => cut.FindAll("[role=group] button").Single(b => b.TextContent == "Confirm").Click());
        cut.WaitForAssertion(() => Assert.Contains("room name", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.Find("[role=status]").TextContent);
    }

    [Fact]
    public void RoomMembershipForm_WithNeitherPersonNorConnection_SaysSo_AndOffersNoConfirm()
    {
        SignInAs(Boss);
        var cut = Render<RoomMembershipForm>();

        cut.Find("input[aria-label='Membership room']").Input("design");
        cut.Find("form").Submit();

        Assert.Contains("Name either one person", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[role=group]"));
    }

    [Fact]
    public async Task AuditLogPanel_ShowsTheNewestFirst_OnePageAtATime()
    {
        SignInAs(Boss);
        for (var i = 0; i < 25; i++)
            await _chat.Moderation!.PostNoticeAsync(TestChat.Principal(Boss), "/", null, $"notice {i}");

        var cut = Render<AuditLogPanel>(p => p.Add(a => a.PageSize, 10));

        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("tbody tr").Count));
        Assert.Contains("notice 24", cut.FindAll("tbody tr")[0].TextContent, StringComparison.Ordinal);
        Assert.Contains(AuditActions.Notice, cut.FindAll("tbody tr")[0].TextContent, StringComparison.Ordinal);
        Assert.True(cut.FindAll("button").Single(b => b.TextContent == "Newer").HasAttribute("disabled"));

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent == "Older").Click());
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent == "Older").Click());

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("tbody tr").Count));
        Assert.Contains("notice 4", cut.FindAll("tbody tr")[0].TextContent, StringComparison.Ordinal);
        Assert.True(cut.FindAll("button").Single(b => b.TextContent == "Older").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AuditLogPanel_ForANonAdmin_ShowsTheRefusal_AndNoEntries()
    {
        SignInAs("user-mallory");
        await _chat.Moderation!.PostNoticeAsync(TestChat.Principal(Boss), "/", null, "secret");

        var cut = Render<AuditLogPanel>();

        cut.WaitForAssertion(() => Assert.Equal(ModerationService.NotAllowed, cut.Find("[role=alert]").TextContent));
        Assert.Empty(cut.FindAll("tbody tr"));
        Assert.DoesNotContain("secret", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventLog_ShowsAdminActionsAsTheirOwnKind_AndFiltersByIt()
    {
        SignInAs(Boss);
        var cut = Render<EventLogPanel>();
        _chat.Events.Record(BlazorChat.Monitoring.ChatEventRing.Connected, "/", "c.1", "user-alice", "Alice");

        await _chat.Moderation!.PostNoticeAsync(TestChat.Principal(Boss), "/", null, "Maintenance tonight");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        Assert.Contains(cut.FindAll("select[aria-label='Event kind'] option"), o => o.GetAttribute("value") == BlazorChat.Monitoring.ChatEventRing.AdminAction);
        cut.Find("select[aria-label='Event kind']").Change(BlazorChat.Monitoring.ChatEventRing.AdminAction);

        var row = Assert.Single(cut.FindAll("tbody tr"));
        Assert.Contains("notice /#general: Maintenance tonight", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(Boss, row.TextContent, StringComparison.Ordinal);
    }
}
