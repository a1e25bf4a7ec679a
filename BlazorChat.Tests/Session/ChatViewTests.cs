using BlazorChat.Components.Chat;
using BlazorChat.Tests.Infrastructure;
namespace BlazorChat.Tests.Session;

/// <summary>The view state of one tab: pure, so every rule is checked by applying events and reading the result.</summary>
public sealed class ChatViewTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Carol = new("user-carol", "carol");

    private readonly ChatView _view = new();

    public ChatViewTests() => Welcome();

    [Fact]
    public void Welcome_SetsWhoIAmWhoIsOnlineTheRoomsAndOpensGeneral()
    {
        Assert.Equal("/", _view.Namespace);
        Assert.Equal(Ada, _view.Me);
        Assert.Equal([Ada, Bob], _view.Online);
        Assert.Equal([new RoomSummary(RoomNames.General, 2), new RoomSummary("design", 1)], _view.Rooms);
        Assert.Equal([RoomNames.General], _view.Joined);
        Assert.Equal(RoomNames.General, _view.Current);
        Assert.Empty(_view.CurrentConversation.Lines);
    }

    [Fact]
    public void Versions_ChangeWithWhatTheyGuard_AndNotWithAnythingElse()
    {
        var people = _view.PeopleVersion;
        var lines = _view.CurrentConversation.Version;
        var outgoing = _view.OutgoingVersion;

        // A message in the open room and someone typing: the transcript changes, the people list does not.
        _view.Apply(Posted(Bob, RoomNames.General, "hello"), Now);
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);
        Assert.Equal(people, _view.PeopleVersion);
        Assert.NotEqual(lines, _view.CurrentConversation.Version);
        Assert.Equal(outgoing, _view.OutgoingVersion);

        // Someone arriving changes the people list; a private message while another conversation is open changes
        // its unread badge there.
        _view.Apply(new PersonJoined("/", Carol, Now), Now);
        Assert.NotEqual(people, people = _view.PeopleVersion);
        _view.Apply(Direct(Bob, Ada, "psst"), Now);
        Assert.NotEqual(people, people = _view.PeopleVersion);
        _view.Apply(new PersonLeft("/", Carol, Now), Now);
        Assert.NotEqual(people, _view.PeopleVersion);

        var id = Guid.NewGuid();
        _view.Track(new OutgoingMessage(id, RoomNames.General, "mine", DeliveryState.Sending));
        Assert.NotEqual(outgoing, outgoing = _view.OutgoingVersion);
        _view.Apply(new DeliveryReport(id, 1, 1), Now);
        Assert.NotEqual(outgoing, _view.OutgoingVersion);
    }

    [Fact]
    public void Rewrites_ChangeWhenLinesAlreadyShownChange_NotWhenLinesAreAddedAtTheEnd()
    {
        var conversation = _view.CurrentConversation;
        var rewrites = conversation.Rewrites;

        // Live messages and notices land at the end: what was shown stays as it was, in place.
        _view.Apply(Posted(Bob, RoomNames.General, "five", sequence: 5), Now);
        _view.Apply(new PersonJoined("/", Carol, Now), Now);
        _view.Apply(Posted(Bob, RoomNames.General, "six", sequence: 6), Now);
        Assert.Equal(3, conversation.Lines.Count);
        Assert.Equal(rewrites, conversation.Rewrites);

        // A late message goes before lines already shown: they move along.
        _view.Apply(Posted(Bob, RoomNames.General, "three", sequence: 3), Now);
        Assert.Equal("three", ((MessagePosted)conversation.Lines[0]).Message.Text);
        Assert.NotEqual(rewrites, rewrites = conversation.Rewrites);

        // A moderator's removal replaces a line in place.
        var five = ((MessagePosted)conversation.Lines[1]).Message;
        _view.Apply(new BlazorChat.Moderation.MessageRemoved(RoomNames.General, five.Id, five.Sequence), Now);
        Assert.True(((MessagePosted)conversation.Lines[1]).Message.Removed);
        Assert.NotEqual(rewrites, rewrites = conversation.Rewrites);

        // A full window lets its oldest lines go.
        for (var i = 0; i < ChatView.MaxLinesPerConversation; i++)
            _view.Apply(Posted(Bob, RoomNames.General, $"m{i}", sequence: 7 + i), Now);
        Assert.True(conversation.Lines.Count <= ChatView.MaxLinesPerConversation);
        Assert.NotEqual(rewrites, conversation.Rewrites);
    }

    [Fact]
    public void ATabThatSendsAllAlong_KeepsTheDeliveryStatesItCanShow_NotOneForEveryMessageItEverSent()
    {
        var stillSending = Guid.NewGuid();
        _view.Track(new OutgoingMessage(stillSending, RoomNames.General, "no report yet", DeliveryState.Sending));
        var firstDelivered = Guid.Empty;
        for (var i = 1; i <= 2_000; i++)
        {
            var posted = Posted(Ada, RoomNames.General, $"mine {i}", sequence: i);
            _view.Track(new OutgoingMessage(posted.Message.Id, RoomNames.General, posted.Message.Text, DeliveryState.Sending));
            _view.Apply(posted, Now);
            _view.Apply(new DeliveryReport(posted.Message.Id, 1, 1), Now);
            if (i == 1)
                firstDelivered = posted.Message.Id;
        }

        Assert.InRange(_view.Outgoing.Count, ChatView.MaxLinesPerConversation, ChatView.OutgoingKeptUpTo + 1);
        // Every message on screen still shows how its delivery went; one still sending keeps its state wherever it is.
        Assert.All(_view.CurrentConversation.Lines.OfType<MessagePosted>(),
            line => Assert.Equal(DeliveryState.Delivered, _view.Outgoing[line.Message.Id].State));
        Assert.Equal(DeliveryState.Sending, _view.Outgoing[stillSending].State);
        Assert.False(_view.Outgoing.ContainsKey(firstDelivered));
    }

    [Fact]
    public void Apply_SaysWhichPartsOfTheScreenChanged_SoThePageRendersOnlyThose()
    {
        Assert.Equal(ViewChange.Typing, _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now));
        Assert.Equal(ViewChange.None, _view.Apply(new TypingChanged("design", Bob, true), Now)); // not on screen
        // Bob's message ends his typing on screen and adds a line there.
        Assert.Equal(ViewChange.Transcript | ViewChange.Typing, _view.Apply(Posted(Bob, RoomNames.General, "hi"), Now));
        Assert.Equal(ViewChange.Rooms, _view.Apply(Posted(Bob, "design", "elsewhere"), Now)); // its unread count
        Assert.Equal(ViewChange.None, _view.Apply(Posted(Ada, "design", "from my other tab"), Now));
        Assert.Equal(ViewChange.People, _view.Apply(Direct(Bob, Ada, "psst"), Now)); // a new conversation, unread
        Assert.Equal(ViewChange.Rooms, _view.Apply(new RoomsChanged([new RoomSummary(RoomNames.General, 3)]), Now));
        Assert.Equal(ViewChange.People | ViewChange.Transcript, _view.Apply(new PersonJoined("/", Carol, Now), Now));
        _view.Apply(new TypingChanged(RoomNames.General, Carol, true), Now);
        Assert.Equal(ViewChange.People | ViewChange.Typing | ViewChange.Transcript, _view.Apply(new PersonLeft("/", Carol, Now), Now));
        Assert.Equal(ViewChange.Everything, _view.Apply(new PrivateRoomsChanged([]), Now));
    }

    [Fact]
    public void TypingIn_ListsThoseTypingInTheRoomNow_LongestQuietFirst_InTheOrderTheyStartedWhenTied()
    {
        var dan = new Person("user-dan", "Dan");
        _view.Apply(new TypingChanged(RoomNames.General, Carol, true), Now + TimeSpan.FromSeconds(2));
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);
        _view.Apply(new TypingChanged("design", Ada, true), Now); // another room
        _view.Apply(new TypingChanged(RoomNames.General, dan, true), Now + TimeSpan.FromSeconds(2)); // tied with Carol
        _view.Apply(new TypingChanged(RoomNames.General, Ada, true), Now - ChatView.TypingLifetime); // already run out

        Assert.Equal([Bob, Carol, dan], _view.TypingIn(RoomNames.General, Now + TimeSpan.FromSeconds(3)));
        Assert.Equal([Carol, dan], _view.TypingIn(RoomNames.General, Now + ChatView.TypingLifetime));
        Assert.Equal([Ada], _view.TypingIn("design", Now));
    }

    [Fact]
    public void TypingIn_WithNobodyTypingThere_AllocatesNothing()
    {
        // What every member's tab asks at every render of a busy room's conversation.
        _view.Apply(new TypingChanged("design", Bob, true), Now);
        _view.TypingIn(RoomNames.General, Now);

        var typing = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
            typing += _view.TypingIn(RoomNames.General, Now).Count;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, typing);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ExpiredTyping_IsDropped_AndChangesTheScreenOnlyWhenItWasOnScreen()
    {
        Assert.Null(_view.NextTypingExpiry);
        _view.Apply(new TypingChanged("design", Bob, true), Now);
        _view.Apply(new TypingChanged(RoomNames.General, Carol, true), Now + TimeSpan.FromSeconds(2));
        Assert.Equal(Now + ChatView.TypingLifetime, _view.NextTypingExpiry);

        Assert.False(_view.DropExpiredTyping(Now + ChatView.TypingLifetime)); // Bob, in a room not on screen
        Assert.Equal(Now + TimeSpan.FromSeconds(2) + ChatView.TypingLifetime, _view.NextTypingExpiry);
        Assert.False(_view.DropExpiredTyping(Now + ChatView.TypingLifetime)); // nothing more yet
        Assert.Equal([Carol], _view.TypingIn(RoomNames.General, Now + ChatView.TypingLifetime));

        Assert.True(_view.DropExpiredTyping(Now + TimeSpan.FromSeconds(2) + ChatView.TypingLifetime));
        Assert.Null(_view.NextTypingExpiry);
    }

    [Fact]
    public void Clear_ThenWelcomeOfAnotherNamespace_StartsOverWithoutTheOldLinesOrTyping()
    {
        _view.Apply(Posted(Bob, RoomNames.General, "old namespace"), Now);
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);

        _view.Clear();
        _view.Apply(new NamespaceWelcome("/tenant-x", "c.2", Ada, [Ada], [new RoomSummary(RoomNames.General, 1)], [RoomNames.General]), Now);

        Assert.Equal("/tenant-x", _view.Namespace);
        Assert.Equal([Ada], _view.Online);
        Assert.Empty(_view.CurrentConversation.Lines);
        Assert.Empty(_view.TypingIn(RoomNames.General, Now));
    }

    [Fact]
    public void Welcome_AfterTheConnectionsFirstMessages_KeepsThem()
    {
        _view.Clear();
        _view.Apply(Posted(Bob, RoomNames.General, "arrived before the welcome"), Now);

        _view.Apply(new NamespaceWelcome("/", "c.3", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General]), Now);

        Assert.Single(_view.CurrentConversation.Lines);
        Assert.Equal([Ada, Bob], _view.Online);
    }

    [Fact]
    public void PersonJoined_AddsThemOnceInNameOrderAndANotice()
    {
        var joined = new PersonJoined("/", Carol, Now);

        // The people list, and the notice in "general", which is on screen.
        Assert.Equal(ViewChange.People | ViewChange.Transcript, _view.Apply(joined, Now));
        // Again (on a cluster each node where they opened a tab says so): news once.
        Assert.Equal(ViewChange.None, _view.Apply(joined with { At = Now.AddSeconds(1) }, Now));

        Assert.Equal([Ada, Bob, Carol], _view.Online);
        Assert.Equal(joined, Assert.Single(_view.CurrentConversation.Lines));
        Assert.Equal(0, _view.UnreadIn(RoomNames.General));
    }

    [Fact]
    public void PersonLeft_OfSomeoneNotListed_ChangesNothing_TwoNodesMaySaySo()
    {
        _view.Apply(new PersonLeft("/", Bob, Now), Now);

        Assert.Equal(ViewChange.None, _view.Apply(new PersonLeft("/", Bob, Now.AddSeconds(1)), Now));
        Assert.Equal(ViewChange.None, _view.Apply(new PersonLeft("/", Carol, Now), Now));

        Assert.Equal([Ada], _view.Online);
        Assert.IsType<PersonLeft>(Assert.Single(_view.CurrentConversation.Lines));
    }

    [Fact]
    public void PersonLeft_RemovesThemAndTheirTypingAndAddsANotice()
    {
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);

        _view.Apply(new PersonLeft("/", Bob, Now), Now);

        Assert.Equal([Ada], _view.Online);
        Assert.Empty(_view.TypingIn(RoomNames.General, Now));
        Assert.IsType<PersonLeft>(Assert.Single(_view.CurrentConversation.Lines));
    }

    [Fact]
    public void PersonLeft_OfThisTabsOwnPerson_ChangesNothing_ItIsStillHere()
    {
        // Another tab of Ada's closed while this one rejoined: the server counted no tab of hers for a moment.
        Assert.Equal(ViewChange.None, _view.Apply(new PersonLeft("/", Ada, Now), Now));

        Assert.Equal([Ada, Bob], _view.Online);
        Assert.Empty(_view.CurrentConversation.Lines);
    }

    [Fact]
    public void PeopleOnline_WhoeverItDoesNotList_HasLeft_AndWhoeverItAddsIsShownQuietly()
    {
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);

        var change = _view.Apply(new PeopleOnline("/", [Ada, Carol], Now), Now);

        Assert.Equal([Ada, Carol], _view.Online);
        Assert.Empty(_view.TypingIn(RoomNames.General, Now));
        // Bob's leave shows as any leave does; Carol was only missing from this tab's list: no line for her.
        Assert.Equal(new PersonLeft("/", Bob, Now), Assert.Single(_view.CurrentConversation.Lines));
        Assert.True(change.HasFlag(ViewChange.People));
    }

    [Fact]
    public void PeopleOnline_ThatMatchesTheList_ChangesNothing_AndNeverTakesThisTabsOwnPersonAway()
    {
        var version = _view.PeopleVersion;

        Assert.Equal(ViewChange.None, _view.Apply(new PeopleOnline("/", [Ada, Bob], Now), Now));
        Assert.Equal(version, _view.PeopleVersion);
        // A snapshot taken before this tab's own join reached every node: this person is here, whatever it says.
        _view.Apply(new PeopleOnline("/", [Bob], Now), Now);
        Assert.Equal([Ada, Bob], _view.Online);
        Assert.Empty(_view.CurrentConversation.Lines);
    }

    [Fact]
    public void RoomsChanged_ReplacesTheRooms()
    {
        _view.Apply(new RoomsChanged([new RoomSummary(RoomNames.General, 3)]), Now);

        Assert.Equal([new RoomSummary(RoomNames.General, 3)], _view.Rooms);
    }

    [Fact]
    public void MessagePosted_InTheCurrentRoom_IsShownAndNotUnread()
    {
        var posted = Posted(Bob, RoomNames.General, "hi");

        Assert.Equal(ViewChange.Transcript, _view.Apply(posted, Now));

        Assert.Equal([posted], _view.CurrentConversation.Lines);
        Assert.Equal(0, _view.UnreadIn(RoomNames.General));
    }

    [Fact]
    public void MessagePosted_InAnotherRoom_CountsAsUnreadUntilOpened()
    {
        _view.Apply(Posted(Bob, "design", "one"), Now);
        _view.Apply(Posted(Bob, "design", "two"), Now);

        Assert.Equal(2, _view.UnreadIn("design"));
        Assert.Equal(0, _view.UnreadIn(RoomNames.General));
        Assert.Empty(_view.CurrentConversation.Lines);

        _view.Open("design");

        Assert.Equal(0, _view.UnreadIn("design"));
        Assert.Equal(["one", "two"], _view.CurrentConversation.Lines.OfType<MessagePosted>().Select(m => m.Message.Text));
    }

    [Fact]
    public void ReadMarked_InAnotherTab_ClearsTheUnreadCount_UnlessNewerMessagesCameSince()
    {
        _view.SetJoined([RoomNames.General, "design"]);
        _view.Apply(Posted(Bob, "design", "one", sequence: 1), Now);
        _view.Apply(Posted(Bob, "design", "two", sequence: 2), Now);

        Assert.Equal(ViewChange.None, _view.Apply(new ReadMarked("design", 1), Now) & ViewChange.Rooms);
        Assert.Equal(2, _view.UnreadIn("design"));

        Assert.Equal(ViewChange.Rooms, _view.Apply(new ReadMarked("design", 2), Now));
        Assert.Equal(0, _view.UnreadIn("design"));
    }

    [Fact]
    public void ReadMarked_OfAPrivateConversation_ClearsItsBadgeInThePeopleList()
    {
        var direct = Direct(Bob, Ada, "psst", sequence: 1);
        _view.Apply(direct, Now);

        Assert.Equal(ViewChange.People, _view.Apply(new ReadMarked(direct.Message.Room, 1), Now));
        Assert.Equal(0, _view.UnreadIn(direct.Message.Room));
    }

    [Fact]
    public void RoomMembership_FromAnotherTab_JoinsAndLeavesRoomsHere()
    {
        _view.Apply(new RoomMembership([RoomNames.General, "design"]), Now);
        Assert.Equal([RoomNames.General, "design"], _view.Joined);

        _view.Open("design");
        _view.Apply(new RoomMembership([RoomNames.General]), Now);
        Assert.Equal([RoomNames.General], _view.Joined);
        Assert.Equal(RoomNames.General, _view.Current); // the room left in the other tab was on screen here
    }

    [Fact]
    public void MessagePosted_FromSomeoneTyping_EndsTheirTyping()
    {
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);

        _view.Apply(Posted(Bob, RoomNames.General, "done typing"), Now);

        Assert.Empty(_view.TypingIn(RoomNames.General, Now));
    }

    [Fact]
    public void MessagePosted_SeenTwice_IsShownOnceAndCountedOnce()
    {
        var posted = Posted(Bob, "design", "retried");

        _view.Apply(posted, Now);
        _view.Apply(posted with { }, Now);

        Assert.Equal(1, _view.UnreadIn("design"));
        _view.Open("design");
        Assert.Equal([posted], _view.CurrentConversation.Lines);
    }

    [Fact]
    public void MessagePosted_BeyondTheCap_DropsTheOldestLines()
    {
        for (var i = 0; i <= ChatView.MaxLinesPerConversation; i++)
            _view.Apply(Posted(Bob, RoomNames.General, $"m{i}"), Now);

        // Over the cap by one: the oldest batch goes at once (Conversation.TrimBatch), the newest stays.
        var lines = _view.CurrentConversation.Lines.OfType<MessagePosted>().Select(m => m.Message.Text).ToList();
        var batch = Conversation.TrimBatch(ChatView.MaxLinesPerConversation);
        Assert.Equal(ChatView.MaxLinesPerConversation + 1 - batch, lines.Count);
        Assert.Equal($"m{batch}", lines[0]);
        Assert.Equal($"m{ChatView.MaxLinesPerConversation}", lines[^1]);
    }

    [Fact]
    public async Task WithTheWindowFull_AMessageSendsOnlyItsArticle_AndTheOldestGoInABatchNowAndThen()
    {
        var max = ChatView.MaxLinesPerConversation;
        for (var i = 0; i < max; i++)
            _view.Apply(Posted(Bob, RoomNames.General, $"m{i}"), Now);
        var conversation = _view.CurrentConversation;
        using var recorder = BatchRecorder.Create();
        Dictionary<string, object?> Shown() => new()
        {
            [nameof(MessageList.Lines)] = conversation.Lines,
            [nameof(MessageList.Version)] = (conversation.Version, conversation.Rewrites, 0),
        };
        var list = await recorder.RenderAsync<MessageList>(Shown());
        var edits = new List<int>();
        var removals = new List<int>();

        const int Messages = 200;
        for (var i = 0; i < Messages; i++)
        {
            _view.Apply(Posted(Bob, RoomNames.General, $"n{i}"), Now);
            await recorder.SetParametersAsync(list, Shown());
            edits.Add(recorder.InsertedAndRemoved);
            removals.Add(recorder.Removed);
        }

        // One article in for each message. Let go one by one, the oldest line also went with every message (2 edits, and
        // the first block rendered again in every tab); let go in batches, once in TrimBatch messages.
        var batch = Conversation.TrimBatch(max);
        Assert.Equal(1, edits.Order().ElementAt(Messages / 2));
        Assert.InRange(removals.Count(r => r > 0), Messages / batch - 1, Messages / batch + 1);
        Assert.InRange(conversation.Lines.Count, max - batch + 1, max);
    }

    [Fact]
    public void DirectPosted_FromSomeone_OpensAnUnreadConversationWithThem()
    {
        var direct = Direct(Bob, to: Ada, "psst");

        _view.Apply(direct, Now);

        var conversation = Assert.Single(_view.DirectConversations);
        Assert.Equal(RoomNames.DirectConversation(Ada.UserId, Bob.UserId), conversation.Key);
        Assert.Equal(Bob, conversation.With);
        Assert.Equal("Bob", conversation.Title);
        Assert.Equal([direct], conversation.Lines);
        Assert.Equal(1, conversation.Unread);
    }

    [Fact]
    public void DirectPosted_ThatISent_IsInTheConversationWithTheRecipient()
    {
        _view.Apply(Direct(Ada, to: Bob, "from my other tab"), Now);

        Assert.Equal(Bob, Assert.Single(_view.DirectConversations).With);
    }

    [Fact]
    public void OpenDirect_UsesTheSameConversationAsReceivedMessagesAndClearsItsUnread()
    {
        _view.Apply(Direct(Bob, to: Ada, "psst"), Now);

        var key = _view.OpenDirect(Bob);

        Assert.Equal(key, _view.Current);
        Assert.True(_view.CurrentConversation.IsDirect);
        Assert.Single(_view.CurrentConversation.Lines);
        Assert.Equal(0, _view.UnreadIn(key));
        Assert.Single(_view.DirectConversations);
    }

    [Fact]
    public void TypingChanged_ShowsTheTyperUntilItExpires()
    {
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);

        Assert.Equal([Bob], _view.TypingIn(RoomNames.General, Now));
        Assert.Equal([Bob], _view.TypingIn(RoomNames.General, Now + ChatView.TypingLifetime - TimeSpan.FromMilliseconds(1)));
        Assert.Empty(_view.TypingIn(RoomNames.General, Now + ChatView.TypingLifetime));
        Assert.Empty(_view.TypingIn("design", Now));
    }

    [Fact]
    public void TypingChanged_RefreshedExtendsAndStoppedClears()
    {
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now + TimeSpan.FromSeconds(4));

        Assert.Equal([Bob], _view.TypingIn(RoomNames.General, Now + ChatView.TypingLifetime));

        _view.Apply(new TypingChanged(RoomNames.General, Bob, false), Now + TimeSpan.FromSeconds(5));

        Assert.Empty(_view.TypingIn(RoomNames.General, Now + TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(0, 0, DeliveryState.Sent)]
    [InlineData(2, 2, DeliveryState.Delivered)]
    [InlineData(2, 1, DeliveryState.NotDelivered)]
    [InlineData(1, 0, DeliveryState.NotDelivered)]
    public void DeliveryReport_SetsTheStateOfMyMessage(int recipients, int acknowledged, DeliveryState expected)
    {
        var id = Guid.NewGuid();
        _view.Track(new OutgoingMessage(id, RoomNames.General, "hello", DeliveryState.Sent));

        Assert.Equal(ViewChange.Transcript, _view.Apply(new DeliveryReport(id, recipients, acknowledged), Now));

        Assert.Equal(new OutgoingMessage(id, RoomNames.General, "hello", expected, recipients, acknowledged), _view.Outgoing[id]);
    }

    [Fact]
    public void DeliveryReport_ForAMessageNotTracked_ChangesNothing()
    {
        Assert.Equal(ViewChange.None, _view.Apply(new DeliveryReport(Guid.NewGuid(), 1, 1), Now));

        Assert.Empty(_view.Outgoing);
    }

    [Fact]
    public void Forget_StopsTrackingARefusedMessage()
    {
        var id = Guid.NewGuid();
        _view.Track(new OutgoingMessage(id, RoomNames.General, "hello", DeliveryState.Sending));

        _view.Forget(id);

        Assert.Empty(_view.Outgoing);
    }

    [Fact]
    public void AnnouncementPosted_IsShownInTheCurrentConversation()
    {
        _view.Open("design");
        var announcement = new AnnouncementPosted(Carol, "maintenance", Now);

        Assert.Equal(ViewChange.Transcript, _view.Apply(announcement, Now));

        Assert.Equal([announcement], _view.CurrentConversation.Lines);
    }

    [Fact]
    public void Apply_AnEventTheViewDoesNotShow_ChangesNothing()
    {
        Assert.Equal(ViewChange.None, _view.Apply(new MessageAccepted(Guid.NewGuid(), Now), Now));
    }

    [Fact]
    public void SetJoined_WithoutTheCurrentRoom_OpensTheFirstJoinedRoom()
    {
        _view.SetJoined([RoomNames.General, "design"]);
        _view.Open("design");

        _view.SetJoined([RoomNames.General]);

        Assert.Equal([RoomNames.General], _view.Joined);
        Assert.Equal(RoomNames.General, _view.Current);
    }

    [Fact]
    public void DeliveriesMissed_CountsWhatTheStoreHas_InConversationsNotOnScreen_KeepingALargerLiveCount()
    {
        _view.SetJoined([RoomNames.General, "design", "ops"]);
        _view.Apply(Posted(Bob, "ops", "seen live"), Now); // one delivered live before the break
        _view.Apply(Posted(Bob, "ops", "also live"), Now);
        var dm = RoomNames.DirectConversation(Ada.UserId, Bob.UserId);
        var people = _view.PeopleVersion;

        // The node missed broadcasts: the store counts 5 unread in design, 1 in ops (fewer than this tab counted live:
        // a message delivered after the store was read), 2 from Bob privately, and 3 in general, which is on screen.
        var change = _view.Apply(new DeliveriesMissed("/",
        [
            new UnreadConversation("design", null, 5, 10),
            new UnreadConversation("ops", null, 1, 0),
            new UnreadConversation(dm, Bob, 2, 0),
            new UnreadConversation(RoomNames.General, null, 3, 7),
        ]), Now);

        Assert.Equal(5, _view.UnreadIn("design"));
        Assert.Equal(2, _view.UnreadIn("ops"));
        Assert.Equal(2, _view.UnreadIn(dm));
        Assert.Equal(0, _view.UnreadIn(RoomNames.General));
        Assert.Equal(ViewChange.Rooms | ViewChange.People, change);
        Assert.NotEqual(people, _view.PeopleVersion); // the direct list's badge renders
        Assert.Equal(ViewChange.None, _view.Apply(new DeliveriesMissed("/", []), Now));
    }

    private void Welcome() => _view.Apply(new NamespaceWelcome("/", "c.1", Ada, [Ada, Bob],
        [new RoomSummary(RoomNames.General, 2), new RoomSummary("design", 1)], [RoomNames.General]), Now);

    private static MessagePosted Posted(Person sender, string room, string text, long sequence = 0) =>
        new(new ChatMessage(Guid.NewGuid(), room, "c." + sender.UserId, sender, text, Now, sequence));

    private static DirectPosted Direct(Person sender, Person to, string text, long sequence = 0) =>
        new(new ChatMessage(Guid.NewGuid(), RoomNames.DirectConversation(sender.UserId, to.UserId), "c." + sender.UserId, sender, text, Now, sequence), to);
}
