using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using BlazorChat.Components.Pages;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using BlazorChat.Components.Layout;

namespace BlazorChat.Tests.Components;

/// <summary>
/// The whole page on a real server and session, with the user the server would have authenticated. Other people
/// are raw connections (<see cref="TestTab"/>); what they send arrives on another thread, hence WaitForAssertion.
/// </summary>
[Collection(WholePageCollection.Name)]
// The not-delivered tests wait for the acknowledgement timeout; a delivered message never does. Long enough for a
// loaded machine to render and acknowledge in time.
public sealed class ChatPageTests() : WholePageContext(new TestChat(ackTimeout: TimeSpan.FromSeconds(2)))
{

    [Fact]
    public void Prerendered_DoesNotSubscribeAndDisablesTheJoinForm()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = this.RenderChatPage();

        Assert.Equal(0, Session.SubscriberCount);
        Assert.True(cut.Find("#display-name").HasAttribute("disabled"));
    }

    [Fact]
    public void Interactive_SubscribesOnceAndEnablesTheJoinForm()
    {
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = this.RenderChatPage();

        Assert.Equal(1, Session.SubscriberCount);
        Assert.False(cut.Find("#display-name").HasAttribute("disabled"));
    }

    [Fact]
    public void Join_ThroughTheForm_ShowsTheChatWithYouOnlineInGeneral()
    {
        var cut = RenderJoined("Ada");

        Assert.Equal("Ada", Session.DisplayName);
        cut.WaitForAssertion(() =>
        {
            var me = Assert.Single(cut.FindAll("ul[aria-label=Online] li.online-person"));
            Assert.Contains("(you)", me.TextContent, StringComparison.Ordinal);
            Assert.NotNull(cut.Find("button[aria-label='Leave general']"));
            Assert.Equal("true", cut.FindAll("nav[aria-label=Namespaces] button").Single(b => b.TextContent == "/").GetAttribute("aria-current"));
        }, Wait);
        Assert.Empty(cut.FindAll("#display-name"));
    }

    [Fact]
    public async Task ASecondTabOfSomeoneAlreadyChatting_JoinsUnderTheirName_WithoutAsking()
    {
        var firstTab = Chat.NewSession(UserId);
        Assert.Null(await firstTab.JoinAsync("Ada"));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = this.RenderChatPage();

        cut.WaitForAssertion(() => cut.Find("#message-input"), Wait);
        Assert.Equal("Ada", Session.DisplayName);
        Assert.Empty(cut.FindAll("#display-name"));
    }

    [Fact]
    public void ChangeName_LeavesAndAsksAgain_WithTheOldNameToEdit_AndTheNextTabAsksToo()
    {
        var cut = RenderJoined("Ada");

        cut.InvokeAsync(() => cut.Find("button[aria-label='Change name']").Click());

        cut.WaitForAssertion(() => Assert.Equal("Ada", cut.Find("#display-name").GetAttribute("value")), Wait);
        Assert.False(Session.IsJoined);
        Assert.Null(Chat.Names.LastNameOf(UserId));
    }

    [Fact]
    public async Task PrivateRoom_CreatedFromTheRoomList_OpensWithItsMembersPanel_AndInviteReachesTheInvitee()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("ul[aria-label=Online] li.online-person").Count), Wait);

        // Server events re-render the page meanwhile: find and act in one dispatch, so the handler found is current.
        await cut.InvokeAsync(() => cut.Find("button[aria-label='New private room']").Click());
        cut.WaitForAssertion(() => cut.Find("#private-room-title"), Wait);
        await cut.InvokeAsync(() => cut.Find("#private-room-title").Input("plans"));
        await cut.InvokeAsync(() => cut.Find("form#private-room-form").Submit());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("section[aria-label='Members of plans']")), Wait);
        Assert.Contains("plans", cut.Find(".room-title").TextContent, StringComparison.Ordinal);
        await cut.InvokeAsync(() => cut.FindAll("section[aria-label='Members of plans'] button").Single(b => b.TextContent.Contains("Invite someone", StringComparison.Ordinal)).Click());
        cut.WaitForAssertion(() => cut.Find("[role=dialog] input[type=radio][value='user-bob']"), Wait);
        await cut.InvokeAsync(() => cut.Find("[role=dialog] input[type=radio][value='user-bob']").Change(true));
        await cut.InvokeAsync(() => cut.Find("[role=dialog] form").Submit());

        var told = await bob.Events.WaitForAsync<PrivateRoomsChanged>(c => c.Rooms.Count == 1);
        Assert.Equal("plans", told.Rooms[0].Title);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("ul[aria-label=Members] li").Count), Wait);
    }

    [Fact]
    public async Task PrivateRoom_RemovedByItsOwner_DisappearsFromTheView_AndGeneralIsShown()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        var room = Assert.IsType<PrivateRoomUpdated>(await bob.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("plans"))).Room;
        await bob.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, UserId));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("li.private-room button")), Wait);
        await cut.InvokeAsync(() => cut.Find("li.private-room button").Click());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("section[aria-label='Members of plans']")), Wait);
        Assert.Empty(cut.FindAll("button[aria-label^=Remove]")); // Ada is not the owner

        await bob.SendAsync(ChatEvents.RemoveFromRoom, new RemoveFromRoomRequest(room.Id, UserId));

        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("li.private-room"));
            Assert.Empty(cut.FindAll("section.members-panel"));
            Assert.Contains("# general", cut.Find(".room-title").TextContent, StringComparison.Ordinal);
        }, Wait);
    }

    [Fact]
    public async Task MessageFromAnotherConnection_AppearsAndIsAcknowledgedOnceRendered()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");

        var accepted = await bob.SendMessageAsync(RoomNames.General, "hello from Bob");

        cut.WaitForAssertion(() =>
        {
            var message = Assert.Single(cut.FindAll("[role=log] article"));
            Assert.Equal("Bob", message.QuerySelector(".author")!.TextContent);
            Assert.Equal("hello from Bob", message.QuerySelector(".text")!.TextContent);
        }, Wait);
        // The page acknowledges in OnAfterRenderAsync, after the render that shows it.
        var report = await bob.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        Assert.Equal(new DeliveryReport(accepted.Id, Recipients: 1, Acknowledged: 1), report);
    }

    [Fact]
    public async Task MessageFromAnotherConnection_IsNotAcknowledgedWhileItsRenderHasNotFinished()
    {
        using var gate = new RenderGate();
        ComponentFactories.Add(type => type == typeof(MessageList), _ => gate.NewComponent()); // the transcript renders the message
        var cut = RenderJoined("Ada");
        var received = new EventRecorder();
        using var probe = Session.Subscribe(received.DeliverAsync); // after the page's: it sees each event after the page did
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await PageBarrierAsync(received); // every earlier event is applied and rendered

        gate.Close();
        var accepted = await bob.SendMessageAsync(RoomNames.General, "while rendering");
        await gate.Blocked.WaitAsync(Wait);

        // The render showing it cannot finish, so the page must not have acknowledged it: the report times out.
        var report = await bob.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        gate.Open();
        Assert.Equal(new DeliveryReport(accepted.Id, Recipients: 1, Acknowledged: 0), report);
        cut.WaitForAssertion(() => Assert.Contains(gate.LastLines, line => line is MessagePosted { Message.Id: var id } && id == accepted.Id), Wait);
    }

    [Fact]
    public void AnEventForThePage_CostsItNoMoreAllocationThanTheDispatchItself()
    {
        var cut = RenderJoined("Ada");
        var page = cut.FindComponent<ChatPage>().Instance;
        // The page's subscriber, as its session calls it for every event of the tab (private: reached here by name).
        var deliver = typeof(ChatPage).GetMethod("OnPacketAsync", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
            .CreateDelegate<BlazorChat.Realtime.Server.ClientHandler>(page);
        var nothingToShow = new BlazorChat.Realtime.Packet("an-event-this-page-does-not-know");
        Action nothing = static () => { };

        // Bytes per call on this thread, the least of a few rounds (the page's own timers may take its dispatcher meanwhile).
        long PerCall(Func<Task> call)
        {
            var least = long.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 100; i++)
                    call().GetAwaiter().GetResult();
                least = Math.Min(least, (GC.GetAllocatedBytesForCurrentThread() - before) / 100);
            }
            return least;
        }

        var dispatchAlone = PerCall(() => Renderer.Dispatcher.InvokeAsync(nothing));
        var throughThePage = PerCall(() => deliver(nothingToShow, null));

        // Every member's tab receives every message of its room: the page adds nothing per event to what dispatching to
        // its renderer costs (a closure and its delegate per event would be 100 bytes more).
        Assert.True(throughThePage <= dispatchAlone + 16, $"{throughThePage} bytes per event through the page, {dispatchAlone} to dispatch alone");
    }

    [Fact]
    public async Task AMessageInTheRoomOnScreen_RendersTheTranscript_NotThePageNorItsSidebar()
    {
        var (cut, bob) = await JoinedWithBobAsync();
        var renders = Renders(cut);

        await bob.SendMessageAsync(RoomNames.General, "hello");

        cut.WaitForAssertion(() => Assert.Equal("hello", cut.FindAll("[role=log] article .text")[^1].TextContent), Wait);
        var now = Renders(cut);
        Assert.Equal((renders.Page, renders.Rooms, renders.Online, renders.Typing), (now.Page, now.Rooms, now.Online, now.Typing));
        Assert.True(now.Transcript > renders.Transcript);
    }

    [Fact]
    public async Task SomeoneJoining_RendersThePeopleAndTheTranscript_NotThePage()
    {
        var (cut, _) = await JoinedWithBobAsync();
        var renders = Renders(cut);

        await Chat.ConnectAsync("user-carol", "Carol");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(3, cut.FindAll("ul[aria-label=Online] li.online-person").Count);
            Assert.Contains("Carol joined the chat", cut.Find("[role=log]").TextContent, StringComparison.Ordinal);
        }, Wait);
        var now = Renders(cut);
        Assert.Equal(renders.Page, now.Page);
        Assert.True(now.Online > renders.Online && now.Transcript > renders.Transcript);
    }

    [Fact]
    public async Task SomeoneTyping_RendersTheTypingLine_NotTheTranscript()
    {
        var (cut, bob) = await JoinedWithBobAsync();
        var renders = Renders(cut);

        await bob.SendAsync(ChatEvents.Typing, new TypingRequest(RoomNames.General, true));

        cut.WaitForAssertion(() => Assert.Equal("Bob is typing…", cut.Find(".typing-indicator").TextContent.Trim()), Wait);
        var now = Renders(cut);
        Assert.Equal((renders.Page, renders.Transcript, renders.Online), (now.Page, now.Transcript, now.Online));
    }

    [Fact]
    public async Task AMessageInAnotherRoom_ShowsItsUnreadCount_WithoutRenderingTheTranscriptOrThePage()
    {
        var (cut, bob) = await JoinedWithBobAsync();
        await cut.InvokeAsync(() => cut.Find("#new-room").Input("design"));
        await cut.InvokeAsync(() => cut.Find("nav[aria-label=Rooms] form").Submit());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("button[aria-label='Leave design']")), Wait);
        await cut.InvokeAsync(() => cut.FindAll("nav[aria-label=Rooms] button.channel").Single(b => b.TextContent.Contains("general", StringComparison.Ordinal)).Click());
        Assert.Contains("# general", cut.Find(".room-title").TextContent, StringComparison.Ordinal);
        await bob.SendAsync(ChatEvents.JoinRoom, new JoinRoomRequest("design"));
        await PageBarrierAsync(_received!);
        var renders = Renders(cut);

        await bob.SendMessageAsync("design", "over here");

        cut.WaitForAssertion(() => Assert.Equal("1 unread", cut.Find("nav[aria-label=Rooms] .unread").GetAttribute("aria-label")), Wait);
        var now = Renders(cut);
        Assert.Equal((renders.Page, renders.Transcript), (now.Page, now.Transcript));
    }

    [Fact]
    public async Task MessagesComingSteadily_AreMarkedReadAtMostOncePerSecond_NotOncePerMessage()
    {
        var time = this.UseManualTime();
        var (cut, bob) = await JoinedWithBobAsync();
        var marks = () => Chat.HandlerLog.Messages.Count(m => m.EndsWith($" sent {ChatEvents.MarkRead}", StringComparison.Ordinal));
        var general = ChatHandlers.StoreKey(Chat.Server.Main, RoomNames.General);

        var lastSequence = 0L;
        for (var i = 0; i < 6; i++)
        {
            lastSequence = (await bob.SendMessageAsync(RoomNames.General, $"m{i}")).Sequence;
            cut.WaitForAssertion(() => Assert.Equal(i + 1, cut.FindAll("[role=log] article").Count), Wait);
            time.Advance(TimeSpan.FromMilliseconds(500));
        }
        time.Advance(TimeSpan.FromSeconds(1)); // a last mark still due comes by now: it covers the last message
        await Eventually.HoldsAsync(async () =>
            (await Chat.Store.ConversationsOfAsync(UserId)).SingleOrDefault(p => p.Conversation == general)?.ReadUpTo == lastSequence);

        // Six messages half a second apart, then a second: one mark each would be six; once per second is at most four.
        Assert.InRange(marks(), 1, 4);
    }

    [Fact]
    public async Task MessageAfterThePageIsGone_IsNotAcknowledged()
    {
        RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await DisposeComponentsAsync();

        var accepted = await bob.SendMessageAsync(RoomNames.General, "anyone?");

        var report = await bob.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        Assert.Equal(new DeliveryReport(accepted.Id, Recipients: 1, Acknowledged: 0), report);
    }

    [Fact]
    public async Task AnotherPersonJoiningAndLeaving_UpdatesTheOnlineListAndTheLog()
    {
        var cut = RenderJoined("Ada");

        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Ada", "Bob"], cut.FindAll("ul[aria-label=Online] .name").Select(e => e.TextContent));
            Assert.Contains(cut.FindAll("[role=log] .notice"), n => n.TextContent == "Bob joined the chat");
        }, Wait);

        await bob.DisconnectAsync();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Ada"], cut.FindAll("ul[aria-label=Online] .name").Select(e => e.TextContent));
            Assert.Contains(cut.FindAll("[role=log] .notice"), n => n.TextContent == "Bob left the chat");
        }, Wait);
    }

    [Fact]
    public async Task Send_ThroughTheComposer_ReachesOthersAndShowsDelivered()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        // Let the render caused by Bob's arrival finish first: it re-renders the composer and renews its handlers.
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[role=log] .notice"), n => n.TextContent == "Bob joined the chat"), Wait);

        await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = "hi Bob" }));
        await OnPageAsync(cut, () => cut.Find("form.composer").SubmitAsync());
        // What Composer.razor.js does in a browser after a submit: clear the box.
        await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = "" }));

        var events = await bob.Events.WaitForMessageAsync("hi Bob");
        Assert.Equal(new Person(UserId, "Ada"), events.OfType<MessagePosted>().Single().Message.Sender);
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(string.Empty, cut.Find("#message-input").GetAttribute("value"));
            Assert.Equal("Delivered", cut.Find("[role=log] article.own footer.delivery").TextContent.Trim());
        }, Wait);
    }

    [Fact]
    public async Task NotDelivered_ThenRetry_SendsTheSameMessageAgainAndShowsDelivered()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        bob.Events.AutoAck = false;
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("ul[aria-label=Online] li.online-person").Count), Wait);

        await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = "are you there?" }));
        await OnPageAsync(cut, () => cut.Find("form.composer").SubmitAsync());
        cut.WaitForAssertion(() =>
            Assert.Contains("Not delivered (0 of 1 received)", cut.Find("article.own footer.delivery").TextContent, StringComparison.Ordinal), Wait);

        bob.Events.AutoAck = true;
        await OnPageAsync(cut, () => cut.Find("article.own button.retry").ClickAsync(new()));

        cut.WaitForAssertion(() => Assert.Equal("Delivered", cut.Find("article.own footer.delivery").TextContent.Trim()), Wait);
        var copies = bob.Events.Messages.Where(m => m.Text == "are you there?").ToList();
        Assert.Equal(2, copies.Count);
        Assert.Equal(copies[0].Id, copies[1].Id);
        Assert.Single(cut.FindAll("[role=log] article"));
    }

    [Fact]
    public async Task Typing_InTheComposer_TellsTheRoomOnceAMomentLater()
    {
        var time = this.UseManualTime();
        var cut = RenderJoined("Ada");
        var requests = TypingRequestsOfThisTab();

        foreach (var text in new[] { "h", "he", "hey" })
            await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = text }));
        lock (requests)
            Assert.Empty(requests);
        time.Advance(TypingSignals.SendDelay);
        cut.WaitForAssertion(() =>
        {
            lock (requests)
                Assert.Equal([new TypingRequest(RoomNames.General, true)], requests);
        }, Wait);
        // That the message ends it without a "stopped", and the next key tells the room again, is
        // TypingSignalsTests.MessageSent_EndsTyping_WithoutAStop_AndTheNextKeyTellsTheRoomAgain: on this page, the
        // page's reply to the send and the clock's steps race (the test's second "typing" went missing 1 run in 5).
    }

    [Fact]
    public async Task TypedAndSentAtOnce_TheRoomHearsTheMessage_AndNoTypingAtAll()
    {
        // A short reply or a paste sent at once: the "typing" waits a moment (TypingSignals.SendDelay), and the message
        // went out first, so no member's tab takes in a "typing" only to drop it with the message right behind.
        var time = this.UseManualTime();
        var (cut, bob) = await JoinedWithBobAsync();
        var requests = TypingRequestsOfThisTab();

        await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = "ok!" }));
        await OnPageAsync(cut, () => cut.Find("form.composer").SubmitAsync());
        await bob.Events.WaitForMessageAsync("ok!");
        await SentAsync(cut);
        time.Advance(TypingSignals.SendDelay + TypingSignals.Idle);
        await cut.InvokeAsync(() => { });

        lock (requests)
            Assert.Empty(requests);
        Assert.Empty(bob.Events.OfType<TypingChanged>());
    }

    // The server took the page's message, and the page has done what follows (TypingSignals.MessageSent among it): the
    // delivery line left "Sending…", and the dispatcher's turn that changed it is over.
    private static async Task SentAsync(IRenderedComponent<MainLayout> cut)
    {
        cut.WaitForAssertion(() => Assert.DoesNotContain("Sending", cut.Find("article.own footer.delivery").TextContent, StringComparison.Ordinal), Wait);
        await cut.InvokeAsync(() => { });
    }

    // The typing requests the page's tab sends, as the server takes them in.
    private List<TypingRequest> TypingRequestsOfThisTab()
    {
        var requests = new List<TypingRequest>();
        Chat.Server.Main.OnAny((socket, packet) =>
        {
            if (socket.Id == Session.ConnectionId && packet.Data is TypingRequest typing)
            {
                lock (requests)
                    requests.Add(typing);
            }
        });
        return requests;
    }

    [Fact]
    public async Task TypingFollowedAtOnceByTheMessage_NeverShowsTheIndicator_TheMessageRendersAlone()
    {
        var time = this.UseManualTime();
        var (cut, bob) = await JoinedWithBobAsync();
        var typingLine = cut.FindComponent<TypingIndicator>();
        var renders = typingLine.RenderCount;

        await bob.SendAsync(ChatEvents.Typing, new TypingRequest(RoomNames.General, true));
        await bob.SendMessageAsync(RoomNames.General, "typed and sent");

        cut.WaitForAssertion(() => Assert.Equal("typed and sent", cut.FindAll("[role=log] article .text")[^1].TextContent), Wait);
        // The typing event came first and set a render of the typing line for a moment later: let that moment pass, and
        // let the page's dispatcher run what it queued for it before this.
        time.Advance(ChatPage.TypingRenderDelay * 2);
        await cut.InvokeAsync(() => { });
        // Bob's indicator would have shown and gone again: two renders of the typing line, and two batches, for nothing.
        Assert.Equal(renders, typingLine.RenderCount);
        Assert.Empty(cut.Find(".typing-indicator").TextContent.Trim());
    }

    [Fact]
    public async Task SomeoneTyping_IsShownUnderTheMessages()
    {
        var cut = RenderJoined("Ada");
        var received = new EventRecorder();
        using var probe = Session.Subscribe(received.DeliverAsync); // after the page's: it sees each event after the page did
        var pageIsWritable = Session.IsClientWritable;
        var queued = 0;
        Session.IsClientWritable = () =>
        {
            var writable = pageIsWritable();
            if (writable)
                Interlocked.Increment(ref queued);
            return writable;
        };
        var bob = await Chat.ConnectAsync("user-bob", "Bob");

        // Typing is volatile: it is not even offered while the page is busy, so it is repeated until it was queued.
        for (var i = 0; i < 20 && Volatile.Read(ref queued) == 0; i++)
        {
            await bob.SendAsync(ChatEvents.Typing, new TypingRequest(RoomNames.General, IsTyping: true));
            if (Volatile.Read(ref queued) > 0)
                break;
            await PageBarrierAsync(received);
        }

        cut.WaitForAssertion(() => Assert.Equal("Bob is typing…", cut.Find(".typing-indicator").TextContent), Wait);
    }

    [Fact]
    public async Task CreateRoom_JoinsAndOpensIt()
    {
        var cut = RenderJoined("Ada");

        await OnPageAsync(cut, () => cut.Find("#new-room").InputAsync(new ChangeEventArgs { Value = "design" }));
        await OnPageAsync(cut, () => cut.Find("nav[aria-label=Rooms] form").SubmitAsync());

        cut.WaitForAssertion(() =>
        {
            Assert.NotNull(cut.Find("button[aria-label='Leave design']"));
            Assert.Contains("# design", cut.Find(".room-title").TextContent, StringComparison.Ordinal);
        }, Wait);
        Assert.Contains("design", Chat.Server.Main.Connections.Single().Rooms);
    }

    [Fact]
    public async Task AWelcomeThatArrivesAfterARoomWasOpened_LeavesTheTabInThatRoom_AndItsNextMessageGoesThere()
    {
        var cut = RenderJoined("Ada");
        await OnPageAsync(cut, () => cut.Find("#new-room").InputAsync(new ChangeEventArgs { Value = "design" }));
        await OnPageAsync(cut, () => cut.Find("nav[aria-label=Rooms] form").SubmitAsync());
        cut.WaitForAssertion(() => Assert.Contains("# design", cut.Find(".room-title").TextContent, StringComparison.Ordinal), Wait);

        // The order seen under load after a restart: the room is on screen, then a new connection starts and its
        // namespace welcome reaches the page.
        await Session.SuspendAsync();
        Assert.Null(await Session.ResumeAsync());
        var probe = new EventRecorder();
        using var _ = Session.Subscribe(probe.DeliverAsync);
        await PageBarrierAsync(probe);
        Assert.Contains(probe.Events, e => e is NamespaceWelcome);

        Assert.Contains("# design", cut.Find(".room-title").TextContent, StringComparison.Ordinal);
        await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = "meant for design" }));
        await OnPageAsync(cut, () => cut.Find("form.composer").SubmitAsync());
        var inDesign = await Chat.Store.ReadBeforeAsync("/#design", long.MaxValue, 10);
        var inGeneral = await Chat.Store.ReadBeforeAsync("/#general", long.MaxValue, 10);
        Assert.Contains(inDesign, m => m.Text == "meant for design");
        Assert.DoesNotContain(inGeneral, m => m.Text == "meant for design");
    }

    [Fact]
    public async Task WhatWasTypedInTheSidePanel_SurvivesARenderOfTheWholePage()
    {
        var cut = RenderJoined("Ada");
        await OnPageAsync(cut, () => cut.Find("#new-room").InputAsync(new ChangeEventArgs { Value = "design" }));
        var rooms = cut.FindComponent<RoomList>().Instance;

        // Sending a message renders the whole page (its handler is the page's): the side panel must be updated, not
        // rebuilt, or the half-made room name is gone.
        await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = "one moment" }));
        await OnPageAsync(cut, () => cut.Find("form.composer").SubmitAsync());
        cut.WaitForAssertion(() => Assert.Equal("one moment", cut.Find("[role=log] article .text").TextContent), Wait);

        Assert.Same(rooms, cut.FindComponent<RoomList>().Instance);
        Assert.Equal("design", cut.Find("#new-room").GetAttribute("value"));
        await OnPageAsync(cut, () => cut.Find("nav[aria-label=Rooms] form").SubmitAsync());
        cut.WaitForAssertion(() => Assert.Contains("# design", cut.Find(".room-title").TextContent, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task JoinButton_OfAnotherPersonsRoom_JoinsIt()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");
        cut.WaitForAssertion(() => cut.Find("button[aria-label='Join design']"), Wait);

        await OnPageAsync(cut, () => cut.Find("button[aria-label='Join design']").ClickAsync(new()));

        cut.WaitForAssertion(() =>
        {
            Assert.NotNull(cut.Find("button[aria-label='Leave design']"));
            Assert.Empty(cut.FindAll("button[aria-label='Join design']"));
        }, Wait);
    }

    [Fact]
    public async Task SwitchToAdmin_AsAGuest_ShowsTheReasonAndStaysInMain()
    {
        var cut = RenderJoined("Ada");
        var before = Session.ConnectionId;

        await OnPageAsync(cut, () => cut.FindAll("nav[aria-label=Namespaces] button").Single(b => b.TextContent == ChatHandlers.AdminNamespace).ClickAsync(new()));

        cut.WaitForAssertion(() =>
            Assert.Contains("Only administrators", cut.Find("nav[aria-label=Namespaces] [role=alert]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(before, Session.ConnectionId);
        Assert.Equal("/", cut.Find(".room-title .ns").TextContent);
    }

    [Fact]
    public async Task OpenTeamSpace_MovesThePageToTheTenant()
    {
        var cut = RenderJoined("Ada");

        await OnPageAsync(cut, () => cut.Find("#team-space").InputAsync(new ChangeEventArgs { Value = "acme" }));
        await OnPageAsync(cut, () => cut.Find("nav[aria-label=Namespaces] form").SubmitAsync());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("/tenant-acme", cut.Find(".room-title .ns").TextContent);
            Assert.Equal("true", cut.FindAll("nav[aria-label=Namespaces] button").Single(b => b.TextContent == "/tenant-acme").GetAttribute("aria-current"));
        }, Wait);
        Assert.Equal(0, Chat.Server.Main.ConnectionCount);
    }

    [Fact]
    public async Task MessageButton_OpensAPrivateConversationThatReachesOnlyThatPerson()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        var carol = await Chat.ConnectAsync("user-carol", "Carol");
        cut.WaitForAssertion(() => cut.Find("button[aria-label='Message Bob']"), Wait);

        await OnPageAsync(cut, () => cut.Find("button[aria-label='Message Bob']").ClickAsync(new()));
        await OnPageAsync(cut, () => cut.Find("#message-input").InputAsync(new ChangeEventArgs { Value = "just for you" }));
        await OnPageAsync(cut, () => cut.Find("form.composer").SubmitAsync());

        await bob.Events.WaitForAsync<DirectPosted>(d => d.Message.Text == "just for you");
        cut.WaitForAssertion(() => Assert.Equal("just for you", cut.Find("[role=log] article .text").TextContent), Wait);
        Assert.Contains("Bob", cut.Find(".room-title").TextContent, StringComparison.Ordinal);
        await carol.BarrierAsync();
        Assert.Empty(carol.Events.OfType<DirectPosted>());
    }

    [Fact]
    public async Task Dispose_LeavesNoSubscriptionAndLaterEventsDoNotFail()
    {
        var cut = RenderJoined("Ada");
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        await bob.SendMessageAsync(RoomNames.General, "before dispose");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[role=log] article")), Wait);

        await DisposeComponentsAsync();

        Assert.Equal(0, Session.SubscriberCount);
        Assert.True(Session.IsJoined); // The session belongs to the circuit, not to the page.
        var probe = new EventRecorder();
        using var probeSubscription = Session.Subscribe(probe.DeliverAsync);
        var accepted = await bob.SendMessageAsync(RoomNames.General, "after dispose");
        await probe.WaitForMessageAsync("after dispose");
        await bob.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        Assert.Empty(Chat.HandlerLog.Warnings);
    }

    private EventRecorder? _received;

    // Ada on the page, Bob connected, and every event so far applied and rendered.
    private async Task<(IRenderedComponent<MainLayout> Page, TestTab Bob)> JoinedWithBobAsync()
    {
        var cut = RenderJoined("Ada");
        _received = new EventRecorder();
        Session.Subscribe(_received.DeliverAsync); // after the page's: it sees each event after the page did
        var bob = await Chat.ConnectAsync("user-bob", "Bob");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("ul[aria-label=Online] li.online-person").Count), Wait);
        await PageBarrierAsync(_received);
        return (cut, bob);
    }

    // bUnit counts a component's render whenever it or a child rendered: the namespace switcher renders only with the page.
    private static (int Page, int Rooms, int Online, int Transcript, int Typing) Renders(IRenderedComponent<MainLayout> cut) =>
        (cut.FindComponent<NamespaceSwitcher>().RenderCount, cut.FindComponent<RoomList>().RenderCount, cut.FindComponent<OnlineList>().RenderCount,
         cut.FindComponent<MessageList>().RenderCount, cut.FindComponent<TypingIndicator>().RenderCount);

    /// <summary>Completes once the page has applied and rendered every event sent to it before.</summary>
    private async Task PageBarrierAsync(EventRecorder probe)
    {
        var barrier = new TestBarrier(Guid.NewGuid());
        await Chat.Server.Of(Session.Namespace!).To(Session.ConnectionId!).EmitAsync("test:barrier", barrier);
        await probe.WaitForEventAsync(e => e == barrier, "the barrier to the page");
    }

    /// <summary>
    /// Other connections' events re-render the page at any moment: find and trigger on the renderer's dispatcher, so
    /// no render can replace the element's handlers in between. Completes when the handler has.
    /// </summary>
    private static Task OnPageAsync(IRenderedComponent<MainLayout> cut, Func<Task> action) => cut.InvokeAsync(action);

    /// <summary>
    /// Stands in for one of the page's child components and, while closed, blocks the renderer inside its render: the
    /// render batch that contains it cannot finish until the gate opens.
    /// </summary>
    private sealed class RenderGate : IDisposable
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Blocked => _blocked.Task;

        public void Close() => _open.Reset();

        public void Open() => _open.Set();

        public IComponent NewComponent() => new Gate(this);

        /// <summary>The lines the gated transcript was last given.</summary>
        public IReadOnlyList<ChatEvent> LastLines { get; private set; } = [];

        public void Dispose()
        {
            _open.Set();
            _open.Dispose();
        }

        // Stands in for the transcript: takes its parameters, and its render blocks while the gate is closed.
        private sealed class Gate(RenderGate owner) : ComponentBase
        {
            [Parameter(CaptureUnmatchedValues = true)]
            public IReadOnlyDictionary<string, object> Parameters { get; set; } = new Dictionary<string, object>();

            protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
            {
                owner.LastLines = [.. (IReadOnlyList<ChatEvent>)Parameters[nameof(MessageList.Lines)]];
                if (owner._open.IsSet)
                    return;
                owner._blocked.TrySetResult();
                owner._open.Wait(EventRecorder.Timeout);
            }
        }
    }
}
