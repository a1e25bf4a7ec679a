namespace BlazorChat.Tests.Chat;

/// <summary>
/// One person across tabs: rooms joined or left in one tab are joined or left in all of that person's tabs, and reading
/// a conversation in one tab clears its unread count in the others. Other people's tabs are not touched.
/// </summary>
public sealed class ChatHandlersOnePersonTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task JoinRoom_InOneTab_JoinsEveryTabOfThatPerson_AndTellsThem()
    {
        var tab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var tab2 = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await tab1.JoinRoomAsync("design");

        Assert.Contains("design", tab2.Socket.Rooms);
        Assert.DoesNotContain("design", bob.Socket.Rooms);
        var told = await tab2.Events.WaitForAsync<RoomMembership>(what: "the membership to Ada's other tab");
        Assert.Equal([RoomNames.General, "design"], told.Joined);
        await bob.BarrierAsync();
        Assert.Empty(bob.Events.OfType<RoomMembership>());
        await tab1.BarrierAsync();
        Assert.Empty(tab1.Events.OfType<RoomMembership>()); // it has the reply
    }

    [Fact]
    public async Task JoinRoom_ReachesTheOtherTab_WithTheRoomsMessages()
    {
        var tab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var tab2 = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");

        await tab1.JoinRoomAsync("design");
        await bob.SendMessageAsync("design", "hello both tabs");

        await tab2.Events.WaitForMessageAsync("hello both tabs");
    }

    [Fact]
    public async Task LeaveRoom_InOneTab_LeavesItInEveryTabOfThatPerson()
    {
        var tab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var tab2 = await _chat.ConnectAsync("user-ada", "Ada");
        await tab1.JoinRoomAsync("design");
        await tab2.Events.WaitForEventAsync(e => e is RoomMembership m && m.Joined.Contains("design"), "the join");

        await tab2.LeaveRoomAsync("design");

        Assert.DoesNotContain("design", tab1.Socket.Rooms);
        await tab1.Events.WaitForEventAsync(e => e is RoomMembership m && !m.Joined.Contains("design"), "the leave to the first tab");
    }

    [Fact]
    public async Task MarkRead_InOneTab_TellsThePersonsOtherTabs_NotTheReadingTabNorAnyoneElse()
    {
        var tab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var tab2 = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var sent = await bob.SendMessageAsync(RoomNames.General, "read me");

        await tab1.SendAsync(ChatEvents.MarkRead, new MarkReadRequest(RoomNames.General, sent.Sequence));

        var read = await tab2.Events.WaitForAsync<ReadMarked>(what: "the read mark to the other tab");
        Assert.Equal(new ReadMarked(RoomNames.General, sent.Sequence), read);
        await tab1.BarrierAsync();
        await bob.BarrierAsync();
        Assert.Empty(tab1.Events.OfType<ReadMarked>());
        Assert.Empty(bob.Events.OfType<ReadMarked>());
    }
}
