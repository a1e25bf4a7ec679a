namespace BlazorChat.Tests.Chat;

/// <summary>room:join and room:leave, what RoomsChanged reports, and that rooms keep their messages to themselves.</summary>
public sealed class ChatHandlersRoomTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task MessageInRoomA_IsNotReceivedInRoomB()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        await ada.JoinRoomAsync("a");
        await bob.JoinRoomAsync("a");
        await carol.JoinRoomAsync("b");

        await ada.SendMessageAsync("a", "only for a");

        var received = await bob.Events.WaitForMessageAsync("only for a");
        Assert.Equal("a", received.OfType<MessagePosted>().Single().Message.Room);
        await ada.Events.WaitForMessageAsync("only for a"); // The sender's tab shows its own message too.
        await carol.BarrierAsync();
        Assert.Empty(carol.Events.Messages);
    }

    [Fact]
    public async Task JoinRoom_RepliesWithTheRoomsThisTabIsIn()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        var membership = await ada.JoinRoomAsync("  #Design ");

        Assert.Equal([RoomNames.General, "design"], membership.Joined);
        Assert.Contains("design", ada.Socket.Rooms);
    }

    [Fact]
    public async Task JoinRoom_RoomsChangedCountsPeopleNotTabs()
    {
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        var adaTab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var adaTab2 = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await adaTab1.JoinRoomAsync("design");
        await adaTab2.JoinRoomAsync("design");
        await carol.BarrierAsync();
        Assert.Equal(
            [new RoomSummary(RoomNames.General, 3), new RoomSummary("design", 1)],
            carol.Events.OfType<RoomsChanged>().Last().Rooms);

        await bob.JoinRoomAsync("design");
        await carol.BarrierAsync();
        Assert.Equal(
            [new RoomSummary(RoomNames.General, 3), new RoomSummary("design", 2)],
            carol.Events.OfType<RoomsChanged>().Last().Rooms);
    }

    [Fact]
    public async Task LeaveRoom_UpdatesTheCountsAndAnEmptiedRoomDisappears()
    {
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await ada.JoinRoomAsync("design");
        await bob.JoinRoomAsync("design");

        var membership = await bob.LeaveRoomAsync("design");

        Assert.Equal([RoomNames.General], membership.Joined);
        await carol.BarrierAsync();
        Assert.Contains(new RoomSummary("design", 1), carol.Events.OfType<RoomsChanged>().Last().Rooms);

        await ada.LeaveRoomAsync("design");
        await carol.BarrierAsync();
        Assert.Equal([new RoomSummary(RoomNames.General, 3)], carol.Events.OfType<RoomsChanged>().Last().Rooms);
    }

    [Fact]
    public async Task LeaveRoom_ThatTheTabIsNotIn_IsRefused()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.LeaveRoomAsync("design"));

        Assert.Contains("design", refused.Message, StringComparison.Ordinal);
        Assert.Contains("design", bob.Socket.Rooms);
    }

    [Fact]
    public async Task JoinRoom_NamedLikeAConnectionIdOrAUserRoom_IsRefusedAndDeliversNothing()
    {
        var eve = await _chat.ConnectAsync("user-eve", "Eve");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        foreach (var room in new[] { bob.Id, ChatNamespace.UserRoomOf(bob.UserId), "c.xyz", "user:abc" })
        {
            await Assert.ThrowsAsync<ChatRefusedException>(() => eve.JoinRoomAsync(room));
            await Assert.ThrowsAsync<ChatRefusedException>(() => eve.SendMessageAsync(room, "eavesdrop"));
        }

        Assert.Equal(new HashSet<string> { eve.Id, ChatNamespace.UserRoomOf(eve.UserId), RoomNames.General }, eve.Socket.Rooms.ToHashSet());
        await bob.BarrierAsync();
        Assert.Empty(bob.Events.Messages);
    }

    [Fact]
    public async Task RoomsAsync_ListsGeneralFirstThenByNameAndHidesConnectionAndUserRooms()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await ada.JoinRoomAsync("zeta");
        await ada.JoinRoomAsync("alpha");

        var rooms = await ChatHandlers.RoomsAsync(_chat.Server.Main);

        Assert.Equal([RoomNames.General, "alpha", "zeta"], rooms.Select(r => r.Name));
    }
}
