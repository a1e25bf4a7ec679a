using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class MessageListTests : ChatUiContext
{
    private const string ModulePath = "./Components/Chat/MessageList.razor.js";
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");


    [Fact]
    public void Log_HasRoleLogAndAccessibleNameMessages()
    {
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, [Posted(Bob, "hi")]));

        var log = cut.Find("[role=log]");
        Assert.Equal("Messages", log.GetAttribute("aria-label"));
    }

    [Fact]
    public void EachArticleIsKeyedByItsMessagesSharedKey_NotABoxOfItsIdPerRender()
    {
        var theirs = Posted(Bob, "hi");
        var mine = Posted(Ada, "mine");
        var lines = new List<ChatEvent> { theirs, mine };
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.OwnUserId, Ada.UserId).Add(p => p.Version, (1, 0, 1)));
        lines.Add(Posted(Bob, "more"));
        cut.Render(ps => ps.Add(p => p.Version, (2, 0, 1))); // the block renders again

        var keys = FrameCensus.KeysOf(this, "article");
        // The same object in every render and every tab (MessageMarkup.Look.Key): boxed per render, a full window of 250
        // lines made two objects per line in each tab.
        Assert.Contains(keys, k => ReferenceEquals(k, MessageMarkup.Of(theirs.Message).Key));
        Assert.Contains(keys, k => ReferenceEquals(k, MessageMarkup.Of(mine.Message).Key));
        Assert.Equal(theirs.Message.Id, MessageMarkup.Of(theirs.Message).Key);
        Assert.Equal(3, cut.FindAll("article").Count);
    }

    [Fact]
    public void ARenderOfThePageWithNothingChangedHere_DoesNotRenderTheTranscript_ButANewLineOrDeliveryStateDoes()
    {
        var lines = new List<ChatEvent> { Posted(Bob, "hi") };
        var outgoing = new Dictionary<Guid, OutgoingMessage>();
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.Outgoing, outgoing).Add(p => p.Version, (1, 0, 1)));
        var renders = cut.RenderCount;

        cut.Render(ps => ps.Add(p => p.Lines, lines).Add(p => p.Outgoing, outgoing).Add(p => p.Version, (1, 0, 1)));
        Assert.Equal(renders, cut.RenderCount);

        lines.Add(Posted(Bob, "and again"));
        cut.Render(ps => ps.Add(p => p.Version, (2, 0, 1)));
        Assert.Equal(2, cut.FindAll("article").Count);

        var mine = Posted(Ada, "mine");
        lines.Add(mine);
        var id = mine.Message.Id;
        outgoing[id] = new OutgoingMessage(id, "general", "mine", DeliveryState.Sending);
        cut.Render(ps => ps.Add(p => p.OwnUserId, Ada.UserId).Add(p => p.Version, (3, 0, 2)));
        Assert.Contains("Sending…", cut.Markup, StringComparison.Ordinal);
        outgoing[id] = outgoing[id] with { State = DeliveryState.Delivered };
        cut.Render(ps => ps.Add(p => p.Version, (3, 0, 3)));
        Assert.Contains("Delivered", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageText_ThatLooksLikeMarkup_IsRenderedAsTextWithoutCreatingElements()
    {
        const string attack = "<img src=x onerror=alert(1)>";

        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, [Posted(Bob, attack), Direct(Bob, attack)]));

        var log = cut.Find("[role=log]");
        Assert.Empty(log.QuerySelectorAll("img"));
        Assert.All(log.QuerySelectorAll("article .text"), text => Assert.Equal(attack, text.TextContent));
    }

    [Fact]
    public void DisplayName_ThatLooksLikeMarkup_IsRenderedAsText()
    {
        var evil = new Person("user-evil", "<b>Evil</b>");

        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines,
            [Posted(evil, "hi"), new PersonJoined("/", evil, DateTimeOffset.UnixEpoch), new AnnouncementPosted(evil, "<i>x</i>", DateTimeOffset.UnixEpoch)]));

        Assert.Empty(cut.FindAll("[role=log] b, [role=log] i"));
        Assert.Equal("<b>Evil</b>", cut.Find("article .author").TextContent);
    }

    [Fact]
    public void Message_ShowsAuthorAndTextAndMarksOwnMessages()
    {
        var cut = Render<MessageList>(ps => ps
            .Add(p => p.Lines, [Posted(Bob, "from bob"), Posted(Ada, "from ada")])
            .Add(p => p.OwnUserId, Ada.UserId));

        var articles = cut.FindAll("[role=log] article");
        Assert.Equal(2, articles.Count);
        Assert.Equal("Bob", articles[0].QuerySelector(".author")!.TextContent);
        Assert.Equal("from bob", articles[0].QuerySelector(".text")!.TextContent);
        Assert.Equal("Bob: from bob", articles[0].GetAttribute("aria-label"));
        Assert.False(articles[0].ClassList.Contains("own"));
        Assert.True(articles[1].ClassList.Contains("own"));
    }

    [Fact]
    public void NoticesAndAnnouncements_AreShownInOrder()
    {
        var at = DateTimeOffset.UnixEpoch;

        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines,
            [new PersonJoined("/", Bob, at), new PersonLeft("/", Bob, at), new PeopleCameAndWent("/", 12, 3, at), new AnnouncementPosted(Ada, "maintenance at 5", at)]));

        cut.FindAll(".notice").MarkupMatches("""
            <p class="notice"><bdi>Bob</bdi> joined the chat</p>
            <p class="notice"><bdi>Bob</bdi> left the chat</p>
            <p class="notice">12 people joined, 3 left</p>
            <p class="notice announcement">Announcement from <bdi>Ada</bdi>: <bdi>maintenance at 5</bdi></p>
            """);
    }

    [Fact]
    public void NoLines_ShowsAnEmptyHint()
    {
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, []));

        Assert.Contains("No messages yet", cut.Find("[role=log]").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DeliveryState.Sending, "Sending…")]
    [InlineData(DeliveryState.Sent, "Sent")]
    [InlineData(DeliveryState.Delivered, "Delivered")]
    public void OwnMessage_ShowsItsDeliveryStateWithoutRetry(DeliveryState state, string text)
    {
        var posted = Posted(Ada, "mine");

        var cut = RenderOwn(posted, new OutgoingMessage(posted.Message.Id, RoomNames.General, "mine", state));

        var footer = cut.Find("article footer.delivery");
        Assert.Equal(text, footer.TextContent.Trim());
        Assert.True(footer.ClassList.Contains(state.ToString().ToLowerInvariant()));
        Assert.Empty(cut.FindAll("button.retry"));
    }

    [Fact]
    public void OwnMessage_NotDelivered_ShowsHowManyReceivedItAndARetryThatPassesTheMessageId()
    {
        var posted = Posted(Ada, "mine");
        var retried = new List<Guid>();

        var cut = RenderOwn(posted, new OutgoingMessage(posted.Message.Id, RoomNames.General, "mine", DeliveryState.NotDelivered, 3, 1),
            ps => ps.Add(p => p.OnRetry, (Guid id) => retried.Add(id)));

        Assert.Contains("Not delivered (1 of 3 received)", cut.Find("article footer.delivery").TextContent, StringComparison.Ordinal);
        cut.Find("button.retry").Click();
        Assert.Equal([posted.Message.Id], retried);
    }

    [Fact]
    public void OthersMessages_ShowNoDeliveryStateEvenIfTheIdIsTracked()
    {
        var posted = Posted(Bob, "theirs");

        var cut = RenderOwn(posted, new OutgoingMessage(posted.Message.Id, RoomNames.General, "theirs", DeliveryState.NotDelivered, 1, 0));

        Assert.Empty(cut.FindAll("footer.delivery"));
    }

    [Fact]
    public void Time_IsShownInTheViewersOffset()
    {
        var sentAt = new DateTimeOffset(2025, 1, 1, 12, 30, 0, TimeSpan.Zero);
        var posted = new MessagePosted(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c.bob", Bob, "hi", sentAt));

        var cut = Render<MessageList>(ps => ps.Add(x => x.Lines, [posted]).Add(x => x.UtcOffset, TimeSpan.FromHours(2)));

        Assert.Equal("14:30", cut.Find("article time").TextContent);
    }

    [Fact]
    public void TheBrowserFollowsNewLinesByItself_SoANewMessageCostsNoInteropCall()
    {
        var module = JSInterop.SetupModule(ModulePath);
        var follower = module.SetupModule(invocation => invocation.Identifier == "follow");
        var lines = new List<ChatEvent> { Posted(Bob, "one") };
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines));

        for (var i = 0; i < 5; i++)
        {
            lines.Add(Posted(Bob, $"more {i}"));
            cut.Render(ps => ps.Add(p => p.Lines, lines).Add(p => p.Version, (i + 1, 0, 0)));
        }

        Assert.Equal(6, cut.FindAll("article").Count);
        Assert.Single(module.Invocations, i => i.Identifier == "follow");
        Assert.Empty(follower.Invocations);
    }

    [Fact]
    public void ABlockOfOthersMessagesAtItsLargest_FitsA128FrameBuffer_ThreeFramesAnArticle()
    {
        // A run of 100 lines none of which starts a block: cut into pieces of MaxSize. Each block keeps two render trees,
        // in buffers of 32, 64, 128, 256... frames: at 4 frames an article and 48 lines a block, the largest took 192
        // frames, in two 256-frame buffers.
        var lines = Enumerable.Range(0, 100_000).Select(i => (ChatEvent)Posted(Bob, $"m{i}")).Where(l => !TranscriptBlocks.StartsBlock(l)).Take(100).ToList();

        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.OwnUserId, Ada.UserId));

        var frames = FrameCensus.Each(this, nameof(MessageBlock)).Order().ToList();
        Assert.Equal([100 - 2 * TranscriptBlocks.MaxSize, TranscriptBlocks.MaxSize, TranscriptBlocks.MaxSize], frames.Select(f => f / 3));
        Assert.All(frames, f => Assert.Equal(0, f % 3)); // an element, its label and its markup
        Assert.InRange(frames.Max(), 65, 128);
        Assert.All(cut.FindAll("article"), a => Assert.False(a.HasAttribute("class")));
    }

    [Fact]
    public void NoticesAreKeyedByAnObjectPerLine_SharedByEveryTab_NotByTheirRecord()
    {
        // The diff hashes keys whenever lines come or go: a notice's record would be hashed field by field (its names).
        var joined = new PersonJoined("/", Bob, DateTimeOffset.UnixEpoch);
        var left = new PersonLeft("/", Bob, DateTimeOffset.UnixEpoch);
        ChatEvent[] lines = [joined, Posted(Bob, "hi"), left];

        Render<MessageList>(ps => ps.Add(p => p.Lines, lines));
        var keys = FrameCensus.KeysOf(this, "p");

        Assert.Equal(2, keys.Count);
        Assert.All(keys, key => Assert.IsNotAssignableFrom<ChatEvent>(key));
        Assert.Contains(LineKeys.Of(joined), keys);
        Assert.Contains(LineKeys.Of(left), keys);
        Assert.Same(LineKeys.Of(joined), LineKeys.Of(joined)); // the same for every tab that shows the line
        Assert.NotSame(LineKeys.Of(joined), LineKeys.Of(joined with { }));
    }

    [Fact]
    public void ANewMessage_RendersOnlyTheBlockItLandsIn_NotEveryLineInTheWindow()
    {
        var lines = new List<ChatEvent>(Enumerable.Range(0, 400).Select(i => (ChatEvent)Posted(Bob, $"m{i}")));
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.Version, (0, 0, 0)));
        var blocks = cut.FindComponents<MessageBlock>();
        Assert.True(blocks.Count > 5, $"{blocks.Count} blocks");
        var rendersBefore = blocks.Select(b => b.RenderCount).ToArray();

        lines.Add(Posted(Bob, "new"));
        cut.Render(ps => ps.Add(p => p.Version, (1, 0, 0)));

        var rendered = cut.FindComponents<MessageBlock>().Where((b, i) => i >= rendersBefore.Length || b.RenderCount > rendersBefore[i]).ToList();
        Assert.Single(rendered);
        Assert.Equal(401, cut.FindAll("article").Count);
        Assert.Equal("new", cut.FindAll("article .text")[^1].TextContent);
    }

    [Fact]
    public async Task AMessageThatJoinsTheLastBlock_RendersThatBlockAlone_WithoutRenderingTheTranscript()
    {
        // Two blocks: a line that starts one, twenty that do not, another that starts one, ten that do not.
        var lines = new List<ChatEvent> { Starter() };
        lines.AddRange(Joiners(20));
        lines.Add(Starter());
        lines.AddRange(Joiners(10));
        using var recorder = BatchRecorder.Create();
        Dictionary<string, object?> Shown(int version, int rewrites) => new()
        {
            [nameof(MessageList.Lines)] = lines,
            [nameof(MessageList.Version)] = (version, rewrites, 0),
        };
        var list = await recorder.RenderAsync<MessageList>(Shown(1, 0));

        lines.Add(Joiners(1).Single());
        await recorder.SetParametersAsync(list, Shown(2, 0));
        // One component in the batch, the last block, with one element in: not the transcript, whose render would have
        // passed every block its parameters again.
        Assert.DoesNotContain(list, recorder.LastRendered);
        Assert.Single(recorder.LastRendered);
        Assert.Equal(1, recorder.InsertedAndRemoved);

        // A line that starts a block of its own: a new component, so the transcript renders.
        lines.Add(Starter());
        await recorder.SetParametersAsync(list, Shown(3, 0));
        Assert.Contains(list, recorder.LastRendered);

        // Lines already shown changed (the oldest went): the transcript renders, whatever was added.
        lines.RemoveAt(0);
        lines.Add(Joiners(1).Single());
        await recorder.SetParametersAsync(list, Shown(4, 1));
        Assert.Contains(list, recorder.LastRendered);
    }

    [Fact]
    public void LinesAddedToTheLastBlockAlone_ShowInOrder_AndTheOtherBlocksDoNotRender()
    {
        // What a tab shows when lines go to the last block alone, and when a line starts a block between such appends. That
        // they do go to it alone (the transcript not rendering) is AMessageThatJoinsTheLastBlock_RendersThatBlockAlone's.
        var lines = new List<ChatEvent> { Starter() };
        lines.AddRange(Joiners(20));
        lines.Add(Starter());
        lines.AddRange(Joiners(10));
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.Version, (1, 0, 0)));
        var (first, last) = (cut.FindComponents<MessageBlock>()[0], cut.FindComponents<MessageBlock>()[1]);
        var (firstRenders, lastRenders) = (first.RenderCount, last.RenderCount);

        lines.AddRange(Joiners(3)); // a tab that was behind takes several at once
        cut.Render(ps => ps.Add(p => p.Version, (2, 0, 0)));
        lines.Add(Starter());
        lines.AddRange(Joiners(2));
        cut.Render(ps => ps.Add(p => p.Version, (3, 0, 0)));
        lines.AddRange(Joiners(1));
        cut.Render(ps => ps.Add(p => p.Version, (4, 0, 0)));

        Assert.Equal(firstRenders, first.RenderCount);
        Assert.Equal(lastRenders + 1, last.RenderCount);
        Assert.Equal(3, cut.FindComponents<MessageBlock>().Count);
        Assert.Equal(lines.Select(l => ((MessagePosted)l).Message.Text), cut.FindAll("article .text").Select(a => a.TextContent));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)] // a tab that was behind renders several messages at once
    public void WithTheWindowFull_BlocksThatBegin_TakeOverTheComponentsOfBlocksThatLeft_AndShowJustTheirLines(int perRender)
    {
        // In a busy room a block lives about as long as the window takes to move past it: in a soak (200 tabs, 10 senders
        // at 0.5 msg/s, 250 lines) about 50 s, long enough for the garbage collector to carry its component and render
        // trees into its oldest generation, where they stayed until a full collection. 1,000 messages begin about 40 blocks
        // and see about as many leave.
        var lines = new List<ChatEvent>(Enumerable.Range(0, 250).Select(i => (ChatEvent)Posted(Bob, $"m{i}")));
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.Version, (0, 0, 0)));
        var built = new HashSet<MessageBlock>(cut.FindComponents<MessageBlock>().Select(b => b.Instance), ReferenceEqualityComparer.Instance);
        var first = built.Count;
        var (most, mostBlocks) = (0, 0);

        for (int i = 250, version = 1; i < 1_250; i += perRender, version++)
        {
            lines.RemoveRange(0, perRender);
            lines.AddRange(Enumerable.Range(i, perRender).Select(n => (ChatEvent)Posted(Bob, $"m{n}")));
            cut.Render(ps => ps.Add(p => p.Version, (version, version, 0)));
            var blocks = cut.FindComponents<MessageBlock>();
            most = Math.Max(most, blocks.Count);
            mostBlocks = Math.Max(mostBlocks, TranscriptBlocks.Cut(lines).Count());
            foreach (var block in blocks)
                built.Add(block.Instance);
        }

        // Block cuts follow the lines' ids, hashed with a salt of the process's own: how many blocks begin, and when, differs
        // from run to run. Measured over 150 runs of each case: 0 to 18 components built after the first render with four
        // spares (median 7), 38 to 68 without (median 50).
        Console.Error.WriteLine($"{perRender} a render: {first} blocks at first, {built.Count} built in all, at most {most} at once");
        Assert.Equal(lines.Select(l => ((MessagePosted)l).Message.Text), cut.FindAll("article .text").Select(a => a.TextContent));
        Assert.InRange(built.Count - first, 0, 28);
        // The spares kept are few: at most MaxSpares empty components beside the blocks, not every block that left.
        Assert.InRange(most, first, mostBlocks + TranscriptBlockKeys.MaxSpares);
    }

    [Fact]
    public void AnotherConversation_ShowsJustItsLines_AndKeepsNoMoreThanTheSparesOfTheBlocksThatLeft()
    {
        // Every block of the conversation left goes at once (about ten of 250 lines): at most MaxSpares of them stay, empty,
        // beside the new conversation's blocks; and whatever the spares showed, the transcript shows just its own lines.
        var one = new List<ChatEvent>(Enumerable.Range(0, 250).Select(i => (ChatEvent)Posted(Bob, $"one {i}")));
        var other = new List<ChatEvent>(Enumerable.Range(0, 100).Select(i => (ChatEvent)Posted(Ada, $"other {i}")));
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, one).Add(p => p.Version, (0, 0, 0)));
        var blocksOfOne = TranscriptBlocks.Cut(one).Count();
        Assert.True(blocksOfOne > TranscriptBlockKeys.MaxSpares, $"{blocksOfOne} blocks");

        cut.Render(ps => ps.Add(p => p.Lines, other).Add(p => p.Version, (1, 0, 0)));
        Assert.Equal(other.Select(l => ((MessagePosted)l).Message.Text), cut.FindAll("article .text").Select(a => a.TextContent));
        Assert.Equal(TranscriptBlocks.Cut(other).Count() + TranscriptBlockKeys.MaxSpares, cut.FindComponents<MessageBlock>().Count);
        cut.Render(ps => ps.Add(p => p.Lines, one).Add(p => p.Version, (2, 0, 0)));

        Assert.Equal(one.Select(l => ((MessagePosted)l).Message.Text), cut.FindAll("article .text").Select(a => a.TextContent));
        Assert.InRange(cut.FindComponents<MessageBlock>().Count, blocksOfOne, blocksOfOne + TranscriptBlockKeys.MaxSpares);
    }

    [Fact]
    public void TheFirstMissedMessage_ArrivingAtTheEnd_IsMarkedNewSinceYouLeft()
    {
        // Back after being away with nothing missed on screen yet: the first message from someone else after the read
        // mark is marked, although it only joins the last block.
        var lines = new List<ChatEvent> { Starter(Ada, sequence: 1) };
        lines.AddRange(Joiners(5, Ada, firstSequence: 2));
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.OwnUserId, Ada.UserId)
            .Add(p => p.MissedAfter, 6L).Add(p => p.MissedCount, 1L).Add(p => p.Version, (1, 0, 0)));
        Assert.Empty(cut.FindAll(".new-since"));

        var missed = Joiners(1, Bob, firstSequence: 7).Single();
        lines.Add(missed);
        cut.Render(ps => ps.Add(p => p.Version, (2, 0, 0)));

        var separator = cut.Find(".new-since");
        Assert.Equal("1 new since you left", separator.TextContent);
        Assert.Equal(missed.Message.Text, separator.NextElementSibling!.QuerySelector(".text")!.TextContent);
    }

    private static MessagePosted Starter(Person? sender = null, long sequence = 0) =>
        Generated(sender ?? Bob, sequence).First(TranscriptBlocks.StartsBlock);

    private static IEnumerable<MessagePosted> Joiners(int count, Person? sender = null, long firstSequence = 0) =>
        Enumerable.Range(0, count).Select(i => Generated(sender ?? Bob, firstSequence == 0 ? 0 : firstSequence + i).First(l => !TranscriptBlocks.StartsBlock(l))).ToList();

    private static IEnumerable<MessagePosted> Generated(Person sender, long sequence) =>
        Enumerable.Range(0, 10_000).Select(i => new MessagePosted(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c." + sender.UserId, sender,
            $"{sender.DisplayName} {Guid.NewGuid():N}", DateTimeOffset.UnixEpoch, sequence)));

    [Fact]
    public void ADeliveryStateChange_RendersOnlyTheBlockHoldingThatMessage()
    {
        var lines = new List<ChatEvent>(Enumerable.Range(0, 300).Select(i => (ChatEvent)Posted(i == 10 ? Ada : Bob, $"m{i}")));
        var mine = ((MessagePosted)lines[10]).Message.Id;
        var outgoing = new Dictionary<Guid, OutgoingMessage> { [mine] = new(mine, "general", "m10", DeliveryState.Sent) };
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.Outgoing, outgoing).Add(p => p.OwnUserId, Ada.UserId));
        var rendersBefore = cut.FindComponents<MessageBlock>().Select(b => b.RenderCount).ToArray();

        outgoing[mine] = outgoing[mine] with { State = DeliveryState.Delivered };
        cut.Render(ps => ps.Add(p => p.Version, (0, 0, 1)));

        var blocks = cut.FindComponents<MessageBlock>();
        var rendered = Enumerable.Range(0, blocks.Count).Where(i => blocks[i].RenderCount > rendersBefore[i]).ToList();
        var holding = TranscriptBlocks.Cut(lines).ToList().FindIndex(b => b.Contains(lines[10]));
        Assert.Equal([holding], rendered);
        Assert.Contains("Delivered", cut.Find("article.own footer").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AskingWhetherToRenderWithNothingChanged_AllocatesNothing_InTheTranscriptOrItsBlocks()
    {
        var lines = new List<ChatEvent>(Enumerable.Range(0, 100).Select(i => (ChatEvent)Posted(i % 2 == 0 ? Ada : Bob, $"m{i}")));
        var mine = ((MessagePosted)lines[10]).Message.Id;
        var outgoing = new Dictionary<Guid, OutgoingMessage> { [mine] = new(mine, "general", "m10", DeliveryState.Sent) };
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, lines).Add(p => p.Outgoing, outgoing).Add(p => p.OwnUserId, Ada.UserId));

        Assert.Equal(0, RenderChecks.AllocatedAskingUnchanged(cut.Instance));
        Assert.All(cut.FindComponents<MessageBlock>(), block => Assert.Equal(0, RenderChecks.AllocatedAskingUnchanged(block.Instance)));
    }

    [Fact]
    public void AnotherConversation_StartsAtItsNewestMessage()
    {
        var module = JSInterop.SetupModule(ModulePath);
        var follower = module.SetupModule(invocation => invocation.Identifier == "follow");
        var toBottom = follower.SetupVoid("toBottom");
        var cut = Render<MessageList>(ps => ps.Add(p => p.Lines, [Posted(Bob, "in general")]));

        cut.Render(ps => ps.Add(p => p.Lines, [Posted(Bob, "in design")]));

        toBottom.VerifyInvoke("toBottom");
    }

    [Fact]
    public async Task Disposing_StopsFollowing()
    {
        var module = JSInterop.SetupModule(ModulePath);
        var follower = module.SetupModule(invocation => invocation.Identifier == "follow");
        var dispose = follower.SetupVoid("dispose");
        Render<MessageList>(ps => ps.Add(p => p.Lines, [Posted(Bob, "hi")]));

        await DisposeComponentsAsync();

        dispose.VerifyInvoke("dispose");
    }

    private IRenderedComponent<MessageList> RenderOwn(MessagePosted posted, OutgoingMessage outgoing,
        Action<ComponentParameterCollectionBuilder<MessageList>>? more = null) =>
        Render<MessageList>(ps =>
        {
            ps.Add(p => p.Lines, [posted])
                .Add(p => p.OwnUserId, Ada.UserId)
                .Add(p => p.Outgoing, new Dictionary<Guid, OutgoingMessage> { [outgoing.Id] = outgoing });
            more?.Invoke(ps);
        });

    private static MessagePosted Posted(Person sender, string text) =>
        new(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c." + sender.UserId, sender, text, DateTimeOffset.UnixEpoch));

    private static DirectPosted Direct(Person sender, string text) =>
        new(new ChatMessage(Guid.NewGuid(), RoomNames.DirectConversation(sender.UserId, Ada.UserId), "c." + sender.UserId, sender, text, DateTimeOffset.UnixEpoch), Ada);
}
