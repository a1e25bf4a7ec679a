using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// One person in two tabs of one browser: the name is asked once, rooms joined or left in one tab follow in the other,
/// and reading a conversation in one tab clears its unread badge in the other.
/// </summary>
[Collection(ChatServerCollection.Name)]
public sealed class OnePersonTests(ChatServerFixture server)
{
    [Fact]
    public async Task TheName_IsAskedOnce_ASecondTabAndAReloadJoinUnderIt_AndChangeNameAsksAgain()
    {
        await using var ada = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Ada"));

        var second = await ada.OpenAnotherTabAsync();
        await Expect(second.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(second.GetByLabel("Display name", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(second.GetByRole(AriaRole.List, new() { Name = "Online" }).GetByText(ada.Name)).ToHaveCountAsync(1);

        await ada.Page.ReloadAsync();
        await Expect(ada.MessageBox).ToBeVisibleAsync();
        await Expect(ada.DisplayNameBox).ToHaveCountAsync(0);

        // "Change name" is the one way to be asked again, with the old name offered for editing.
        await second.CloseAsync(new() { RunBeforeUnload = true });
        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "Change name", Exact = true }).ClickAsync();
        await Expect(ada.DisplayNameBox).ToHaveValueAsync(ada.Name);
        var renamed = Names.Unique("Adele");
        await ada.DisplayNameBox.FillAsync(renamed);
        await ada.JoinButton.ClickAsync();
        await Expect(ada.Online.GetByText(renamed)).ToHaveCountAsync(1);
        await ada.Page.ReloadAsync();
        await Expect(ada.Online.GetByText(renamed)).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task ARoomJoinedOrLeftInOneTab_IsJoinedOrLeftInTheOther_AndReadingItClearsTheBadgeInBoth()
    {
        var room = Names.Unique("plans").ToLowerInvariant();
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        await bob.CreateRoomAsync(room);
        await using var ada = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Ada"));
        await using var adaTab2 = await ada.OpenTabAsync();

        await ada.JoinRoomAsync(room);
        await Expect(adaTab2.Rooms.GetByRole(AriaRole.Button, new() { Name = $"Leave {room}", Exact = true })).ToBeVisibleAsync();

        // A message while both tabs show general: unread in both; read in one, cleared in both.
        await bob.OpenRoomAsync(room);
        await bob.SendAsync("read me once");
        await Expect(ada.Rooms.GetByLabel("1 unread")).ToBeVisibleAsync();
        await Expect(adaTab2.Rooms.GetByLabel("1 unread")).ToBeVisibleAsync();
        await ada.OpenRoomAsync(room);
        await Expect(ada.Messages).ToContainTextAsync("read me once");
        await Expect(adaTab2.Rooms.GetByLabel("1 unread")).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        await adaTab2.Rooms.GetByRole(AriaRole.Button, new() { Name = $"Leave {room}", Exact = true }).ClickAsync();
        await Expect(ada.Rooms.GetByRole(AriaRole.Button, new() { Name = $"Join {room}", Exact = true })).ToBeVisibleAsync();
        await Expect(ada.Header).Not.ToContainTextAsync($"# {room}");
    }
}

/// <summary>Anyone can be messaged: the people picker finds people who are away, and the message waits for them.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class PeoplePickerTests(ChatServerFixture server)
{
    [Fact]
    public async Task APrivateMessageToSomeoneAway_StartedFromThePeoplePicker_IsDeliveredWhenTheyComeBack()
    {
        var bobName = Names.Unique("Bob");
        var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, bobName);
        var bobsBrowser = await bob.CloseBrowserAsync();
        await using var ada = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Ada"));
        await Expect(ada.Online.GetByText(bobName)).ToHaveCountAsync(0);

        await ada.Page.GetByRole(AriaRole.Button, new() { Name = "New message", Exact = true }).ClickAsync();
        var picker = ada.Page.GetByRole(AriaRole.Dialog, new() { Name = "New message" });
        await picker.GetByLabel("Search people", new() { Exact = true }).FillAsync(bobName);
        await picker.GetByRole(AriaRole.Button, new() { Name = $"Message {bobName}", Exact = true }).ClickAsync();
        await Expect(ada.Header).ToContainTextAsync(bobName);
        await ada.SendAsync("while you were away");
        await Expect(ada.Messages.GetByText("Sent")).ToBeVisibleAsync();

        await using var bobAgain = await ChatUser.ComeBackAsync(server.Browser, server.App.BaseUri, bobName, bobsBrowser);
        var directs = bobAgain.Page.GetByRole(AriaRole.Navigation, new() { Name = "Direct messages" });
        await Expect(directs.GetByLabel("1 unread")).ToBeVisibleAsync();
        await directs.GetByRole(AriaRole.Button, new() { Name = ada.Name }).ClickAsync();
        await Expect(bobAgain.Messages).ToContainTextAsync("while you were away");
    }
}
