namespace BlazorChat.Tests.Chat;

/// <summary>people:search (the people picker) and people:find (an address /dm/{person}).</summary>
public sealed class ChatHandlersPeopleTests : IAsyncLifetime
{
    private readonly TestChat _chat = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    private static async Task<IReadOnlyList<Person>> SearchAsync(TestTab tab, string text) =>
        Assert.IsType<PeopleFound>(await tab.SendAsync(ChatEvents.SearchPeople, new SearchPeopleRequest(text))).People;

    [Fact]
    public async Task Search_FindsPeopleOnline_SeenHereAndAway_AndRegistered_ButNeverTheAsker()
    {
        ((FakeAccountDirectory)_chat.Accounts).Add("user-bobby", "Bobby Tables");
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-bob", "Bob");
        var away = await _chat.ConnectAsync("user-bo", "Bo");
        await away.DisconnectAsync();

        var found = await SearchAsync(ada, "bo");

        Assert.Equal(["Bo", "Bob", "Bobby Tables"], found.Select(p => p.DisplayName));
        Assert.DoesNotContain(await SearchAsync(ada, "ad"), p => p.UserId == "user-ada");
    }

    [Fact]
    public async Task Search_DoesNotFindPeopleSeenOnlyInAnotherNamespace()
    {
        var tenant = await _chat.ConnectAsync("user-tina", "Tina", "/tenant-acme");
        await tenant.DisconnectAsync();
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        Assert.Empty(await SearchAsync(ada, "tina"));
    }

    [Fact]
    public async Task Search_ForMoreThanANamesLength_IsRefused()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        await Assert.ThrowsAsync<ChatRefusedException>(() => ada.SendAsync(ChatEvents.SearchPeople, new SearchPeopleRequest(new string('x', 33))));
    }

    [Fact]
    public async Task Search_ReturnsAtMostMaxPeopleFound_HoweverManyMatchOnlineSeenAndRegistered()
    {
        var directory = (FakeAccountDirectory)_chat.Accounts;
        for (var i = 0; i < ChatHandlers.MaxPeopleFound; i++)
            directory.Add($"user-reg{i}", $"Registered {i}");
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        for (var i = 0; i < ChatHandlers.MaxPeopleFound / 2 + 1; i++)
            await _chat.ConnectAsync($"user-on{i}", $"Online {i}");
        for (var i = 0; i < ChatHandlers.MaxPeopleFound / 2 + 1; i++)
            await (await _chat.ConnectAsync($"user-seen{i}", $"Seen {i}")).DisconnectAsync();

        var found = await SearchAsync(ada, "e");

        Assert.Equal(ChatHandlers.MaxPeopleFound, found.Count);
        Assert.Equal(found.Count, found.DistinctBy(p => p.UserId).Count());
        // Online first, then the most recently seen: the registered never get a look in.
        Assert.Equal(ChatHandlers.MaxPeopleFound / 2 + 1, found.Count(p => p.DisplayName.StartsWith("Online", StringComparison.Ordinal)));
        Assert.DoesNotContain(found, p => p.DisplayName.StartsWith("Registered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_WithNoText_ListsThePeopleHere_NotEveryRegisteredAccount()
    {
        ((FakeAccountDirectory)_chat.Accounts).Add("user-zed", "Zed");
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-bob", "Bob");
        await (await _chat.ConnectAsync("user-bo", "Bo")).DisconnectAsync();

        var found = await SearchAsync(ada, "  ");

        Assert.Equal(["Bo", "Bob"], found.Select(p => p.DisplayName));
        Assert.Equal(["Zed"], (await SearchAsync(ada, "ze")).Select(p => p.DisplayName));
    }

    [Fact]
    public async Task Find_ById_NamesSomeoneAway_AndNobodyForAnUnknownIdOrOneself()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        var bob = await _chat.ConnectAsync("user-bob", "Bob");
        await bob.DisconnectAsync();

        Assert.Equal(new Person("user-bob", "Bob"), Assert.IsType<PersonFound>(await ada.SendAsync(ChatEvents.FindPerson, new FindPersonRequest("user-bob"))).Person);
        Assert.Null(Assert.IsType<PersonFound>(await ada.SendAsync(ChatEvents.FindPerson, new FindPersonRequest("user-nobody"))).Person);
        Assert.Null(Assert.IsType<PersonFound>(await ada.SendAsync(ChatEvents.FindPerson, new FindPersonRequest("user-ada"))).Person);
    }

    [Fact]
    public async Task ARegisteredPersonWhoWasNeverHere_CanBeFound_MessagedAndInvited_LikeThePickerOffersThem()
    {
        ((FakeAccountDirectory)_chat.Accounts).Add("user-grace", "Grace");
        var ada = await _chat.ConnectAsync("user-ada", "Ada");

        Assert.Equal(new Person("user-grace", "Grace"),
            Assert.IsType<PersonFound>(await ada.SendAsync(ChatEvents.FindPerson, new FindPersonRequest("user-grace"))).Person);
        var sent = await ada.SendAsync(ChatEvents.SendDirect, new SendDirectRequest(Guid.NewGuid(), "user-grace", "welcome aboard"));
        Assert.IsType<MessageAccepted>(sent);
        var room = Assert.IsType<PrivateRoomUpdated>(await ada.SendAsync(ChatEvents.CreatePrivateRoom, new CreatePrivateRoomRequest("plans"))).Room;
        var invited = Assert.IsType<PrivateRoomUpdated>(await ada.SendAsync(ChatEvents.InviteToRoom, new InviteToRoomRequest(room.Id, "user-grace")));
        Assert.Contains(invited.Room.Members, m => m.UserId == "user-grace");
    }
}
