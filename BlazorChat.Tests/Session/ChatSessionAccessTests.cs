using BlazorChat.Accounts;

namespace BlazorChat.Tests.Session;

/// <summary>A session asks the access checker before each operation and when told access changed.</summary>
public sealed class ChatSessionAccessTests : IAsyncLifetime
{
    private readonly TestChat _chat;
    private readonly FakeAccessChecker _access = new();
    private readonly FakeAccountDirectory _accounts = new();

    public ChatSessionAccessTests()
    {
        _chat = new TestChat(access: _access);
        _chat.Accounts = _accounts;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    private static SendMessageRequest Message(string text) => new(Guid.NewGuid(), RoomNames.General, text);

    [Fact]
    public async Task Send_AfterSignOutElsewhere_IsRefusedWithTheReason_LeavesAndStoresNothing()
    {
        var session = _chat.NewSession("user-ada");
        Assert.Null(await session.JoinAsync("Ada"));
        _access.SignOut("user-ada", raise: false); // only the next action can notice

        var (reply, error) = await session.SendAsync(ChatEvents.SendMessage, Message("after sign-out"));

        Assert.Null(reply);
        Assert.Equal(ChatSession.SignedOutReason, error);
        Assert.Equal(ChatSession.SignedOutReason, session.Notice);
        Assert.False(session.IsJoined);
        Assert.Equal(0, _chat.Server.Main.ConnectionCount);
        Assert.Empty(await _chat.Store.ReadBeforeAsync("/#general", long.MaxValue, 10));
    }

    [Fact]
    public async Task Resume_AfterSigningOutWhileTheTransportWasAway_DoesNotRejoin_AndSaysWhy()
    {
        var session = _chat.NewSession("user-ada");
        var server = _access.SubscriberCount; // the server's own access guard
        Assert.Null(await session.JoinAsync("Ada"));
        await session.SuspendAsync();
        _access.SignOut("user-ada", raise: false);

        Assert.Equal(ChatSession.SignedOutReason, await session.ResumeAsync());

        Assert.False(session.IsJoined);
        Assert.Equal(0, _chat.Server.Main.ConnectionCount);
        Assert.Null(await _chat.Names.NameOfAsync("user-ada"));
        Assert.Equal(server, _access.SubscriberCount);
    }

    [Fact]
    public async Task ASend_AsksWhetherThePersonIsStillSignedIn_OnceNotTwice()
    {
        var session = _chat.NewSession("user-ada");
        Assert.Null(await session.JoinAsync("Ada"));
        var before = _access.SignInChecks;

        var (reply, error) = await session.SendAsync(ChatEvents.SendMessage, Message("one check"));

        Assert.Null(error);
        Assert.NotNull(reply);
        Assert.Equal(before + 1, _access.SignInChecks); // the server's access guard; the session does not ask again
    }

    [Fact]
    public async Task TwoQuickSends_AreStoredInTheOrderTheyWereMade_EvenWhenTheFirstAccessCheckIsSlow()
    {
        var session = _chat.NewSession("user-ada");
        Assert.Null(await session.JoinAsync("Ada"));
        var hold = _access.HoldNextCheck();

        var first = session.SendAsync(ChatEvents.SendMessage, Message("first"));
        var second = session.SendAsync(ChatEvents.SendMessage, Message("second"));
        await Task.Delay(50);
        hold.SetResult();
        await Task.WhenAll(first, second);

        var stored = await _chat.Store.ReadBeforeAsync("/#general", long.MaxValue, 10);
        Assert.Equal(["first", "second"], stored.OrderBy(m => m.Sequence).Select(m => m.Text));
    }

    [Fact]
    public async Task AccessChanged_SignedOut_LeavesAtOnce_AndTellsSubscribers()
    {
        var session = _chat.NewSession("user-ada");
        var told = new TaskCompletionSource();
        using var subscription = session.Subscribe((packet, _) =>
        {
            if (packet.Event == ChatSession.AccessChangedEvent)
                told.TrySetResult();
            return Task.CompletedTask;
        });
        await session.JoinAsync("Ada");

        _access.SignOut("user-ada");

        await told.Task.WaitAsync(EventRecorder.Timeout);
        Assert.False(session.IsJoined);
        Assert.Equal(ChatSession.SignedOutReason, session.Notice);
    }

    [Fact]
    public async Task AccessChanged_ForSomeoneElse_ChangesNothing()
    {
        var session = _chat.NewSession("user-ada");
        await session.JoinAsync("Ada");

        _access.SignOut("user-bob");

        Assert.True(session.IsJoined);
        Assert.Null(session.Notice);
    }

    [Fact]
    public async Task Leaving_StopsWatchingAccess()
    {
        var session = _chat.NewSession("user-ada");
        var server = _access.SubscriberCount; // the server's own access guard
        await session.JoinAsync("Ada");
        Assert.Equal(server + 1, _access.SubscriberCount);

        await session.DisposeAsync();

        Assert.Equal(server, _access.SubscriberCount);
    }

    [Fact]
    public async Task Join_AsAnAccount_UsesTheAccountsDisplayName_WhateverWasTyped()
    {
        _accounts.Add("acct-1", "Registered Ada");
        var session = _chat.NewSession("acct-1");

        Assert.Null(await session.JoinAsync("Somebody Else"));

        Assert.Equal("Registered Ada", session.DisplayName);
        var identity = await session.IdentifyAsync();
        Assert.Equal("Registered Ada", identity.AccountName);
        Assert.False(identity.IsGuest);
    }

    [Theory]
    [InlineData("Registered Ada")]
    [InlineData("REGISTERED ADA")]
    public async Task Join_AsAGuest_UnderARegisteredAccountsName_IsRefused(string name)
    {
        _accounts.Add("acct-1", "Registered Ada");
        var guest = _chat.NewSession(FixedAuthenticationStateProvider.ForUser("guest-1", GuestIdentity.GuestRole));

        var reason = await guest.JoinAsync(name);

        Assert.Contains("registered account", reason);
        Assert.False(guest.IsJoined);
    }

    [Fact]
    public async Task Join_WhenNotSignedInAnyMore_IsRefused()
    {
        _access.SignOut("guest-1", raise: false);
        var guest = _chat.NewSession(FixedAuthenticationStateProvider.ForUser("guest-1", GuestIdentity.GuestRole));

        Assert.Equal(ChatSession.GuestsOffReason, await guest.JoinAsync("Ada"));
        Assert.False(guest.IsJoined);
    }

    [Fact]
    public async Task RevokedAdmin_InAdmin_IsMovedToTheMainNamespace_WithTheReason()
    {
        _accounts.Add("acct-root", "Root", ChatHandlers.AdminRole);
        _access.SetRole("acct-root", ChatHandlers.AdminRole, holds: true, raise: false);
        var session = _chat.NewSession("acct-root");
        await session.JoinAsync(null);
        Assert.Null(await session.SwitchNamespaceAsync(ChatHandlers.AdminNamespace));
        _access.SetRole("acct-root", ChatHandlers.AdminRole, holds: false, raise: false);

        var (_, error) = await session.SendAsync(ChatEvents.SendMessage, Message("still admin?"));

        Assert.Equal(ChatSession.AdminRevokedReason, error);
        Assert.Equal(ChatServer.MainNamespace, session.Namespace);
        Assert.True(session.IsJoined);
    }

    [Fact]
    public async Task OneTabOverTheCap_IsRefusedWithTheMessage_AndJoinsOnceATabCloses()
    {
        _chat.Circuits = new InMemoryCircuitPlaces(new FixedOptionsMonitor<AccountOptions>(new AccountOptions { MaxCircuitsPerPerson = 2 }));
        var first = _chat.NewSession("user-ada");
        var second = _chat.NewSession("user-ada");
        var third = _chat.NewSession("user-ada");
        Assert.True(await first.TakeCircuitPlaceAsync());
        Assert.True(await second.TakeCircuitPlaceAsync());

        Assert.False(await third.TakeCircuitPlaceAsync());
        Assert.Equal("You already have 2 BlazorChat tabs open. Close one to chat here.", await third.JoinAsync("Ada"));
        Assert.False(third.IsJoined);

        await first.DisposeAsync();

        Assert.Null(await third.JoinAsync("Ada"));
        Assert.Null(third.Notice);
    }

    [Fact]
    public async Task CircuitHandler_TakesAPlaceWhenTheCircuitOpens_AndGivesItBackWhenItCloses()
    {
        var session = _chat.NewSession("user-ada");
        var handler = new ChatCircuitHandler(session, Microsoft.Extensions.Options.Options.Create(new ChatOptions()), TimeProvider.System,
            NullLogger<ChatCircuitHandler>.Instance);
        var circuit = (Microsoft.AspNetCore.Components.Server.Circuits.Circuit)System.Runtime.CompilerServices.RuntimeHelpers
            .GetUninitializedObject(typeof(Microsoft.AspNetCore.Components.Server.Circuits.Circuit));

        await handler.OnCircuitOpenedAsync(circuit, CancellationToken.None);
        Assert.Equal(1, _chat.Circuits.CountOf("user-ada"));
        Assert.True(await session.TakeCircuitPlaceAsync()); // the page asks again: still one place
        Assert.Equal(1, _chat.Circuits.CountOf("user-ada"));

        await handler.OnCircuitClosedAsync(circuit, CancellationToken.None);
        await session.DisposeAsync();

        Assert.Equal(0, _chat.Circuits.CountOf("user-ada"));
    }
}
