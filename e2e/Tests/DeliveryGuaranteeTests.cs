using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Issue 4's promises seen from real browsers: history after a reload, older pages, private messages that wait for
/// someone away (across a restart too), and no "sent" message lost when the server is killed mid-burst. Each test
/// runs its own app process on its own database file, so it starts from an empty history and may kill its server.
/// </summary>
[Collection(ChatServerCollection.Name)]
public sealed class DeliveryGuaranteeTests(ChatServerFixture server, ITestOutputHelper output)
{
    [Fact(Timeout = 120_000)]
    public async Task AfterAReload_APersonSeesTheHistoryInOrder_AndSoDoesSomeoneWhoJoinsLater()
    {
        await using var app = await PublishedApp.StartAsync();
        await using var alice = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Bob"));
        string[] texts = ["history one", "history two", "history three", "history four", "history five"];

        foreach (var text in texts)
            await SendAndSeeAsync(alice, text);
        await ExpectMessagesAsync(bob, texts);

        // A reload is a new circuit that has been sent nothing: what it shows comes from the store.
        await bob.Page.ReloadAsync();
        await bob.JoinAsync();
        await ExpectMessagesAsync(bob, texts);

        await using var carol = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Carol"));
        await ExpectMessagesAsync(carol, texts);

        // And the history goes on live from there, once, in order.
        await alice.SendAsync("history six");
        await ExpectMessagesAsync(bob, [.. texts, "history six"]);
        await ExpectMessagesAsync(carol, [.. texts, "history six"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task ARoomShowsItsLatest50Messages_AndLoadOlderBringsTheEarlierOnesInOrder()
    {
        await using var app = await PublishedApp.StartAsync();
        await using var alice = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Alice"));
        var texts = Enumerable.Range(1, 60).Select(i => $"older {i:D2}").ToArray();
        await ComposerBurst.SendEachAsync(alice, texts);

        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Bob"));
        await ExpectMessagesAsync(bob, texts[10..]);
        var loadOlder = bob.Messages.GetByRole(AriaRole.Button, new() { Name = "Load older messages" });

        await loadOlder.ClickAsync();

        await ExpectMessagesAsync(bob, texts);
        // Message 1 is on screen: there is nothing older to offer.
        await Expect(loadOlder).ToHaveCountAsync(0);
        await Expect(bob.Messages.GetByRole(AriaRole.Button, new() { Name = "Jump to latest messages" })).ToHaveCountAsync(0);
    }

    [Fact(Timeout = 150_000)]
    public async Task PagingBackPastTheWindow_LetsTheNewestGo_AndJumpToLatestBringsThemBack()
    {
        await using var app = await PublishedApp.StartAsync();
        await using var alice = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Alice"));
        // One by one (each once the one before shows as sent), so nothing is still on its way when "the newest message" goes.
        await ComposerBurst.SendEachAsync(alice, [.. Enumerable.Range(1, ChatWindow + 10).Select(i => $"window {i:D3}")]);
        await alice.SendAsync("the newest message");
        await Expect(alice.Messages.GetByRole(AriaRole.Article).Last).ToContainTextAsync("the newest message");
        // The transcript follows the newest line by itself (MessageList.razor.js), with no call from the server.
        await Expect(alice.Messages.GetByRole(AriaRole.Article).Last).ToBeInViewportAsync();

        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Bob"));
        var articles = bob.Messages.GetByRole(AriaRole.Article);
        var loadOlder = bob.Messages.GetByRole(AriaRole.Button, new() { Name = "Load older messages" });
        var jumpToLatest = bob.Messages.GetByRole(AriaRole.Button, new() { Name = "Jump to latest messages" });
        await Expect(articles).ToHaveCountAsync(50);
        await Expect(articles.Last).ToBeInViewportAsync(); // a conversation opens at its newest message
        for (var shown = 100; shown <= ChatWindow; shown += 50)
        {
            await loadOlder.ClickAsync();
            await Expect(articles).ToHaveCountAsync(shown);
        }
        await Expect(jumpToLatest).ToHaveCountAsync(0);

        // One page more than the window holds: the newest make way, and the page says how to get back to them.
        await loadOlder.ClickAsync();
        await Expect(jumpToLatest).ToBeVisibleAsync();
        await Expect(articles).ToHaveCountAsync(ChatWindow);
        await Expect(bob.Messages).Not.ToContainTextAsync("the newest message");

        await jumpToLatest.ClickAsync();
        await Expect(articles).ToHaveCountAsync(50);
        await Expect(articles.Last).ToContainTextAsync("the newest message");
        await Expect(jumpToLatest).ToHaveCountAsync(0);
        await Expect(loadOlder).ToBeVisibleAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task WordsTypedWhileTheLastMessageIsStillSending_StayInTheBox_AndGoOutNext()
    {
        await using var app = await PublishedApp.StartAsync();
        await using var alice = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Bob"));

        // Enter, and straight away the next words: they reach the server while it is still storing the first message.
        await alice.MessageBox.EvaluateAsync("""
            box => {
              const type = text => { box.value = text; box.dispatchEvent(new Event('input', { bubbles: true })); };
              type('first thought');
              box.form.requestSubmit();
              // The next keystrokes, a moment later, as a person types them: long before the server has stored
              // and confirmed the first message.
              setTimeout(() => type('second thought'), 0);
            }
            """);
        await ExpectMessagesAsync(alice, ["first thought"]);
        await Expect(alice.Messages.GetByRole(AriaRole.Article).GetByText("Sending…")).ToHaveCountAsync(0);
        await Expect(alice.MessageBox).ToHaveValueAsync("second thought");

        await alice.MessageBox.PressAsync("Enter");
        await ExpectMessagesAsync(bob, ["first thought", "second thought"]);
        await Expect(alice.MessageBox).ToHaveValueAsync("");
    }

    [Fact(Timeout = 120_000)]
    public async Task ARetriedMessage_IsStoredOnce_AndShownOnceAfterAReload()
    {
        var database = PublishedApp.NewDatabasePath();
        await using var app = await PublishedApp.StartAsync(databasePath: database);
        await using var alice = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Bob"));

        bob.HoldIncoming = true;
        await alice.SendAsync("only once, please");
        var mine = alice.Messages.GetByRole(AriaRole.Article).Filter(new() { HasText = "only once, please" });
        await Expect(mine.GetByText("Not delivered (0 of 1 received)")).ToBeVisibleAsync();
        bob.ReleaseIncoming();
        await Expect(bob.Messages).ToContainTextAsync("only once, please");

        // The retry carries the same id: the store keeps the one row it has.
        await mine.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(mine.GetByText("Delivered", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Single(ChatDatabase.Messages(database), row => row.Text == "only once, please");

        await bob.Page.ReloadAsync();
        await bob.JoinAsync();
        await ExpectMessagesAsync(bob, ["only once, please"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task PrivateMessagesToSomeoneAway_WaitForThem_AndShowAsUnreadInOrderWhenTheyComeBack_ButNotToAnyoneElse()
    {
        await using var app = await PublishedApp.StartAsync();
        var bobName = Names.Unique("Bob");
        await using var alice = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, bobName);
        await using var carol = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Carol"));
        await alice.MessagePrivatelyAsync(bobName);

        var bobsBrowser = await bob.CloseBrowserAsync();
        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(0);
        var texts = await SendPrivatelyToSomeoneAwayAsync(alice);

        await using var bobAgain = await ChatUser.ComeBackAsync(server.Browser, app.BaseUri, bobName, bobsBrowser);
        var aliceForBob = bobAgain.Online.GetByRole(AriaRole.Listitem).Filter(new() { HasText = alice.Name });
        await Expect(aliceForBob.GetByLabel("3 unread")).ToBeVisibleAsync();
        await bobAgain.MessagePrivatelyAsync(alice.Name);
        await ExpectMessagesAsync(bobAgain, texts);
        await Expect(aliceForBob.GetByLabel("unread")).ToHaveCountAsync(0);

        // Carol was online all along and got none of it: no badge, and her own conversation with Alice is hers alone.
        await Expect(carol.Online.GetByLabel("unread")).ToHaveCountAsync(0);
        await carol.MessagePrivatelyAsync(alice.Name);
        await carol.SendAsync("carol to alice");
        await ExpectMessagesAsync(carol, ["carol to alice"]);
        await Expect(carol.Messages).Not.ToContainTextAsync("while you were away");
    }

    [Fact(Timeout = 150_000)]
    public async Task UnreadPrivateMessages_SurviveAServerKillAndRestart()
    {
        var (port, database) = (AppProcess.FreeLoopbackPort(), PublishedApp.NewDatabasePath());
        var app = await PublishedApp.StartAsync(port, database);
        var bobName = Names.Unique("Bob");
        await using var alice = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Alice"));
        var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, bobName);
        await alice.MessagePrivatelyAsync(bobName);
        var bobsBrowser = await bob.CloseBrowserAsync();
        await Expect(alice.Online.GetByText(bobName)).ToHaveCountAsync(0);
        var texts = await SendPrivatelyToSomeoneAwayAsync(alice);

        await app.StopAsync();
        await alice.MarkPageAsync();
        await using var restarted = await PublishedApp.StartAsync(port, database);

        // Alice's session ended with the old process; her page reloads itself in the same browser, so she is the same person.
        await alice.ReloadedAndBackAsync();
        await using var bobAgain = await ChatUser.ComeBackAsync(server.Browser, restarted.BaseUri, bobName, bobsBrowser);
        var aliceForBob = bobAgain.Online.GetByRole(AriaRole.Listitem).Filter(new() { HasText = alice.Name });
        await Expect(aliceForBob.GetByLabel("3 unread")).ToBeVisibleAsync();
        // What Alice sent, she has read: her cursor survived the restart too.
        await Expect(alice.Online.GetByRole(AriaRole.Listitem).Filter(new() { HasText = bobName })).ToBeVisibleAsync();
        await Expect(alice.Online.GetByLabel("unread")).ToHaveCountAsync(0);

        await bobAgain.MessagePrivatelyAsync(alice.Name);
        await ExpectMessagesAsync(bobAgain, texts);
        await Expect(aliceForBob.GetByLabel("unread")).ToHaveCountAsync(0);
        await app.DisposeAsync();
    }

    /// <summary>The most lines a tab keeps of one conversation (ChatView.MaxLinesPerConversation).</summary>
    private const int ChatWindow = 250;

    /// <summary>How many times the server is killed mid-burst and restarted on the same file.</summary>
    private const int CrashRounds = 2;

    /// <summary>How many messages each of the two people tries to send in a burst (far more than a round lets through).</summary>
    private const int BurstPerPerson = 240;

    /// <summary>How many of each person's messages may be on their way at once (submitted, not yet shown as sent).</summary>
    private const int BurstInFlight = 8;

    /// <summary>The server is killed once the first sender has seen this many of her messages of the round "Sent".</summary>
    private const int KillAfterSent = 30;

    [Fact(Timeout = 240_000)]
    public async Task KillingTheServerMidBurst_LosesNoMessageItsSenderSawSent_AndLeavesAnIntactGaplessDatabase()
    {
        var (port, database) = (AppProcess.FreeLoopbackPort(), PublishedApp.NewDatabasePath());
        var apps = new List<AppProcess> { await PublishedApp.StartAsync(port, database) };
        try
        {
            await using var alice = await ChatUser.JoinAsync(server.Browser, apps[0].BaseUri, Names.Unique("Alice"));
            await using var bob = await ChatUser.JoinAsync(server.Browser, apps[0].BaseUri, Names.Unique("Bob"));
            ChatUser[] senders = [alice, bob];
            var submitted = 0;
            var sent = new List<string>();
            for (var round = 1; round <= CrashRounds; round++)
            {
                if (round > 1)
                {
                    // The same file again, after a crash: the pages reload and rejoin by themselves (their circuits
                    // died with the server, which rejects them when it is back; the browsers remember the names).
                    apps.Add(await PublishedApp.StartAsync(port, database));
                    foreach (var sender in senders)
                        await sender.ReloadedAndBackAsync();
                }
                foreach (var sender in senders)
                    await ComposerBurst.RecordSentAsync(sender);

                // Both into the general room at once: one sequence, contended, and group commits of many messages.
                foreach (var sender in senders)
                {
                    await ComposerBurst.StartAsync(sender,
                        [.. Enumerable.Range(1, BurstPerPerson).Select(i => $"{sender.Name} round {round} burst {i:D3}")], BurstInFlight);
                }
                await ComposerBurst.WaitForSentAsync(alice, KillAfterSent);
                await apps[^1].CrashAsync(); // SIGKILL, mid-burst

                foreach (var sender in senders)
                {
                    var (count, finished) = await ComposerBurst.StopAsync(sender);
                    Assert.False(finished, $"{sender.Name}'s burst had ended before the kill.");
                    submitted += count;
                    // Once the page knows the connection is gone nothing more can arrive: what it shows as sent is final.
                    await Expect(sender.Page.GetByText("Connection lost. Reconnecting")).ToBeVisibleAsync();
                    var mine = await ComposerBurst.SentAsync(sender);
                    sent.AddRange(mine);
                    await sender.MarkPageAsync(); // it reloads itself once the server is back
                    output.WriteLine($"round {round}, {sender.Name}: submitted {count} of {BurstPerPerson}, saw \"Sent\" for {mine.Count}");
                }
            }

            apps.Add(await PublishedApp.StartAsync(port, database));

            // (a) The file is intact.
            Assert.Equal("ok", ChatDatabase.IntegrityCheck(database));

            // (b) Every message whose sender saw "Sent" is stored, once.
            var rows = ChatDatabase.Messages(database);
            var general = rows.Where(r => r.Conversation == ChatDatabase.RoomKey("general")).ToList();
            var storedTexts = general.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
            var lost = sent.Where(text => !storedTexts.Contains(text)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} messages shown as sent are not stored: {string.Join(", ", lost.Take(10))}");
            Assert.Equal(general.Count, storedTexts.Count); // no text twice
            Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());

            // (c) Per conversation, sequences are 1..N across both crashes: no gap, no duplicate, in order.
            foreach (var conversation in rows.GroupBy(r => r.Conversation))
            {
                var report = SequenceReport.Of(conversation.Select(r => r.Sequence));
                Assert.True(report.IsClean, $"{conversation.Key}: {report}");
                Assert.Equal(report.Count, report.Highest);
            }

            // (d) Someone who reloads sees exactly what is stored, in order, paging back to the first message (the
            // bursts are stopped early enough that all of it fits the window).
            Assert.InRange(general.Count, 1, ChatWindow);
            // Her page reloads itself once the server is back, and it is the page read: Bob rejoins meanwhile, and the
            // older pages it loads go above the latest one all the same.
            await alice.ReloadedAndBackAsync();
            var seen = await ReadWholeHistoryAsync(alice, general.Count);
            var twice = seen.GroupBy(x => x).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(twice.Count == 0, $"{twice.Count} shown twice, e.g. {string.Join(", ", twice.Take(5))}; first shown: {string.Join(", ", seen.Take(3))}");
            var stored = general.Select(r => $"{r.SenderName}: {r.Text}").ToList();
            Assert.True(stored.SequenceEqual(seen), $"stored {stored.Count}, shown {seen.Count}, shown not stored: {string.Join(", ", seen.Except(stored).Take(3))}; stored not shown: {string.Join(", ", stored.Except(seen).Take(3))}; shown from {seen.ToList().IndexOf(stored[0])}: {string.Join(" | ", seen.Take(4))} ... {string.Join(" | ", seen.TakeLast(3))}");

            // (e) The restarted server carries on from there: the next message takes the next number.
            await alice.SendAsync("after the restart");
            await Expect(alice.Messages.GetByRole(AriaRole.Article).Last).ToContainTextAsync("after the restart");
            Assert.Equal(general.Count + 1, ChatDatabase.Messages(database).Single(r => r.Text == "after the restart").Sequence);

            output.WriteLine($"{CrashRounds} kills: submitted {submitted}, seen as sent {sent.Count}, stored {general.Count} " +
                $"(sequences 1..{general.Count}), seen after reload {seen.Count}; stored but never seen as sent {general.Count - sent.Count}");
        }
        finally
        {
            foreach (var app in apps)
                await app.DisposeAsync();
        }
    }

    // Alice, looking at her private conversation with someone who is away, sends three messages: each is stored and
    // so "Sent", and with nobody's screen to reach never "Delivered" nor "Not delivered".
    private static async Task<string[]> SendPrivatelyToSomeoneAwayAsync(ChatUser alice)
    {
        string[] texts = ["while you were away 1", "while you were away 2", "while you were away 3"];
        foreach (var text in texts)
            await SendAndSeeAsync(alice, text);
        await ExpectMessagesAsync(alice, texts);
        var mine = alice.Messages.GetByRole(AriaRole.Article);
        await Expect(mine.GetByText("Sent", new() { Exact = true })).ToHaveCountAsync(texts.Length);
        await Expect(mine.GetByText("Sending…")).ToHaveCountAsync(0);
        await Expect(mine.GetByText("Delivered", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(mine.GetByText("Not delivered")).ToHaveCountAsync(0);
        return texts;
    }

    // Sends, and waits until the message is on the sender's own screen: it is stored by then (write, then publish), so
    // whatever is sent next is stored after it. A refused message never shows up: then say why.
    private static async Task SendAndSeeAsync(ChatUser user, string text)
    {
        await user.SendAsync(text);
        try
        {
            await Expect(user.Messages.GetByRole(AriaRole.Article, new() { Name = $"{user.Name}: {text}", Exact = true })).ToBeVisibleAsync();
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"\"{text}\" was not sent: {string.Join(" ", await user.Page.GetByRole(AriaRole.Alert).AllInnerTextsAsync()).Trim()}");
        }
    }

    // The messages on screen, exactly these and in this order (notices are not messages). No text here is part of
    // another, so "contains" picks out each one.
    private static Task ExpectMessagesAsync(ChatUser user, IEnumerable<string> texts) =>
        Expect(user.Messages.GetByRole(AriaRole.Article)).ToHaveTextAsync([.. texts.Select(text => new Regex(Regex.Escape(text)))]);

    // Pages back with "Load older messages" until the first message is on screen; returns every message's accessible
    // name ("sender: text"), top to bottom.
    private static async Task<IReadOnlyList<string>> ReadWholeHistoryAsync(ChatUser user, int total)
    {
        var articles = user.Messages.GetByRole(AriaRole.Article);
        var loadOlder = user.Messages.GetByRole(AriaRole.Button, new() { Name = "Load older messages" });
        var shown = Math.Min(total, 50);
        await Expect(articles).ToHaveCountAsync(shown);
        while (shown < total)
        {
            await loadOlder.ClickAsync();
            shown = Math.Min(total, shown + 50);
            await Expect(articles).ToHaveCountAsync(shown);
        }
        await Expect(loadOlder).ToHaveCountAsync(0);
        return await articles.EvaluateAllAsync<string[]>("articles => articles.map(a => a.getAttribute('aria-label'))");
    }
}
