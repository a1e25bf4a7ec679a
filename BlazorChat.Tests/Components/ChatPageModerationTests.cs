using BlazorChat.Components.Layout;
using BlazorChat.Moderation;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The chat page's moderation: one "Delete a message…" control per transcript for an admin (the account now), a
/// dialog to pick and confirm, nothing deleted before it; no control at all for anyone else. A moderator's room move
/// shows in the room list with a line saying why; a system notice renders as a notice, as text.
/// </summary>
[Collection(WholePageCollection.Name)]
public sealed class ChatPageModerationTests() : WholePageContext(new TestChat(access: new FakeAccessChecker()))
{
    private FakeAccessChecker Accounts => (FakeAccessChecker)Chat.Access;

    [Fact]
    public async Task Admin_PicksAMessage_NothingIsDeletedBeforeConfirming_ThenItShowsAsRemoved()
    {
        Accounts.Grant(UserId, ChatHandlers.AdminRole);
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        var sent = await bob.SendMessageAsync(RoomNames.General, "buy cheap pills");
        cut.WaitForAssertion(() => Assert.Contains("buy cheap pills", cut.Find("[role=log]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Single(cut.FindAll(".delete-message-button"));

        await cut.InvokeAsync(() => cut.Find(".delete-message-button").Click());
        cut.WaitForAssertion(() => cut.Find("#delete-message-pick"), Wait);
        await cut.InvokeAsync(() => cut.Find("#delete-message-pick").Change(sent.Id.ToString("D")));
        Assert.Empty(bob.Events.OfType<MessageRemoved>());
        Assert.Empty(await Chat.AuditLog!.RecentAsync(10, AuditFilter.All));

        await cut.InvokeAsync(() => cut.Find("form#delete-message-form").Submit());

        await bob.Events.WaitForAsync<MessageRemoved>(r => r.Id == sent.Id);
        cut.WaitForAssertion(() =>
        {
            Assert.DoesNotContain("buy cheap pills", cut.Find("[role=log]").TextContent, StringComparison.Ordinal);
            Assert.Single(cut.FindAll("[role=log] article.removed"));
        }, Wait);
    }

    [Fact]
    public async Task NonAdmin_GetsNoDeleteControl_AndNoExtraMarkupOnMessages()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "hello");
        cut.WaitForAssertion(() => Assert.Contains("hello", cut.Find("[role=log]").TextContent, StringComparison.Ordinal), Wait);

        Assert.Empty(cut.FindAll(".delete-message-button"));
        Assert.DoesNotContain("Delete", cut.Find("[role=log]").InnerHtml, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AModeratorsRoomMove_ShowsTheRoomInTheList_WithALineSayingWhy()
    {
        var cut = RenderJoined("Ada");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("button[aria-label='Leave general']")), Wait);

        Accounts.Grant("user-root", ChatHandlers.AdminRole);
        await Chat.Moderation!.AddToRoomAsync(TestChat.Principal("user-root"), "/", "design", null, UserId, null);

        cut.WaitForAssertion(() =>
        {
            Assert.NotNull(cut.Find("button[aria-label='Leave design']"));
            Assert.Contains("A moderator added you to #design.", cut.Find("[role=log]").TextContent, StringComparison.Ordinal);
        }, Wait);
    }

    [Fact]
    public async Task ASystemNotice_RendersAsANotice_AsText()
    {
        Accounts.Grant("user-root", ChatHandlers.AdminRole);
        var cut = RenderJoined("Ada");

        await Chat.Moderation!.PostNoticeAsync(TestChat.Principal("user-root"), "/", null, "Restart at <i>noon</i>");

        cut.WaitForAssertion(() =>
        {
            var notice = cut.Find("[role=log] article.system-notice");
            Assert.Equal("Notice from the system", notice.GetAttribute("aria-label"));
            Assert.Equal("Restart at <i>noon</i>", notice.TextContent);
            Assert.Empty(notice.QuerySelectorAll("i"));
        }, Wait);
    }

    [Fact]
    public async Task APrivateRoomsOwner_GetsTheDeleteControlInTheirRoom_ButNotInGeneral()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        var room = Assert.IsType<PrivateRoomUpdated>(await bob.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("bobs"))).Room;
        await bob.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, UserId));
        await cut.InvokeAsync(() => cut.Find("#message-input"));
        Assert.Empty(cut.FindAll(".delete-message-button"));

        // Ada's own private room: she owns it.
        await cut.InvokeAsync(() => cut.Find("button[aria-label='New private room']").Click());
        cut.WaitForAssertion(() => cut.Find("#private-room-title"), Wait);
        await cut.InvokeAsync(() => cut.Find("#private-room-title").Input("adas"));
        await cut.InvokeAsync(() => cut.Find("form#private-room-form").Submit());
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".delete-message-button")), Wait);

        // Bob's room, where she is a member only.
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("li.private-room button").Count), Wait);
        await cut.InvokeAsync(() => cut.FindAll("li.private-room button").Single(b => b.TextContent.Contains("bobs", StringComparison.Ordinal)).Click());
        cut.WaitForAssertion(() => Assert.Contains("bobs", cut.Find(".room-title").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll(".delete-message-button"));
    }
}
