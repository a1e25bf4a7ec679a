using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>Bad input gets a visible reason and changes nothing for anyone.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class BadInputTests(ChatServerFixture server)
{
    [Fact]
    public async Task AMarkupMessage_ShowsLiterally_AndAddsNoElement()
    {
        const string markup = "<img src=x onerror=alert(1)>";
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));

        await alice.SendAsync(markup);

        foreach (var person in new[] { alice, bob })
        {
            await Expect(person.Messages.GetByText(markup, new() { Exact = true })).ToBeVisibleAsync();
            await Expect(person.Messages.Locator("img")).ToHaveCountAsync(0);
            await Expect(person.Page.Locator("img[src='x']")).ToHaveCountAsync(0);
        }
        Assert.Empty(alice.Dialogs);
        Assert.Empty(bob.Dialogs);
    }

    [Fact]
    public async Task AnEmptyOrBlankMessage_IsRefusedWithAReason_AndNothingIsSent()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));

        await alice.SendButton.ClickAsync();
        await Expect(alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "empty message" })).ToBeVisibleAsync();

        await alice.SendAsync("   \n  ");
        await Expect(alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "empty message" })).ToBeVisibleAsync();

        // A real message afterwards clears the reason and is the only thing Bob receives.
        await alice.SendAsync("now a real one");
        await Expect(bob.Messages).ToContainTextAsync("now a real one");
        await Expect(bob.LinesFrom(alice)).ToHaveCountAsync(1);
        await Expect(bob.LinesFrom(alice)).ToHaveAttributeAsync("aria-label", $"{alice.Name}: now a real one");
        await Expect(alice.LinesFrom(alice)).ToHaveCountAsync(1);
        await Expect(alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "empty message" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AMessageOver4000Characters_IsRefusedWithAReason_AndNothingIsSent()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));
        var tooLong = "TOOLONG" + new string('x', 3995);

        await alice.SendAsync(tooLong);

        await Expect(alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "the limit is 4,000" })).ToBeVisibleAsync();
        // The text stays for editing.
        await Expect(alice.MessageBox).ToHaveValueAsync(tooLong);

        var atTheLimit = "LIMIT" + new string('y', 3995);
        await alice.SendAsync(atTheLimit);
        await Expect(bob.Messages.Locator("article", new() { HasText = "LIMITyyy" })).ToHaveCountAsync(1);
        await Expect(bob.Messages).Not.ToContainTextAsync("TOOLONG");
        await Expect(alice.Messages).Not.ToContainTextAsync("TOOLONG");
    }

    [Fact]
    public async Task ADisplayName_MustBe1To32CharactersAfterTrimming()
    {
        await using var carol = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, "unused");

        await carol.DisplayNameBox.FillAsync("    ");
        await carol.JoinButton.ClickAsync();
        await Expect(carol.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Enter a display name" })).ToBeVisibleAsync();

        await carol.DisplayNameBox.FillAsync(new string('c', 33));
        await carol.JoinButton.ClickAsync();
        await Expect(carol.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "at most 32 characters" })).ToBeVisibleAsync();
        await Expect(carol.MessageBox).ToHaveCountAsync(0);

        var name = Names.Unique("  Carol") + "  ";
        await carol.DisplayNameBox.FillAsync(name);
        await carol.JoinButton.ClickAsync();
        await Expect(carol.MessageBox).ToBeVisibleAsync();
        await Expect(carol.Online.GetByText(name.Trim(), new() { Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ANameSomeoneOnlineAlreadyUses_IsRefusedIgnoringCase()
    {
        var name = Names.Unique("Dana");
        await using var dana = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, name);
        await using var impostor = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, name.ToUpperInvariant());

        await impostor.DisplayNameBox.FillAsync(name.ToUpperInvariant());
        await impostor.JoinButton.ClickAsync();

        await Expect(impostor.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "already called" })).ToBeVisibleAsync();
        await Expect(impostor.MessageBox).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("admin\u202Egnp", "direction")]
    [InlineData("Ad\u200Bmin", "invisible")]
    [InlineData("p\u0430ypal", "mixes")]
    [InlineData("Z\u0351\u0352\u0353algo", "accents")]
    public async Task AHostileDisplayName_IsRefusedWithItsReason_AndNobodyJoins(string name, string reason)
    {
        await using var mallory = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, "Mallory");

        await mallory.DisplayNameBox.FillAsync(name);
        await mallory.JoinButton.ClickAsync();

        await Expect(mallory.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = reason })).ToBeVisibleAsync();
        await Expect(mallory.MessageBox).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ALookAlikeOfAnOnlineName_FullWidth_IsRefused()
    {
        var name = Names.Unique("erin");
        await using var erin = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, name);
        var fullWidth = string.Concat(name.Select(c => c is >= '!' and <= '~' ? (char)(c - '!' + '\uFF01') : c));
        await using var impostor = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, fullWidth);

        await impostor.DisplayNameBox.FillAsync(fullWidth);
        await impostor.JoinButton.ClickAsync();

        await Expect(impostor.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "already called" })).ToBeVisibleAsync();
        await Expect(impostor.MessageBox).ToHaveCountAsync(0);
    }
}
