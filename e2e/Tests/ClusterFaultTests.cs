using System.Diagnostics;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Faults on a cluster (issue 11): each test starts a cluster of its own with cluster/run.sh (PostgreSQL, three nodes,
/// the front door) and really does the fault to it. Real Chromium, one isolated browser per person, all through the
/// front door.
/// </summary>
[Collection(ClusterFaultsCollection.Name)]
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    /// <summary>How many messages each person tries to send in the burst (far more than get through before the kill).</summary>
    private const int BurstPerPerson = 400;

    /// <summary>How many of a person's messages may be on their way at once.</summary>
    private const int BurstInFlight = 4;

    /// <summary>The node is killed once the person on it has seen this many of her messages "Sent".</summary>
    private const int KillAfterSent = 25;

    /// <summary>How long a tab on the killed node may take to be back in the chat on another node (the requirement).</summary>
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 300_000)]
    public async Task KillingANodeMidBurst_ItsTabsAreBackOnAnotherNodeWithin10s_AndEveryoneSeesEachSentMessageOnceInOrder()
    {
        var cluster = new ClusterFixture();
        var people = new List<ChatUser>();
        try
        {
            await cluster.InitializeAsync();

            // Alice, and Bob on another node (the front door deals new browsers out in turn).
            var nodes = new Dictionary<ChatUser, string>();
            ChatUser? alice = null, bob = null;
            for (var i = 0; i < 4 && bob is null; i++)
            {
                var user = await ChatUser.JoinAsync(cluster.Browser, cluster.FrontDoor, Names.Unique(i == 0 ? "Alice" : "Bob"), interceptCircuit: false);
                people.Add(user);
                nodes[user] = await cluster.NodeOfAsync(user.Context);
                if (alice is null)
                    alice = user;
                else if (nodes[user] != nodes[alice])
                    bob = user;
            }
            Assert.True(bob is not null, "four browsers all landed on one node");
            var victim = nodes[alice!];
            output.WriteLine($"{alice!.Name} on {victim}, {bob.Name} on {nodes[bob]}");
            await Expect(alice.Online.GetByText(bob.Name)).ToBeVisibleAsync();
            await Expect(bob.Online.GetByText(alice.Name)).ToBeVisibleAsync();

            // Both send a numbered burst into the general room; the node Alice is on is killed in the middle of it.
            ChatUser[] senders = [alice, bob];
            foreach (var sender in senders)
            {
                await ComposerBurst.RecordSentAsync(sender);
                await ComposerBurst.StartAsync(sender,
                    [.. Enumerable.Range(1, BurstPerPerson).Select(n => SequenceChecker.Text(sender.Name, n))], BurstInFlight);
            }
            await ComposerBurst.WaitForSentAsync(alice, KillAfterSent);
            cluster.KillNode(victim);
            var sinceKill = Stopwatch.StartNew();

            // What each page shows as sent once the burst is over is final: Alice's page has lost its node (nothing more
            // can arrive), and Bob's node answers whatever he had on the way.
            var sent = new Dictionary<string, List<string>>();
            var submitted = new Dictionary<string, int>();
            var (aliceSubmitted, aliceFinished) = await ComposerBurst.StopAsync(alice);
            Assert.False(aliceFinished, "Alice's burst ended before the kill");
            await Expect(alice.Page.GetByText("Connection lost. Reconnecting")).ToBeVisibleAsync(new() { Timeout = 5_000 });
            sent[alice.Name] = [.. await ComposerBurst.SentAsync(alice)];
            submitted[alice.Name] = aliceSubmitted;
            var (bobSubmitted, _) = await ComposerBurst.StopAsync(bob);
            submitted[bob.Name] = bobSubmitted;
            await bob.Page.WaitForFunctionAsync("n => window.__sent.size >= n", bobSubmitted, new() { PollingInterval = 20, Timeout = 15_000 });
            sent[bob.Name] = [.. await ComposerBurst.SentAsync(bob)];
            foreach (var sender in senders)
                output.WriteLine($"{sender.Name}: submitted {submitted[sender.Name]}, saw \"Sent\" for {sent[sender.Name].Count}");

            // Alice's tab comes back by itself: its reconnect is rejected by a live node (which never had her circuit),
            // it reloads through the front door onto that node and rejoins under her name. (A reload ends __sent.)
            await alice.Page.WaitForFunctionAsync("() => window.__sent === undefined", null, new() { PollingInterval = 50, Timeout = 30_000 });
            await Expect(alice.MessageBox).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(alice.Page.GetByText("Connection lost")).ToBeHiddenAsync();
            var backAfter = sinceKill.Elapsed;
            var aliceNow = await cluster.NodeOfAsync(alice.Context);
            output.WriteLine($"{alice.Name} back in the chat on {aliceNow} {backAfter.TotalSeconds:F1} s after the kill");
            Assert.NotEqual(victim, aliceNow);
            Assert.True(backAfter <= BackWithin, $"{alice.Name} was back only {backAfter.TotalSeconds:F1} s after the kill");

            // Both carry on, numbering on: live delivery works both ways again.
            foreach (var sender in senders)
            {
                var after = Enumerable.Range(submitted[sender.Name] + 1, 3).Select(n => SequenceChecker.Text(sender.Name, n)).ToList();
                await ComposerBurst.SendEachAsync(sender, after);
                sent[sender.Name].AddRange(after);
            }

            // The sequence checker, on each person's transcript (all of it, paging back to the first message): every
            // message its sender saw "Sent" exactly once, each sender's in order.
            var expected = senders.ToDictionary(s => s.Name, s => SequenceChecker.NumbersOf(s.Name, sent[s.Name]));
            foreach (var reader in senders)
            {
                foreach (var sender in senders)
                {
                    await Expect(reader.Messages.Locator($"article[aria-label='{sender.Name}: {sent[sender.Name][^1]}']"))
                        .ToHaveCountAsync(1, new() { Timeout = 15_000 });
                }
                var transcript = await TranscriptAsync(reader);
                var problems = SequenceChecker.Problems(transcript, expected);
                output.WriteLine($"{reader.Name}'s transcript: {transcript.Count} lines, {problems.Count} problems");
                Assert.True(problems.Count == 0, $"{reader.Name}'s transcript:\n{string.Join('\n', problems)}");
            }
        }
        finally
        {
            foreach (var person in people)
                await person.DisposeAsync();
            await cluster.DisposeAsync();
        }
    }

    // Every message label in a person's log, top to bottom, after paging back to the first message.
    private static async Task<IReadOnlyList<string>> TranscriptAsync(ChatUser user)
    {
        var loadOlder = user.Messages.GetByRole(AriaRole.Button, new() { Name = "Load older messages" });
        for (var i = 0; i < 40 && await loadOlder.CountAsync() > 0; i++)
        {
            var before = await user.Messages.GetByRole(AriaRole.Article).CountAsync();
            await loadOlder.ClickAsync();
            await Expect(user.Messages.GetByRole(AriaRole.Article)).Not.ToHaveCountAsync(before);
        }
        return await user.Messages.GetByRole(AriaRole.Article)
            .EvaluateAllAsync<string[]>("articles => articles.map(a => a.getAttribute('aria-label'))");
    }
}

/// <summary>The fault tests, each with a cluster of its own, one at a time (never beside another cluster's tests).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFaultsCollection
{
    public const string Name = "cluster faults";
}
