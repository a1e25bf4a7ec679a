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

    [Fact]
    public async Task APrivateRoomsOwner_MutesAMemberInTheirRoom_OnlyWhenConfirmedWithGoodInput_AndTheirSendsThereAreRefused()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await cut.InvokeAsync(() => cut.Find("#message-input"));
        Assert.Empty(cut.FindAll(".mute-member-button"));
        // Ada's room, made and Bob invited from another tab of hers: the page shows it too (one person across tabs).
        var adasOtherTab = await Chat.ConnectAsync(UserId, "Ada");
        var room = Assert.IsType<PrivateRoomUpdated>(await adasOtherTab.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("adas"))).Room;
        await adasOtherTab.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, "user-bob"));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("li.private-room button")), Wait);
        await cut.InvokeAsync(() => cut.Find("li.private-room button").Click());
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll(".mute-member-button")), Wait);

        await cut.InvokeAsync(() => cut.Find(".mute-member-button").Click());
        cut.WaitForAssertion(() => cut.Find("#mute-member-pick"), Wait);
        await cut.InvokeAsync(() => cut.Find("form#mute-member-form").Submit());
        cut.WaitForAssertion(() => Assert.Contains("Pick the person.", cut.Find("#mute-member-form").TextContent, StringComparison.Ordinal), Wait);
        await cut.InvokeAsync(() => cut.Find("#mute-member-pick").Change("user-bob"));
        await cut.InvokeAsync(() => cut.Find("#mute-member-minutes").Input("ten"));
        await cut.InvokeAsync(() => cut.Find("form#mute-member-form").Submit());
        cut.WaitForAssertion(() => Assert.Contains("Minutes must be a whole number", cut.Find("#mute-member-form").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(await Chat.AuditLog!.RecentAsync(10, AuditFilter.All));
        await bob.SendMessageAsync(room.Id, "still here");

        await cut.InvokeAsync(() => cut.Find("#mute-member-minutes").Input("5"));
        await cut.InvokeAsync(() => cut.Find("#mute-member-reason").Input("calm down"));
        await cut.InvokeAsync(() => cut.Find("form#mute-member-form").Submit());

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#mute-member-form")), Wait);
        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => bob.SendMessageAsync(room.Id, "shouting"));
        Assert.Equal("You are muted for 5 more minutes: calm down", refused.Message);
        await bob.SendMessageAsync(RoomNames.General, "elsewhere I may speak");
        Assert.Equal("mute", Assert.Single(await Chat.AuditLog!.RecentAsync(10, AuditFilter.All)).Action);

        // Lifted from the same dialog: Bob speaks in the room again.
        await cut.InvokeAsync(() => cut.Find(".mute-member-button").Click());
        cut.WaitForAssertion(() => cut.Find("#mute-member-pick"), Wait);
        await cut.InvokeAsync(() => cut.Find("#mute-member-pick").Change("user-bob"));
        await cut.InvokeAsync(() => cut.Find(".mute-member-lift input").Change(true));
        await cut.InvokeAsync(() => cut.Find("form#mute-member-form").Submit());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("#mute-member-form")), Wait);
        await bob.SendMessageAsync(room.Id, "thank you");
    }
}
