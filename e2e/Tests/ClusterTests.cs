using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// The cluster as people reach it: through the front door (YARP, cookie affinity, WebSockets) to three nodes on one
/// PostgreSQL database, started by cluster/run.sh. Real Chromium, one isolated browser per person.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ClusterFixture cluster)
{
    private static async Task<string?> NodeOfAsync(ChatUser user) =>
        (await user.Context.CookiesAsync()).SingleOrDefault(c => c.Name == "blazorchat.node")?.Value;

    /// <summary>
    /// Joining on a node of the cluster (PostgreSQL adapter): every join shows the chat and what was said before. It used
    /// to leave about half of the joins on the join form: the connect returns a NOTIFY round trip after its last event
    /// reached the page, and the page was not rendered again once the session was in the chat.
    /// </summary>
    [Fact]
    public async Task JoiningOnEachNode_Repeatedly_AlwaysShowsTheChat_WithWhatWasSaidBefore()
    {
        const int JoinsPerNode = 5;
        var nodes = cluster.Nodes;
        Assert.True(nodes.Count >= 2, $"cluster/run.sh printed no node addresses:\n{string.Join('\n', cluster.Output)}");
        const string Said = "said before the others came";
        await using (var first = await ChatUser.JoinAsync(cluster.Browser, nodes[0], Names.Unique("First"), interceptCircuit: false))
        {
            await first.SendAsync(Said);
            await Expect(first.Messages.Locator($"article[aria-label^='{first.Name}:']")).ToContainTextAsync(Said);
        }

        for (var i = 0; i < JoinsPerNode; i++)
        {
            foreach (var node in nodes)
            {
                await using var user = await ChatUser.OpenAsync(cluster.Browser, node, Names.Unique($"Joiner{i}"), interceptCircuit: false);
                await user.DisplayNameBox.FillAsync(user.Name);
                await user.JoinButton.ClickAsync();
                await Expect(user.MessageBox).ToBeVisibleAsync(new() { Timeout = 10_000 });
                await Expect(user.Messages).ToContainTextAsync(Said);
            }
        }
    }

    /// <summary>
    /// A node started while people are online elsewhere serves nobody until it has caught up with the others (run.sh's
    /// script waits for its health check, which says 503 until then, and the front door sends no one before it passes):
    /// the first tab it serves shows who is online on the other nodes and their room straight from its welcome. (The
    /// online list is never sent again unless someone comes or goes: a tab served too early would keep showing nobody.)
    /// </summary>
    [Fact]
    public async Task ANodeStartedLater_ItsFirstTab_SeesWhoIsOnlineOnTheOtherNodes_AndTheirRoom_AtOnce()
    {
        var room = "late-" + Guid.NewGuid().ToString("N")[..6];
        await using var alice = await ChatUser.JoinAsync(cluster.Browser, cluster.FrontDoor, Names.Unique("Alice"), interceptCircuit: false);
        await alice.CreateRoomAsync(room);
        var aliceNode = await cluster.NodeOfAsync(alice.Context);

        var late = await cluster.StartLateNodeAsync();
        Assert.NotEqual(aliceNode, late);

        // New browsers are dealt out in turn among the nodes that passed their check: open some until one is on the new node.
        ChatUser? bob = null;
        var dealt = new List<string>();
        for (var i = 0; i < 12 && bob is null; i++)
        {
            var user = await ChatUser.OpenAsync(cluster.Browser, cluster.FrontDoor, Names.Unique("Bob"), interceptCircuit: false);
            var node = await cluster.NodeOfAsync(user.Context);
            dealt.Add(node);
            if (node == late)
                bob = user;
            else
                await user.DisposeAsync();
        }
        Assert.True(bob is not null, $"no browser was sent to {late}: {string.Join(", ", dealt)}");
        await using (bob)
        {
            await bob.JoinAsync();
            Assert.Equal(late, await cluster.NodeOfAsync(bob.Context));
            // What the welcome showed: nothing later would bring Alice to the online list.
            var soon = new LocatorAssertionsToBeVisibleOptions { Timeout = 5_000 };
            await Expect(bob.Online.GetByText(alice.Name)).ToBeVisibleAsync(soon);
            var row = bob.Rooms.Locator("li", new() { Has = bob.Page.GetByRole(AriaRole.Button, new() { Name = $"Join {room}", Exact = true }) });
            await Expect(row.GetByText("1", new() { Exact = true })).ToBeVisibleAsync(soon); // Alice, its one member
        }
    }

    [Fact]
    public async Task TwoPeopleOnDifferentNodes_ChatThroughTheFrontDoor_InRealTime()
    {
        // The front door deals new browsers out in turn: open tabs until two sit on different nodes.
        var people = new List<ChatUser>();
        try
        {
            ChatUser? first = null, second = null;
            for (var i = 0; i < 4 && second is null; i++)
            {
                var user = await ChatUser.JoinAsync(cluster.Browser, cluster.FrontDoor, Names.Unique($"Node{i}"), interceptCircuit: false);
                people.Add(user);
                var node = await NodeOfAsync(user);
                Assert.False(string.IsNullOrEmpty(node), "the front door set no affinity cookie");
                if (first is null)
                    first = user;
                else if (node != await NodeOfAsync(first))
                    second = user;
            }
            Assert.True(second is not null, "four browsers all landed on one node");

            // Each sees the other online, and each message reaches the other node's tab.
            await Expect(first!.Online.GetByText(second.Name)).ToBeVisibleAsync();
            await Expect(second.Online.GetByText(first.Name)).ToBeVisibleAsync();
            await first.SendAsync("hello from one node");
            await Expect(second.Messages.Locator($"article[aria-label^='{first.Name}:']")).ToContainTextAsync("hello from one node");
            await second.SendAsync("and back from another");
            await Expect(first.Messages.Locator($"article[aria-label^='{second.Name}:']")).ToContainTextAsync("and back from another");

            // A reload goes back to the same node (the cookie), and the conversation is there.
            var node1 = await NodeOfAsync(second);
            await second.Page.ReloadAsync();
            await Expect(second.Messages).ToContainTextAsync("hello from one node");
            Assert.Equal(node1, await NodeOfAsync(second));
        }
        finally
        {
            foreach (var person in people)
                await person.DisposeAsync();
        }
    }
}
