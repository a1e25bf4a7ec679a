namespace BlazorChat.Tests.Chat;

/// <summary>message:send: what is refused, what is delivered, and the acknowledgement-based delivery report.</summary>
public sealed class ChatHandlersMessageTests : IAsyncLifetime
{
    private TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task Send_IsAcceptedWithTheServersIdentityAndTrimmedText()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var id = Guid.NewGuid();

        var accepted = await ada.SendMessageAsync(RoomNames.General, "  hi there  ", id);

        Assert.Equal(id, accepted.Id);
        var received = (await bob.Events.WaitForMessageAsync("hi there")).OfType<MessagePosted>().Single().Message;
        Assert.Equal(id, received.Id);
        Assert.Equal(RoomNames.General, received.Room);
        Assert.Equal(ada.Id, received.SenderConnectionId);
        Assert.Equal(new Person("user-ada", "Ada"), received.Sender);
        Assert.Equal(accepted.At, received.SentAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t ")]
    public async Task Send_EmptyOrWhitespace_IsRefusedAndNothingIsDelivered(string text)
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync(RoomNames.General, text));

        await AssertNothingDeliveredAsync(ada, bob);
    }

    [Fact]
    public async Task Send_LongerThanTheLimit_IsRefusedWithTheLimitAndNothingIsDelivered()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() =>
            ada.SendMessageAsync(RoomNames.General, new string('x', ChatRules.MaxMessageLength + 1)));

        Assert.Contains("4,000", refused.Message, StringComparison.Ordinal);
        await AssertNothingDeliveredAsync(ada, bob);
    }

    [Fact]
    public async Task Send_ExactlyAtTheLimit_IsDelivered()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var text = new string('x', ChatRules.MaxMessageLength);

        await ada.SendMessageAsync(RoomNames.General, text);

        await bob.Events.WaitForMessageAsync(text);
    }

    [Fact]
    public async Task Send_ToARoomTheSenderIsNotIn_IsRefusedAndNothingIsDelivered()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.JoinRoomAsync("design");

        var refused = await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendMessageAsync("design", "sneaky"));

        Assert.Contains("join it first", refused.Message, StringComparison.Ordinal);
        await AssertNothingDeliveredAsync(ada, bob);
    }

    [Fact]
    public async Task Send_WhenEveryRecipientAcknowledges_ReportsDelivered()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");

        var accepted = await ada.SendMessageAsync(RoomNames.General, "hello");

        var report = await ada.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        // The sending connection is not a recipient of its own message.
        Assert.Equal(new DeliveryReport(accepted.Id, Recipients: 2, Acknowledged: 2), report);
        Assert.True(report.Delivered);
        Assert.Equal(1, bob.Events.AcksAsked);
        Assert.Equal(1, carol.Events.AcksAsked);
        await TestChat.BarrierAsync(bob, carol);
        Assert.Empty(bob.Events.OfType<DeliveryReport>());
        Assert.Empty(carol.Events.OfType<DeliveryReport>());
        Assert.Empty(_chat.HandlerLog.Warnings);
    }

    [Fact]
    public async Task Send_WithNobodyElseInTheRoom_ReportsNoRecipients()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-bob", "Bob");
        await ada.JoinRoomAsync("quiet");

        var accepted = await ada.SendMessageAsync("quiet", "anyone?");

        var report = await ada.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        Assert.Equal(0, report.Recipients);
    }

    [Fact]
    public async Task Send_WhenOneRecipientNeverAcknowledges_ReportsNotDeliveredWithTheMissingCount()
    {
        await _chat.DisposeAsync();
        _chat = new TestChat(ackTimeout: TimeSpan.FromSeconds(1));
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var silent = await _chat.ConnectAsync("user-silent", "Silent");
        silent.Events.AutoAck = false;

        var accepted = await ada.SendMessageAsync(RoomNames.General, "are you there?");

        var report = await ada.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == accepted.Id);
        Assert.False(report.Delivered);
        Assert.Equal(2, report.Recipients);
        Assert.Equal(1, report.Acknowledged);
        Assert.Equal(1, report.Recipients - report.Acknowledged);
        await silent.Events.WaitForMessageAsync("are you there?"); // It did arrive; it was never confirmed.
    }

    [Fact]
    public async Task Send_RetriedWithTheSameId_IsDeliveredAgainAndShownOnce()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        var id = Guid.NewGuid();

        await ada.SendMessageAsync(RoomNames.General, "retry me", id);
        await ada.Events.WaitForAsync<DeliveryReport>(r => r.MessageId == id);
        await ada.SendMessageAsync(RoomNames.General, "retry me", id);

        await ada.Events.WaitUntilAsync(e => e.OfType<DeliveryReport>().Count(r => r.MessageId == id) == 2, "the second report");
        Assert.All(ada.Events.OfType<DeliveryReport>(), r => Assert.True(r.Delivered));
        await bob.Events.WaitUntilAsync(e => e.OfType<MessagePosted>().Count(m => m.Message.Id == id) == 2, "both copies");

        // The recipient's view shows it once.
        var view = new ChatView();
        foreach (var evt in bob.Events.ChatEvents)
            view.Apply(evt, DateTimeOffset.UnixEpoch);
        Assert.Single(view.CurrentConversation.Lines.OfType<MessagePosted>(), m => m.Message.Id == id);
    }

    [Fact]
    public async Task Send_FromConcurrentSenders_ArrivesInTheSameOrderAtEveryReceiver()
    {
        const int senders = 4;
        const int perSender = 300;
        var senderTabs = new List<TestTab>();
        for (var i = 0; i < senders; i++)
            senderTabs.Add(await _chat.ConnectAsync($"user-sender{i}", $"sender{i}"));
        var receivers = new List<TestTab>();
        for (var i = 0; i < 4; i++)
            receivers.Add(await _chat.ConnectAsync($"user-receiver{i}", $"receiver{i}"));

        // Released together so the senders really overlap.
        using var start = new ManualResetEventSlim();
        var sending = senderTabs.Select(tab => Task.Factory.StartNew(async () =>
        {
            start.Wait();
            for (var i = 0; i < perSender; i++)
                await tab.SendMessageAsync(RoomNames.General, $"{tab.Person.DisplayName}-{i}");
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();
        start.Set();
        await Task.WhenAll(sending);
        await TestChat.BarrierAsync([.. receivers]);

        var sequences = receivers.Select(r => r.Events.Messages.Select(m => m.Id).ToArray()).ToList();
        Assert.All(sequences, sequence => Assert.Equal(senders * perSender, sequence.Length));
        Assert.All(sequences, sequence => Assert.Equal(sequences[0], sequence));
        foreach (var tab in senderTabs)
        {
            var own = receivers[0].Events.Messages.Where(m => m.SenderConnectionId == tab.Id).Select(m => m.Text);
            Assert.Equal(Enumerable.Range(0, perSender).Select(i => $"{tab.Person.DisplayName}-{i}"), own);
        }
    }

    private static async Task AssertNothingDeliveredAsync(params TestTab[] tabs)
    {
        await TestChat.BarrierAsync(tabs);
        Assert.All(tabs, tab => Assert.Empty(tab.Events.Messages));
        Assert.All(tabs, tab => Assert.Empty(tab.Events.OfType<DeliveryReport>()));
    }
}
