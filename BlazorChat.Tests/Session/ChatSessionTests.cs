namespace BlazorChat.Tests.Session;

public sealed class ChatSessionTests
{
    private readonly ChatRegistry _registry = new(NullLogger<ChatRegistry>.Instance, TimeProvider.System);

    [Fact]
    public async Task JoinAsync_UsesUserIdFromAuthenticationState()
    {
        using var session = NewSession("user-42");

        var reason = await session.JoinAsync("  Ada  ");

        Assert.Null(reason);
        Assert.True(session.IsJoined);
        Assert.Equal(new Person("user-42", "Ada"), session.Person);
        Assert.Equal([new Person("user-42", "Ada")], _registry.Online);
        Assert.Contains(session.ConnectionId, _registry.MembersOf(ChatRegistry.GeneralRoom));
    }

    [Fact]
    public async Task JoinAsync_TwoSessionsOfTheSameUser_AreOnePersonOnline()
    {
        using var tab1 = NewSession("user-42");
        using var tab2 = NewSession("user-42");

        Assert.Null(await tab1.JoinAsync("Ada"));
        Assert.Null(await tab2.JoinAsync("Ada"));

        Assert.NotEqual(tab1.ConnectionId, tab2.ConnectionId);
        Assert.Equal(2, _registry.ConnectionCount);
        Assert.Single(_registry.Online);
    }

    [Fact]
    public async Task JoinAsync_PrincipalWithoutNameIdentifier_IsRefused()
    {
        using var session = new ChatSession(_registry, FixedAuthenticationStateProvider.WithoutUserId());

        var reason = await session.JoinAsync("Ada");

        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.False(session.IsJoined);
        Assert.Null(session.Person);
        Assert.Equal(0, _registry.ConnectionCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("123456789012345678901234567890123")]
    public async Task JoinAsync_InvalidName_IsRefusedAndDoesNotConnect(string? name)
    {
        using var session = NewSession("user-42");

        Assert.NotNull(await session.JoinAsync(name));

        Assert.False(session.IsJoined);
        Assert.Equal(0, _registry.ConnectionCount);
    }

    [Fact]
    public async Task JoinAsync_NameTakenByAnotherPerson_ReturnsTheRegistryReason()
    {
        using var ada = NewSession("user-1");
        using var impostor = NewSession("user-2");
        await ada.JoinAsync("Ada");

        var reason = await impostor.JoinAsync("ada");

        Assert.NotNull(reason);
        Assert.Contains("already called", reason, StringComparison.Ordinal);
        Assert.False(impostor.IsJoined);
        Assert.Equal(1, _registry.ConnectionCount);
    }

    [Fact]
    public void Send_BeforeJoining_IsRefused()
    {
        using var session = NewSession("user-42");

        Assert.NotNull(session.Send("hello"));
    }

    [Fact]
    public async Task Send_AfterJoining_ReachesSubscribers()
    {
        using var session = NewSession("user-42");
        var received = new EventRecorder();
        using var subscription = session.Subscribe(received.DeliverAsync);
        await session.JoinAsync("Ada");

        Assert.Null(session.Send("  hello  "));

        var events = await received.WaitForMessageAsync("hello");
        Assert.Contains(events, e => e is Welcome { You.UserId: "user-42" });
    }

    [Fact]
    public async Task Send_InvalidText_ReturnsReasonAndSendsNothing()
    {
        using var session = NewSession("user-42");
        await session.JoinAsync("Ada");
        var other = new EventRecorder();
        using var otherConnection = _registry.Connect("other", new Person("user-other", "Other"), other.DeliverAsync);

        Assert.NotNull(session.Send("   "));
        Assert.NotNull(session.Send(new string('x', ChatRules.MaxMessageLength + 1)));
        Assert.Null(session.Send("valid"));

        await other.WaitForMessageAsync("valid");
        Assert.Equal(["valid"], other.Messages.Select(m => m.Text));
    }

    [Fact]
    public void Subscribe_AndDispose_ChangeSubscriberCount()
    {
        using var session = NewSession("user-42");
        Assert.Equal(0, session.SubscriberCount);

        var first = session.Subscribe(_ => Task.CompletedTask);
        var second = session.Subscribe(_ => Task.CompletedTask);
        Assert.Equal(2, session.SubscriberCount);

        first.Dispose();
        first.Dispose(); // A second dispose must not remove anyone else.
        Assert.Equal(1, session.SubscriberCount);

        second.Dispose();
        Assert.Equal(0, session.SubscriberCount);
    }

    [Fact]
    public async Task Subscribe_DisposedHandler_ReceivesNothingMore()
    {
        using var session = NewSession("user-42");
        var gone = new EventRecorder();
        var staying = new EventRecorder();
        var goneSubscription = session.Subscribe(gone.DeliverAsync);
        using var stayingSubscription = session.Subscribe(staying.DeliverAsync);
        await session.JoinAsync("Ada");
        await gone.WaitUntilAsync(e => e.OfType<Welcome>().Any(), "the welcome");

        goneSubscription.Dispose();
        session.Send("after unsubscribe");

        await staying.WaitForMessageAsync("after unsubscribe");
        Assert.Empty(gone.Messages);
    }

    [Fact]
    public async Task Deliver_WhenASubscriberIsAlreadyDisposed_OthersStillReceive()
    {
        using var session = NewSession("user-42");
        using var gone = session.Subscribe(_ => throw new ObjectDisposedException("component"));
        var staying = new EventRecorder();
        using var stayingSubscription = session.Subscribe(staying.DeliverAsync);
        await session.JoinAsync("Ada");

        session.Send("still delivered");

        await staying.WaitForMessageAsync("still delivered");
    }

    [Fact]
    public async Task Deliver_WhenOneSubscriberThrows_LaterSubscribersStillReceive()
    {
        using var session = NewSession("user-42");
        using var broken = session.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));
        var staying = new EventRecorder();
        using var stayingSubscription = session.Subscribe(staying.DeliverAsync);
        await session.JoinAsync("Ada");

        session.Send("still delivered");

        await staying.WaitForMessageAsync("still delivered");
    }

    [Fact]
    public async Task Leave_DisconnectsFromTheRegistry()
    {
        using var session = NewSession("user-42");
        await session.JoinAsync("Ada");
        Assert.Equal(1, _registry.ConnectionCount);

        session.Leave("test");

        Assert.Equal(0, _registry.ConnectionCount);
        Assert.False(session.IsJoined);
        Assert.Empty(_registry.Online);
        Assert.Empty(_registry.RoomsOf(session.ConnectionId));
    }

    [Fact]
    public async Task Dispose_DisconnectsFromTheRegistry()
    {
        var session = NewSession("user-42");
        await session.JoinAsync("Ada");

        session.Dispose();

        Assert.Equal(0, _registry.ConnectionCount);
    }

    [Fact]
    public async Task Leave_ThenJoinAgain_Reconnects()
    {
        using var session = NewSession("user-42");
        await session.JoinAsync("Ada");
        session.Leave("test");

        Assert.Null(await session.JoinAsync("Ada"));

        Assert.Equal(1, _registry.ConnectionCount);
    }

    private ChatSession NewSession(string userId) => new(_registry, FixedAuthenticationStateProvider.ForUser(userId));
}
