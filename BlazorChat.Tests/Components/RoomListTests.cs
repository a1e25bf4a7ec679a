using BlazorChat.Tests.Infrastructure;
using BlazorChat.Components.Chat;
using Bunit;

namespace BlazorChat.Tests.Components;

public sealed class RoomListTests : ChatUiContext
{
    private readonly List<string> _joined = [];
    private readonly List<string> _left = [];
    private readonly List<string> _opened = [];


    [Fact]
    public void Rooms_AreListedWithTheirMemberCounts()
    {
        var cut = RenderRooms();

        var rows = cut.FindAll("nav[aria-label=Rooms] li");
        Assert.Equal(["# general", "# design", "# random"], rows.Select(r => r.QuerySelector(".room-name")!.TextContent));
        Assert.Equal(["3 members", "1 members", "2 members"], rows.Select(r => r.QuerySelector(".members")!.GetAttribute("aria-label")));
        Assert.Equal(["3", "1", "2"], rows.Select(r => r.QuerySelector(".members")!.TextContent));
    }

    [Fact]
    public void UnreadBadges_AreShownOnlyForJoinedRooms()
    {
        var cut = RenderRooms(unread: _ => 4);

        var badges = cut.FindAll(".unread");
        Assert.Equal(2, badges.Count);
        Assert.All(badges, b => Assert.Equal("4 unread", b.GetAttribute("aria-label")));
        Assert.Null(cut.FindAll("li").Single(li => li.TextContent.Contains("random", StringComparison.Ordinal)).QuerySelector(".unread"));
    }

    [Fact]
    public void NoUnread_ShowsNoBadge()
    {
        var cut = RenderRooms(unread: _ => 0);

        Assert.Empty(cut.FindAll(".unread"));
    }

    [Fact]
    public void JoinedRooms_OfferLeaveAndOthersOfferJoin_ByAccessibleName()
    {
        var cut = RenderRooms();

        Assert.NotNull(cut.Find("button[aria-label='Leave general']"));
        Assert.NotNull(cut.Find("button[aria-label='Leave design']"));
        Assert.NotNull(cut.Find("button[aria-label='Join random']"));
        Assert.Empty(cut.FindAll("button[aria-label='Join design']"));
        Assert.Empty(cut.FindAll("button[aria-label='Leave random']"));
    }

    [Fact]
    public void JoinAndLeaveButtons_AskForThatRoom()
    {
        var cut = RenderRooms();

        cut.Find("button[aria-label='Join random']").Click();
        cut.Find("button[aria-label='Leave design']").Click();

        Assert.Equal(["random"], _joined);
        Assert.Equal(["design"], _left);
    }

    [Fact]
    public void Join_Refused_ShowsTheReason()
    {
        var cut = RenderRooms(join: _ => "The room is full.");

        cut.Find("button[aria-label='Join random']").Click();

        Assert.Equal("The room is full.", cut.Find("nav[aria-label=Rooms] [role=alert]").TextContent);
    }

    [Fact]
    public void JoinedRoom_OpensOnClickAndTheCurrentOneIsMarked()
    {
        var cut = RenderRooms();

        var current = Assert.Single(cut.FindAll("button[aria-current=true]"));
        Assert.Contains("general", current.TextContent, StringComparison.Ordinal);
        cut.FindAll("button.channel").Single(b => b.TextContent.Contains("design", StringComparison.Ordinal)).Click();

        Assert.Equal(["design"], _opened);
    }

    [Fact]
    public void Create_InvalidName_ShowsTheReasonAndJoinsNothing()
    {
        var cut = RenderRooms();

        cut.Find("#new-room").Input("bad name!");
        cut.Find("form").Submit();

        Assert.Empty(_joined);
        Assert.Equal(RoomNames.Validate("bad name!", out _), cut.Find("[role=alert]").TextContent);
    }

    [Theory]
    [InlineData("c.xyz")]
    [InlineData("user:abc")]
    public void Create_NameOfAConnectionOrUserRoom_IsRefused(string name)
    {
        var cut = RenderRooms();

        cut.Find("#new-room").Input(name);
        cut.Find("form").Submit();

        Assert.Empty(_joined);
        Assert.False(string.IsNullOrWhiteSpace(cut.Find("[role=alert]").TextContent));
    }

    [Fact]
    public void Create_ValidName_JoinsOpensAndClearsTheBox()
    {
        var cut = RenderRooms();

        cut.Find("#new-room").Input(" #Launch-Plans ");
        cut.Find("form").Submit();

        Assert.Equal(["launch-plans"], _joined);
        Assert.Equal(["launch-plans"], _opened);
        Assert.Equal(string.Empty, cut.Find("#new-room").GetAttribute("value") ?? string.Empty);
        Assert.Equal(string.Empty, cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void Create_Refused_KeepsTheNameAndDoesNotOpen()
    {
        var cut = RenderRooms(join: _ => "Not now.");

        cut.Find("#new-room").Input("later");
        cut.Find("form").Submit();

        Assert.Empty(_opened);
        Assert.Equal("later", cut.Find("#new-room").GetAttribute("value"));
        Assert.Equal("Not now.", cut.Find("[role=alert]").TextContent);
    }

    [Fact]
    public void NewRoomBox_HasAnAccessibleName()
    {
        var cut = RenderRooms();

        Assert.Equal("New room", cut.Find("label[for=new-room]").TextContent);
    }

    private IRenderedComponent<RoomList> RenderRooms(Func<string, int>? unread = null, Func<string, string?>? join = null) =>
        Render<RoomList>(ps => ps
            .Add(p => p.Rooms, [new RoomSummary("general", 3), new RoomSummary("design", 1), new RoomSummary("random", 2)])
            .Add(p => p.Joined, ["general", "design"])
            .Add(p => p.Current, "general")
            .Add(p => p.Unread, unread ?? (_ => 0))
            .Add(p => p.OnOpen, (string room) => _opened.Add(room))
            .Add(p => p.OnJoin, room =>
            {
                _joined.Add(room);
                return Task.FromResult(join?.Invoke(room));
            })
            .Add(p => p.OnLeave, room =>
            {
                _left.Add(room);
                return Task.FromResult<string?>(null);
            }));
}
