using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// The operator's dashboard on the cluster (cluster/run.sh: three nodes, PostgreSQL, the front door): whichever node
/// serves it, every node answers for itself, every node's connections and events are listed, and an admin's actions
/// reach a person on another node.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class ClusterOpsTests(ClusterFixture cluster)
{
    [Fact]
    public async Task TheDashboard_ShowsEveryNodeInFull_AndActsOnAPersonOnAnotherNode()
    {
        await using var admin = await ChatUser.OpenAsync(cluster.Browser, cluster.FrontDoor, AccountsServerFixture.AdminName, interceptCircuit: false);
        await AccountSteps.SignInAsync(admin.Page, AccountsServerFixture.AdminEmail, AccountsServerFixture.AdminPassword);
        await AccountSteps.ExpectSignedInAsync(admin.Page, AccountsServerFixture.AdminName);
        var adminNode = await cluster.NodeOfAsync(admin.Context);

        // The front door deals new browsers out in turn: open tabs until one sits on another node than the admin's.
        var people = new List<ChatUser>();
        try
        {
            ChatUser? far = null;
            for (var i = 0; i < 4 && far is null; i++)
            {
                var person = await ChatUser.JoinAsync(cluster.Browser, cluster.FrontDoor, Names.Unique($"Far{i}"), interceptCircuit: false);
                people.Add(person);
                if (await cluster.NodeOfAsync(person.Context) != adminNode)
                    far = person;
            }
            Assert.True(far is not null, "four browsers all landed on the admin's node");

            await admin.Page.GotoAsync(new Uri(cluster.FrontDoor, "ops").ToString());

            // One row per running node, each with its own uptime and figures: none is "not answering".
            var nodes = admin.Page.GetByRole(AriaRole.Table, new() { Name = "Nodes" });
            await Expect(nodes.Locator("tbody tr")).ToHaveCountAsync(cluster.Nodes.Count);
            await Expect(nodes).ToContainTextAsync("(this node)");
            await Expect(nodes).Not.ToContainTextAsync("not answering");
            foreach (var uptime in await nodes.Locator("tbody tr td:nth-child(2)").AllTextContentsAsync())
                Assert.Matches(Uptime(), uptime.Trim());

            // The person on another node is listed, with their transport through the front door.
            var connections = admin.Page.GetByRole(AriaRole.Region, new() { Name = "Connections" });
            var row = connections.GetByRole(AriaRole.Row).Filter(new() { HasText = far!.Name });
            await Expect(row).ToContainTextAsync("WebSockets");

            // Their node's events reach the log too, named by their node.
            var events = admin.Page.GetByRole(AriaRole.Table, new() { Name = "Events" });
            var arrival = events.Locator("tbody tr").Filter(new() { HasText = $"{far.Name} joined" }).First;
            await Expect(arrival).ToBeVisibleAsync();
            await Expect(arrival).Not.ToContainTextAsync("this node");

            // Acting from this node on a person on another: a mute refuses their sends there with the reason and the
            // time left (that node forgets what it held of them), and a ban ends their tab there, which says why; their
            // return through the front door (to their node) is refused.
            await OpsSteps.ActAsync(admin.Page, "Mute", far.Name, "10", "flooding", $"{far.Name} is muted until");
            await far.Page.GetByLabel("Message", new() { Exact = true }).FillAsync("may I?");
            await far.Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
            await Expect(far.Page.Locator("#composer-error")).ToHaveTextAsync("You are muted for 10 more minutes: flooding");
            await OpsSteps.ActAsync(admin.Page, "Ban", far.Name, null, "spam", $"{far.Name} is banned until lifted.");
            await Expect(far.Messages).ToContainTextAsync("You are banned: spam");
            await far.Page.ReloadAsync();
            await Expect(far.Page.Locator("body")).ToContainTextAsync("You are banned: spam");
        }
        finally
        {
            foreach (var person in people)
                await person.DisposeAsync();
        }
    }

    [GeneratedRegex(@"^\d+h \d+m \d+s$")]
    private static partial Regex Uptime();
}
