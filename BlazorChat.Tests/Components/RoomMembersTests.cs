using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

/// <summary>The private room's members panel, and the private parts of the room list.</summary>
public sealed class RoomMembersTests : ChatUiContext
{
    private static readonly Person Alice = new("user-alice", "Alice");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly PrivateRoomSummary Room = new("p.0123456789abcdefABCDEF", "secret-plans", Alice.UserId, [Alice, Bob]);

    private readonly List<string> _removed = [];
    private int _left;
    private int _invites;

    private IRenderedComponent<RoomMembers> RenderPanel(Person self, string? refusal = null) =>
        Render<RoomMembers>(ps => ps
            .Add(p => p.Room, Room)
            .Add(p => p.SelfUserId, self.UserId)
            .Add(p => p.OnInviteSomeone, () => _invites++)
            .Add(p => p.OnRemove, id => { _removed.Add(id); return Task.FromResult(refusal); })
            .Add(p => p.OnLeave, () => { _left++; return Task.FromResult(refusal); }));

    [Fact]
    public void Panel_IsNamedForItsRoom_AndListsTheMembers_OwnerAndViewerMarked()
    {
        var cut = RenderPanel(Bob);

        Assert.Equal("Members of secret-plans", cut.Find("section").GetAttribute("aria-label"));
        var rows = cut.FindAll("ul[aria-label=Members] li");
        Assert.Equal(["Alice(owner)", "Bob(you)"], rows.Select(r => r.TextContent.Replace(" ", "", StringComparison.Ordinal).Trim()));
        Assert.All(cut.FindAll("ul[aria-label=Members] bdi"), b => Assert.Equal("name", b.ClassName));
    }

    [Fact]
    public void Remove_IsOfferedOnlyToTheOwner_ForOtherMembers()
    {
        var asMember = RenderPanel(Bob);
        Assert.Empty(asMember.FindAll("button[aria-label^=Remove]"));

        var asOwner = RenderPanel(Alice);
        var remove = Assert.Single(asOwner.FindAll("button[aria-label^=Remove]"));
        Assert.Equal("Remove Bob", remove.GetAttribute("aria-label"));
        remove.Click();
        Assert.Equal([Bob.UserId], _removed);
    }

    [Fact]
    public void InviteSomeone_AsksThePageForTheInviteDialog()
    {
        var cut = RenderPanel(Bob);

        var invite = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Invite someone");
        invite.Click();

        Assert.Equal(1, _invites);
        Assert.Empty(cut.FindAll("select"));
    }

    [Fact]
    public void Leave_IsNamedForTheRoom_AndAServerRefusalIsShown()
    {
        var cut = RenderPanel(Bob, refusal: "There is no such room here.");

        cut.Find("button[aria-label='Leave secret-plans']").Click();

        Assert.Equal(1, _left);
        Assert.Equal("There is no such room here.", cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void RoomList_ShowsPrivateRoomsWithTitleAndMemberCount_NeverTheirId()
    {
        var opened = new List<string>();
        var cut = Render<RoomList>(ps => ps
            .Add(p => p.Rooms, [new RoomSummary("general", 3)])
            .Add(p => p.Joined, ["general", Room.Id])
            .Add(p => p.PrivateRooms, [Room])
            .Add(p => p.OnOpen, (string id) => opened.Add(id))
            .Add(p => p.OnJoin, _ => Task.FromResult<string?>(null))
            .Add(p => p.OnLeave, _ => Task.FromResult<string?>(null)));

        var row = cut.Find("li.private-room");
        Assert.Contains("Private room secret-plans", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(Room.Id, cut.Markup, StringComparison.Ordinal);
        Assert.Equal("2 members", row.QuerySelector(".members")!.GetAttribute("aria-label"));
        row.QuerySelector("button")!.Click();
        Assert.Equal([Room.Id], opened);
    }

    [Fact]
    public void RoomList_NewPrivateRoom_AsksThePageForTheDialog_AndTheRoomFormStaysPublic()
    {
        var asked = 0;
        var joined = new List<string>();
        var cut = Render<RoomList>(ps => ps
            .Add(p => p.Rooms, [new RoomSummary("general", 1)])
            .Add(p => p.Joined, ["general"])
            .Add(p => p.OnJoin, room => { joined.Add(room); return Task.FromResult<string?>(null); })
            .Add(p => p.OnLeave, _ => Task.FromResult<string?>(null))
            .Add(p => p.OnNewPrivateRoom, () => asked++));

        cut.Find("button[aria-label='New private room']").Click();
        Assert.Equal(1, asked);

        cut.Find("#new-room").Input("Secret-Plans");
        cut.Find("form").Submit();
        Assert.Equal(["secret-plans"], joined);
        Assert.Equal(1, asked);
    }

    [Fact]
    public void RoomList_WithoutAPrivateHandler_OffersNoPrivateRoomButton()
    {
        var cut = Render<RoomList>(ps => ps
            .Add(p => p.Rooms, [])
            .Add(p => p.Joined, [])
            .Add(p => p.OnJoin, _ => Task.FromResult<string?>(null))
            .Add(p => p.OnLeave, _ => Task.FromResult<string?>(null)));

        Assert.Empty(cut.FindAll("button[aria-label='New private room']"));
    }
}
