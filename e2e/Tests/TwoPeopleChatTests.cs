using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>Two people in two isolated browser contexts, chatting through the accessible names.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class TwoPeopleChatTests(ChatServerFixture server)
{
    [Fact]
    public async Task Bob_SeesAlicesMessage_AndAliceSeesBobsJoinNotice_ButBobDoesNotSeeHisOwn()
    {
        var (aliceName, bobName) = (Names.Unique("Alice"), Names.Unique("Bob"));
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, aliceName);
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, bobName);

        await Expect(alice.Messages).ToContainTextAsync($"{bobName} joined the chat");
        await alice.SendAsync("Hello Bob, welcome!");

        await Expect(bob.Messages).ToContainTextAsync("Hello Bob, welcome!");
        await Expect(bob.Messages).ToContainTextAsync(aliceName);
        await Expect(bob.Messages.GetByText($"{bobName} joined the chat")).ToHaveCountAsync(0);

        await bob.SendAsync("Thanks Alice");
        await Expect(alice.Messages).ToContainTextAsync("Thanks Alice");
        // The sender sees their own message too, and the box is cleared for the next one.
        await Expect(bob.Messages).ToContainTextAsync("Thanks Alice");
        await Expect(bob.MessageBox).ToHaveValueAsync("");

        await server.App.WaitForLogAsync($"({aliceName}) entered");
        Assert.Contains("a user connected", server.App.Log);

        await DocsScreenshot.SaveAsync(alice, bob);
    }

    [Fact]
    public async Task EveryoneSeesWhoIsOnline_AndPeopleLeaveTheListWhenTheirTabCloses()
    {
        var (aliceName, bobName) = (Names.Unique("Alice"), Names.Unique("Bob"));
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, aliceName);
        var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, bobName);

        await Expect(alice.Online.GetByText(bobName)).ToBeVisibleAsync();
        await Expect(bob.Online.GetByText(aliceName)).ToBeVisibleAsync();
        await Expect(bob.Online.GetByText(bobName)).ToBeVisibleAsync();

        await bob.Page.CloseAsync(new() { RunBeforeUnload = true });
        await bob.DisposeAsync();

        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(0);
        await Expect(alice.Messages).ToContainTextAsync($"{bobName} left the chat");
        await server.App.WaitForLogAsync("user disconnected");
    }

    [Fact]
    public async Task APersonWithTwoTabs_IsOnlineOnce_AndStaysOnlineUntilTheLastTabCloses()
    {
        var (aliceName, bobName) = (Names.Unique("Alice"), Names.Unique("Bob"));
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, aliceName);
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, bobName);

        // The second tab knows who Bob is: it joins under his name without asking.
        var bobSecondTab = await bob.OpenAnotherTabAsync();
        await Expect(bobSecondTab.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(bobSecondTab.GetByLabel("Display name", new() { Exact = true })).ToHaveCountAsync(0);

        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(1);
        await Expect(alice.Messages.GetByText($"{bobName} joined the chat")).ToHaveCountAsync(1);

        // A message reaches both of Bob's tabs.
        await alice.SendAsync("Both tabs?");
        await Expect(bob.Messages).ToContainTextAsync("Both tabs?");
        await Expect(bobSecondTab.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("Both tabs?");

        await bobSecondTab.CloseAsync(new() { RunBeforeUnload = true });
        await alice.SendAsync("Still there?");
        await Expect(bob.Messages).ToContainTextAsync("Still there?");
        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(1);
        await Expect(alice.Messages.GetByText($"{bobName} left the chat")).ToHaveCountAsync(0);

        await bob.Page.CloseAsync(new() { RunBeforeUnload = true });
        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(0);
        await Expect(alice.Messages.GetByText($"{bobName} left the chat")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task EnterSends_AndShiftEnterMakesANewLine()
    {
        var (aliceName, bobName) = (Names.Unique("Alice"), Names.Unique("Bob"));
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, aliceName);
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, bobName);

        var oneLine = (await alice.MessageBox.BoundingBoxAsync())!.Height;
        await alice.MessageBox.PressSequentiallyAsync("first line");
        await alice.MessageBox.PressAsync("Shift+Enter");
        await alice.MessageBox.PressSequentiallyAsync("second line");
        await Expect(alice.MessageBox).ToHaveValueAsync("first line\nsecond line");
        // The box grows with its lines (CSS field-sizing), and is back to one line once the message is sent.
        var twoLines = (await alice.MessageBox.BoundingBoxAsync())!.Height;
        Assert.True(twoLines > oneLine + 10, $"the box did not grow with a second line: {oneLine} px, then {twoLines} px");
        await alice.MessageBox.PressAsync("Enter");

        var received = bob.Messages.Locator("article").Filter(new() { HasText = "first line" });
        await Expect(received).ToHaveCountAsync(1);
        Assert.Equal("first line\nsecond line", await received.Locator("p.text").InnerTextAsync());
        await Expect(alice.MessageBox).ToHaveValueAsync("");
        Assert.Equal(oneLine, (await alice.MessageBox.BoundingBoxAsync())!.Height, 1.0);
    }
}
