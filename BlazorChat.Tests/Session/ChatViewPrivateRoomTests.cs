namespace BlazorChat.Tests.Session;

/// <summary>How a tab's view follows the private rooms its person belongs to.</summary>
public sealed class ChatViewPrivateRoomTests
{
    private static readonly Person Alice = new("user-alice", "Alice");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly PrivateRoomSummary Room = new("p.0123456789abcdefABCDEF", "secret-plans", Alice.UserId, [Alice, Bob]);

    private static ChatView Welcomed(params PrivateRoomSummary[] rooms)
    {
        var view = new ChatView();
        view.Apply(new NamespaceWelcome("/", "c.1", Bob, [Alice, Bob], [new RoomSummary("general", 2)],
            ["general", .. rooms.Select(r => r.Id)], [], rooms), DateTimeOffset.UnixEpoch);
        return view;
    }

    [Fact]
    public void Welcome_ListsThePrivateRooms_AndTheirConversationsAreTitledByTitle()
    {
        var view = Welcomed(Room);

        view.Open(Room.Id);

        Assert.Equal([Room], view.PrivateRooms);
        Assert.Equal(Room, view.CurrentPrivateRoom);
        Assert.Equal("🔒 secret-plans", view.CurrentConversation.Title);
    }

    [Fact]
    public void Invited_TheRoomAppears_AndItsEarlierArrivedMessageGetsTheTitle()
    {
        var view = Welcomed();
        view.Apply(new MessagePosted(new ChatMessage(Guid.NewGuid(), Room.Id, "c.2", Alice, "hi", DateTimeOffset.UnixEpoch, 1)), DateTimeOffset.UnixEpoch);

        view.Apply(new PrivateRoomsChanged([Room]), DateTimeOffset.UnixEpoch);

        Assert.Contains(Room.Id, view.Joined);
        Assert.Equal("🔒 secret-plans", view.Find(Room.Id)!.Title);
        Assert.Equal(1, view.UnreadIn(Room.Id));
    }

    [Fact]
    public void Removed_WhileLookingAtIt_TheRoomAndItsLinesAreGone_AndGeneralIsShown()
    {
        var view = Welcomed(Room);
        view.Open(Room.Id);
        view.Apply(new MessagePosted(new ChatMessage(Guid.NewGuid(), Room.Id, "c.2", Alice, "secret", DateTimeOffset.UnixEpoch, 1)), DateTimeOffset.UnixEpoch);
        view.Apply(new TypingChanged(Room.Id, Alice, true), DateTimeOffset.UnixEpoch);

        view.Apply(new PrivateRoomsChanged([]), DateTimeOffset.UnixEpoch);

        Assert.Empty(view.PrivateRooms);
        Assert.DoesNotContain(Room.Id, view.Joined);
        Assert.Equal(RoomNames.General, view.Current);
        Assert.Null(view.Find(Room.Id));
        Assert.Empty(view.TypingIn(Room.Id, DateTimeOffset.UnixEpoch));
    }
}
