namespace BlazorChat.Tests.Chat;

/// <summary>
/// typing: volatile, so the server drops it for a recipient that is busy, not writable, or gets anything else queued
/// behind it. The tests watch it being offered (<see cref="VolatileProbe"/>) and repeat it while a recipient was
/// busy, instead of sending barriers that would themselves drop it.
/// </summary>
public sealed class ChatHandlersTypingTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task Typing_ReachesOthersInTheRoomButNotTheTypersOwnTabsNorOtherRooms()
    {
        var adaTab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var adaTab2 = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        foreach (var tab in new[] { adaTab1, adaTab2, bob })
            await tab.JoinRoomAsync("design");
        var toBob = bob.ProbeVolatile();
        var toOwnTabs = new[] { adaTab1.ProbeVolatile(), adaTab2.ProbeVolatile() };
        var toOtherRoom = carol.ProbeVolatile();
        await TestChat.BarrierAsync(adaTab1, adaTab2, bob, carol);

        await SendUntilOfferedAsync(adaTab1, new TypingRequest("design", IsTyping: true), (bob, toBob));

        Assert.Equal(new TypingChanged("design", adaTab1.Person, true), await bob.Events.WaitForAsync<TypingChanged>());
        Assert.All(toOwnTabs, probe => Assert.Equal(0, probe.Offered));
        Assert.Equal(0, toOtherRoom.Offered);
        await TestChat.BarrierAsync(adaTab1, adaTab2, carol);
        Assert.All(new[] { adaTab1, adaTab2, carol }, tab => Assert.Empty(tab.Events.OfType<TypingChanged>()));
    }

    [Fact]
    public async Task Typing_IsDroppedForAClientThatIsNotWritable()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var lagging = await _chat.ConnectAsync("user-lagging", "Lagging");
        var toBob = bob.ProbeVolatile();
        var toLagging = lagging.ProbeVolatile(writable: false);
        await TestChat.BarrierAsync(bob, lagging);

        await SendUntilOfferedAsync(ada, new TypingRequest(RoomNames.General, IsTyping: true), (bob, toBob), (lagging, toLagging));

        await bob.Events.WaitForAsync<TypingChanged>();
        await lagging.BarrierAsync();
        Assert.Empty(lagging.Events.OfType<TypingChanged>());
    }

    [Fact]
    public async Task Typing_InARoomTheTyperIsNotIn_IsIgnored()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");
        var toBob = bob.ProbeVolatile();
        await bob.BarrierAsync();

        for (var i = 0; i < 3; i++)
            Assert.Null(await ada.SendAsync(ChatEvents.Typing, new TypingRequest("design", IsTyping: true)));

        Assert.Equal(0, toBob.Offered);
        await bob.BarrierAsync();
        Assert.Empty(bob.Events.OfType<TypingChanged>());
    }

    [Fact]
    public async Task Typing_StoppedIsDeliveredToo()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var toBob = bob.ProbeVolatile();
        await bob.BarrierAsync();

        await SendUntilOfferedAsync(ada, new TypingRequest(RoomNames.General, IsTyping: false), (bob, toBob));

        Assert.Equal(new TypingChanged(RoomNames.General, ada.Person, false), await bob.Events.WaitForAsync<TypingChanged>());
    }

    /// <summary>
    /// Sends the typing event until every listed recipient has been offered it. A recipient still busy with an earlier
    /// event is not offered it; that one gets a barrier (safe: nothing volatile is on its way to it) and another try.
    /// </summary>
    internal static async Task SendUntilOfferedAsync(TestTab typer, TypingRequest request, params (TestTab Tab, VolatileProbe Probe)[] recipients)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            Assert.Null(await typer.SendAsync(ChatEvents.Typing, request));
            var waiting = recipients.Where(r => r.Probe.Offered == 0).ToArray();
            if (waiting.Length == 0)
                return;
            await TestChat.BarrierAsync([.. waiting.Select(r => r.Tab)]);
        }
        Assert.Fail("The typing event was never offered to every recipient.");
    }
}
