using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Issue 12's check: real people in Chromium in a room of 1,000 headless members (<see cref="BigRoomFixture"/>, the
/// project's load client) see nothing change for the worse: arrivals (one running line in the big #general, a line per
/// person in a small space), the online count, typing, delivery ticks, unread counts, and history after a reload with
/// older pages. The app keeps its defaults (rate limits on); the people here pace their messages accordingly.
/// </summary>
[Collection(BigRoomCollection.Name)]
public sealed partial class BigRoomTests(BigRoomFixture room, ITestOutputHelper output)
{
    private const int Members = BigRoomFixture.Members;

    [Fact(Timeout = 120_000)]
    public async Task ANewcomer_IsOneRunningLineInTheBigRoom_ALineOfTheirOwnInASmallSpace_AndEveryoneIsCounted()
    {
        output.WriteLine($"set-up: {room.SetUpTime.TotalSeconds:F1} s, of which {Members} members connecting and joining "
                         + $"{room.JoinTime.TotalSeconds:F1} s; server RSS after the joins: {room.RssAfterJoinsBytes / (1024 * 1024)} MiB");
        await using var alice = await ChatUser.JoinAsync(room.Browser, room.App.BaseUri, Names.Unique("Alice"));
        // Everyone is counted: the thousand and Alice, in the online list's count and in #general's member count.
        await Expect(OnlineCount(alice)).ToHaveTextAsync($"{Members + 1}");
        await Expect(alice.Room("general").GetByLabel($"{Members + 1} members", new() { Exact = true })).ToBeVisibleAsync();

        await using var bob = await ChatUser.JoinAsync(room.Browser, room.App.BaseUri, Names.Unique("Bob"));

        // In the big #general Bob's arrival is part of one running line, not a line of his own.
        await Expect(OnlineCount(alice)).ToHaveTextAsync($"{Members + 2}");
        var runningLine = alice.Messages.Locator("p.notice").Filter(new() { HasTextRegex = PeopleJoinedLine() });
        await Expect(runningLine).ToHaveCountAsync(1);
        await Expect(alice.Messages.GetByText($"{bob.Name} joined the chat")).ToHaveCountAsync(0);
        await Expect(alice.Room("general").GetByLabel($"{Members + 2} members", new() { Exact = true })).ToBeVisibleAsync();

        // In a small space (a team space of two) the same arrival is a line of its own, and no running line.
        var team = Names.Unique("small").ToLowerInvariant();
        await alice.OpenTeamSpaceAsync(team);
        await Expect(alice.Header).ToContainTextAsync($"/tenant-{team}");
        await bob.OpenTeamSpaceAsync(team);
        await Expect(bob.Header).ToContainTextAsync($"/tenant-{team}");
        await Expect(alice.Messages.GetByText($"{bob.Name} joined the chat", new() { Exact = true })).ToHaveCountAsync(1);
        await Expect(alice.Messages.Locator("p.notice").Filter(new() { HasTextRegex = RunningLine() })).ToHaveCountAsync(0);
        await Expect(OnlineCount(alice)).ToHaveTextAsync("2");
        output.WriteLine($"server RSS at the end of the join notices test: {BigRoomFixture.RssBytes(room.App.ProcessId) / (1024 * 1024)} MiB");
    }

