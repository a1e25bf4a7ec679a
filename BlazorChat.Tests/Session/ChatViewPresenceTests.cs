namespace BlazorChat.Tests.Session;

/// <summary>A tab applying digests of who came and went (PeopleChanged): the online list, #general's lines, the room counts.</summary>
public sealed class ChatViewPresenceTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Person Ada = new("user-ada", "Ada");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Carol = new("user-carol", "carol");

    private readonly ChatView _view = new();

    public ChatViewPresenceTests() =>
        _view.Apply(new NamespaceWelcome("/", "c.1", Ada, [Ada, Bob], [new RoomSummary(RoomNames.General, 2)], [RoomNames.General]), Now);

    [Fact]
    public void InASmallNamespace_EachArrivalAndDepartureIsALine_InOrder_AndTheListAndCountsChangeOnce()
    {
        var people = _view.PeopleVersion;

        var change = _view.Apply(Digest([(Carol, true), (Bob, false)], [new RoomSummary(RoomNames.General, 2)]), Now);

        Assert.Equal(ViewChange.People | ViewChange.Rooms | ViewChange.Transcript, change);
        Assert.Equal([Ada, Carol], _view.Online);
        Assert.Equal(people + 1, _view.PeopleVersion);
        Assert.Equal([new RoomSummary(RoomNames.General, 2)], _view.Rooms);
        Assert.Equal(["carol joined", "Bob left"], Notices());
    }

    [Fact]
    public void SomeoneListedAlready_OrThisTabsOwnPerson_IsNoNews()
    {
        var change = _view.Apply(Digest([(Ada, true), (Bob, true), (Ada, false)]), Now);

        Assert.Equal(ViewChange.None, change);
        Assert.Equal([Ada, Bob], _view.Online);
        Assert.Empty(_view.CurrentConversation.Lines);
    }

    [Fact]
    public void SomeoneWhoCameAndWentInOneDigest_IsNotListed_AndBothLinesShow()
    {
        _view.Apply(Digest([(Carol, true), (Carol, false)]), Now);

        Assert.Equal([Ada, Bob], _view.Online);
        Assert.Equal(["carol joined", "carol left"], Notices());
    }

    [Fact]
    public void InABigNamespace_ADigestIsOneLineSayingHowManyCameAndWent()
    {
        var crowd = Enumerable.Range(0, ChatView.PresenceLinesUpTo).Select(i => (new Person($"user-{i}", $"P{i}"), true)).ToList();

        _view.Apply(Digest([.. crowd, (Bob, false)]), Now);

        Assert.Equal(ChatView.PresenceLinesUpTo + 1, _view.Online.Count);
        var line = Assert.IsType<PeopleCameAndWent>(Assert.Single(_view.CurrentConversation.Lines));
        Assert.Equal($"{ChatView.PresenceLinesUpTo} people joined, 1 left", line.Text);
        Assert.Equal("1 person joined", new PeopleCameAndWent("/", 1, 0, Now).Text);
        Assert.Equal("1,200 people left", new PeopleCameAndWent("/", 0, 1_200, Now).Text);
    }

    [Fact]
    public void InABigNamespace_DigestsWithNothingSaidBetween_AddUpInOneLine_AndAMessageStartsANewOne()
    {
        var crowd = Enumerable.Range(0, 80).Select(i => new Person($"user-{i}", $"P{i}")).ToList();
        _view.Apply(Digest([.. crowd.Take(60).Select(p => (p, true))]), Now);

        var change = _view.Apply(Digest([.. crowd.Skip(60).Take(10).Select(p => (p, true)), (crowd[0], false)]), Now.AddSeconds(1));
        _view.Apply(Digest([(crowd[1], false)]) with { At = Now.AddSeconds(2) }, Now.AddSeconds(2));

        Assert.True(change.HasFlag(ViewChange.Transcript));
        var line = Assert.IsType<PeopleCameAndWent>(Assert.Single(_view.CurrentConversation.Lines));
        Assert.Equal("70 people joined, 2 left", line.Text);
        Assert.Equal(Now.AddSeconds(2), line.At);

        _view.Apply(new MessagePosted(new ChatMessage(Guid.NewGuid(), RoomNames.General, "c.2", Bob, "hello", Now, 1)), Now);
        _view.Apply(Digest([.. crowd.Skip(70).Select(p => (p, true))]), Now.AddSeconds(3));

        Assert.Equal(["70 people joined, 2 left", "hello", "10 people joined"], _view.CurrentConversation.Lines.Select(l => l switch
        {
            PeopleCameAndWent s => s.Text,
            MessagePosted m => m.Message.Text,
            _ => l.ToString(),
        }));
    }

    [Fact]
    public void ADepartureEndsThatPersonsTypingIndicator()
    {
        _view.Apply(new TypingChanged(RoomNames.General, Bob, true), Now);

        var change = _view.Apply(Digest([(Bob, false)]), Now);

        Assert.True(change.HasFlag(ViewChange.Typing));
        Assert.Empty(_view.TypingIn(RoomNames.General, Now));
    }

    [Fact]
    public void OnlyTheCounts_ChangeOnlyTheRooms()
    {
        var change = _view.Apply(Digest([], [new RoomSummary(RoomNames.General, 2), new RoomSummary("design", 1)]), Now);

        Assert.Equal(ViewChange.Rooms, change);
        Assert.Equal(2, _view.Rooms.Count);
    }

    private static PeopleChanged Digest(IReadOnlyList<(Person Person, bool Online)> changes, IReadOnlyList<RoomSummary>? rooms = null) =>
        new("/", [.. changes.Select(c => new PresenceChange(c.Person, c.Online))], rooms, Now);

    private List<string> Notices() =>
    [
        .. _view.CurrentConversation.Lines.Select(line => line switch
        {
            PersonJoined j => $"{j.Person.DisplayName} joined",
            PersonLeft l => $"{l.Person.DisplayName} left",
            _ => line.ToString()!,
        }),
    ];
}
