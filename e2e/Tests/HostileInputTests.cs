using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>Hostile input from the corpus, in real browsers: huge pastes, invisible messages, reversed text.</summary>
[Collection(ChatServerCollection.Name)]
public sealed class HostileInputTests(ChatServerFixture server)
{
    // 100,000 characters, non-ASCII and JSON-escaped ones among them: 3 UTF-8 bytes for an ideograph, 2 for a quote.
    private static readonly string Paste = string.Concat(Enumerable.Repeat("\u5C71\"\u00E9x", 25_000));

    [Fact]
    public async Task A100000CharacterPasteIntoTheNameBox_IsRefusedAsTooLong_AndTheTabStaysConnected()
    {
        await using var carol = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, Names.Unique("Carol"));

        await carol.DisplayNameBox.FillAsync(Paste);
        await carol.JoinButton.ClickAsync();

        await Expect(carol.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "at most 32 characters" })).ToBeVisibleAsync();
        await Expect(carol.MessageBox).ToHaveCountAsync(0);
        // Still connected: the same tab joins under a proper name.
        await carol.JoinAsync();
    }

    [Fact]
    public async Task A100000CharacterPasteIntoTheComposer_IsRefusedAsTooLong_KeepsTheText_AndTheTabStaysConnected()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));

        await alice.SendAsync(Paste);

        await Expect(alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "the limit is 4,000" })).ToBeVisibleAsync();
        // The browser clears its box on submit and the refusal puts the text back a moment after the alert shows
        // (Composer: _restoreAfterClear): wait for it rather than read the box once.
        await Expect(alice.MessageBox).ToHaveValueAsync(Paste);
        await Expect(alice.Page.GetByText("Connection lost. Reconnecting")).Not.ToBeVisibleAsync();
        await alice.SendAsync("after the paste");
        await Expect(bob.Messages).ToContainTextAsync("after the paste");
        await Expect(bob.Messages).Not.ToContainTextAsync("\u5C71\"\u00E9x\u5C71");
    }

    [Fact]
    public async Task AMessageOfOnlyInvisibleCharacters_IsRefusedAsEmpty_AndNothingIsSent()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));

        await alice.SendAsync("\u200B\u3164 \u2800\uFEFF\u200D\u2060\u00AD");

        await Expect(alice.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "empty message" })).ToBeVisibleAsync();
        await alice.SendAsync("\U0001F469\u200D\U0001F4BB visible");
        await Expect(bob.Messages).ToContainTextAsync("\U0001F469\u200D\U0001F4BB visible");
        await Expect(bob.LinesFrom(alice)).ToHaveCountAsync(1);
        await Expect(alice.LinesFrom(alice)).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task AMessageWithARightToLeftOverride_ShowsInTheOrderItWasTyped()
    {
        await using var alice = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, server.App.BaseUri, Names.Unique("Bob"));

        await alice.SendAsync("invoice\u202Efdp.exe");

        foreach (var person in new[] { alice, bob })
            await Expect(person.Messages.GetByText("invoicefdp.exe", new() { Exact = true })).ToBeVisibleAsync();
    }
}