    [Fact(Timeout = 120_000)]
    public async Task InTheBigRoom_TypingShowsAndClears_AMessageShowsDelivered_AndCountsAsUnreadForSomeoneElsewhere()
    {
        await using var alice = await ChatUser.JoinAsync(room.Browser, room.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(room.Browser, room.App.BaseUri, Names.Unique("Bob"));

        // Typing: Bob sees Alice typing in #general (she does not see herself), and it goes once she sends.
        var typing = bob.Page.GetByText($"{alice.Name} is typing…");
        // Typed at a person's pace (about 7 keys a second, 4 s in all), not in one burst: a typing signal is volatile, and
        // one that comes while Bob's tab still takes in the room it just joined is dropped, by design; while she keeps
        // typing, the signal is sent again every TypingSignals.Refresh (2 s), as for anyone typing a sentence.
        await alice.MessageBox.PressSequentiallyAsync("typed in a room of a thousand", new() { Delay = 140 });
        await Expect(typing).ToBeVisibleAsync();
        await Expect(alice.Page.GetByText($"{alice.Name} is typing…")).ToHaveCountAsync(0);
        await alice.MessageBox.PressAsync("Enter");
        await Expect(Message(bob, alice, "typed in a room of a thousand")).ToBeVisibleAsync();
        await Expect(typing).ToHaveCountAsync(0);

        // Delivery ticks: every one of the 1,001 other tabs in #general acknowledged it (a failure shows "Not delivered
        // (n of m received)" here).
        await Expect(Message(alice, alice, "typed in a room of a thousand").Locator("footer")).ToHaveTextAsync("Delivered");

        // Unread: Bob looks at a room of his own; #general's count rises with each message there, and clears when he opens it.
        var side = Names.Unique("side").ToLowerInvariant();
        await bob.CreateRoomAsync(side);
        await bob.OpenRoomAsync(side);
        var general = bob.Room("general");
        await Expect(general.GetByLabel("unread")).ToHaveCountAsync(0);
        await alice.SendAsync("unread one");
        await Expect(general.GetByLabel("1 unread", new() { Exact = true })).ToBeVisibleAsync();
        await alice.SendAsync("unread two");
        await Expect(general.GetByLabel("2 unread", new() { Exact = true })).ToBeVisibleAsync();
        await bob.OpenRoomAsync("general");
        await Expect(Message(bob, alice, "unread two")).ToBeVisibleAsync();
        await Expect(general.GetByLabel("unread")).ToHaveCountAsync(0);
        await Expect(Message(alice, alice, "unread two").Locator("footer")).ToHaveTextAsync("Delivered");
    }

    [Fact(Timeout = 150_000)]
    public async Task InTheBigRoom_AReloadShowsTheLatestMessagesInOrder_AndLoadOlderPagesBack()
    {
        await using var alice = await ChatUser.JoinAsync(room.Browser, room.App.BaseUri, Names.Unique("Alice"));
        await using var bob = await ChatUser.JoinAsync(room.Browser, room.App.BaseUri, Names.Unique("Bob"));
        await using var carol = await ChatUser.JoinAsync(room.Browser, room.App.BaseUri, Names.Unique("Carol"));
        // More than the page of 50 a conversation opens with, each stored before the next is sent (so in this order).
        var tag = Names.Unique("h");
        var texts = Enumerable.Range(1, 56).Select(i => $"{tag} history {i:D2}").ToArray();
        await SendInTurnAsync([alice, bob, carol], texts);

        // A reload is a new circuit: what it shows comes from the store, the latest 50 in order.
        await bob.Page.ReloadAsync();
        await bob.JoinAsync();
        var history = bob.Messages.GetByRole(AriaRole.Article).Filter(new() { HasText = $"{tag} history " });
        await Expect(history).ToHaveTextAsync(InOrder(texts[^50..]));
        await Expect(bob.Messages.GetByRole(AriaRole.Article)).ToHaveCountAsync(50);

        // The older ones come back with "Load older messages", in order before them.
        await bob.Messages.GetByRole(AriaRole.Button, new() { Name = "Load older messages" }).ClickAsync();
        await Expect(history).ToHaveTextAsync(InOrder(texts));
        output.WriteLine($"server RSS after the history test: {BigRoomFixture.RssBytes(room.App.ProcessId) / (1024 * 1024)} MiB");
    }

    // The app's rate limits are on (10 messages per person in a burst, then one a second): the people take turns, one
    // message each, and a person who has used most of their burst waits until a second has passed since their last.
    private static async Task SendInTurnAsync(IReadOnlyList<ChatUser> people, IReadOnlyList<string> texts)
    {
        var sent = new int[people.Count];
        var last = new DateTime[people.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var who = i % people.Count;
            var wait = last[who] + TimeSpan.FromSeconds(1.1) - DateTime.UtcNow;
            if (sent[who] >= 8 && wait > TimeSpan.Zero)
                await Task.Delay(wait);
            await ComposerBurst.SendEachAsync(people[who], [texts[i]]);
            (sent[who], last[who]) = (sent[who] + 1, DateTime.UtcNow);
        }
    }

    private static Regex[] InOrder(IEnumerable<string> texts) => [.. texts.Select(text => new Regex(Regex.Escape(text)))];

    // A message on a person's screen, by its accessible name ("sender: text").
    private static ILocator Message(ChatUser viewer, ChatUser sender, string text) =>
        viewer.Messages.GetByRole(AriaRole.Article, new() { Name = $"{sender.Name}: {text}", Exact = true });

    private static ILocator OnlineCount(ChatUser user) => user.Page.Locator("#online-heading .count");

    // What a big namespace shows for arrivals and departures: "1 person joined", "340 people joined, 12 left".
    [GeneratedRegex(@"^(1 person|[\d,]+ people) (joined|left)(, [\d,]+ left)?$")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"^(1 person|[\d,]+ people) joined(, [\d,]+ left)?$")]
    private static partial Regex PeopleJoinedLine();
}
