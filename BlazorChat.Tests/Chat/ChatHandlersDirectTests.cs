namespace BlazorChat.Tests.Chat;

/// <summary>direct:send: both people's tabs, and no one else.</summary>
public sealed class ChatHandlersDirectTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task Direct_ReachesEveryTabOfBothPeopleAndNoOneElse()
    {
        var adaTab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var adaTab2 = await _chat.ConnectAsync("user-ada", "Ada");
        var bobTab1 = await _chat.ConnectAsync("user-bob", "Bob");
        var bobTab2 = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");

        var accepted = await adaTab1.SendDirectAsync(bobTab1, "just between us");

        foreach (var tab in new[] { adaTab1, adaTab2, bobTab1, bobTab2 })
        {
            var direct = await tab.Events.WaitForAsync<DirectPosted>(d => d.Message.Id == accepted.Id);
            Assert.Equal("just between us", direct.Message.Text);
            Assert.Equal(new Person("user-ada", "Ada"), direct.Message.Sender);
            Assert.Equal(new Person("user-bob", "Bob"), direct.To);
            Assert.Equal(RoomNames.DirectConversation("user-ada", "user-bob"), direct.Message.Room);
        }
        await carol.BarrierAsync();
        Assert.Empty(carol.Events.OfType<DirectPosted>());
        Assert.Empty(carol.Events.Messages);
        Assert.Equal(0, carol.Events.AcksAsked);
    }

    [Fact]
    public async Task Direct_ReportsDeliveredOnceBothPeoplesOtherTabsAcknowledged()
    {
        var adaTab1 = await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        var accepted = await adaTab1.SendDirectAsync(bob, "psst");

        var report = await adaTab1.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        Assert.Equal(new DeliveryReport(accepted.Id, Recipients: 2, Acknowledged: 2), report);
    }

    [Fact]
    public async Task Direct_ToAPersonWhoIsNotOnlineHere_IsRefusedAndDeliversNothing()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var elsewhere = await _chat.ConnectAsync("user-carol", "Carol", "/tenant-x");

        var offline = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            ada.SendAsync(ChatEvents.SendDirect, new SendDirectRequest(Guid.NewGuid(), "user-nobody", "hello?")));
        var otherNamespace = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendDirectAsync(elsewhere, "hello?"));

        Assert.Contains("not online", offline.Message, StringComparison.Ordinal);
        Assert.Contains("not online", otherNamespace.Message, StringComparison.Ordinal);
        await TestChat.BarrierAsync(ada, bob, elsewhere);
        Assert.All(new[] { ada, bob, elsewhere }, t => Assert.Empty(t.Events.OfType<DirectPosted>()));
    }

    [Fact]
    public async Task Direct_ToOneself_IsRefusedAndDeliversNothing()
    {
        var adaTab1 = await _chat.ConnectAsync("user-ada", "Ada");
        var adaTab2 = await _chat.ConnectAsync("user-ada", "Ada");

        await Assert.ThrowsAsync<ChatRefusedException>(() => adaTab1.SendDirectAsync(adaTab2, "note to self"));

        await TestChat.BarrierAsync(adaTab1, adaTab2);
        Assert.Empty(adaTab1.Events.OfType<DirectPosted>());
        Assert.Empty(adaTab2.Events.OfType<DirectPosted>());
    }

    [Theory]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Direct_WithoutText_IsRefused(string? text)
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await Assert.ThrowsAsync<ChatRefusedException>(() =>
            ada.SendAsync(ChatEvents.SendDirect, new SendDirectRequest(Guid.NewGuid(), bob.UserId, text!)));

        await bob.BarrierAsync();
        Assert.Empty(bob.Events.OfType<DirectPosted>());
    }
}
