using BlazorChat.Chat;
using BlazorChat.Components.Ops;
using BlazorChat.Monitoring;
using BlazorChat.Tests.Infrastructure;
using BlazorChat.Tests.Monitoring;
using Bunit;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorChat.Tests.Components;

/// <summary>The operator's dashboard's panels: paging and search, the event log's filter and pause, one row per new event.</summary>
public sealed class OpsDashboardComponentsTests : ChatUiContext
{
    private readonly FakeAccessChecker _access = new FakeAccessChecker().Grant("boss", ChatHandlers.AdminRole);
    private readonly ChatEventRing _events;
    private readonly FakeConnectionSource _connections = FakeConnectionSource.WithPeople(2000);

    private readonly MetricsProbe _metrics = new();
    private readonly ManualTimeProvider _time = new();
    private readonly TestChat _chat;
    private readonly FakeNodeDirectory _nodes;
    private readonly ManualTimeProvider _refreshClock = new();

    public OpsDashboardComponentsTests()
    {
        // The page's moderation forms and audit log need the service (their own tests: OpsModerationComponentsTests).
        _chat = new TestChat(access: _access);
        Services.AddSingleton(_chat.Moderation!);
        Services.AddSingleton(new BlazorChat.Session.PersonNames(new FakeAccountDirectory(), new BlazorChat.Session.DisplayNames()));
        _events = new ChatEventRing(ChatEventRing.DefaultCapacity, _time);
        _nodes = new FakeNodeDirectory(
            new NodeSnapshot("node-a", true, TimeSpan.FromMinutes(90), 2000, 64L << 20, 2.5),
            new NodeSnapshot("node-b", false, TimeSpan.FromMinutes(5), 12, 300L << 20, 0.5),
            new NodeSnapshot("node-c", false, null, null, null, null));
        Services.AddSingleton(new OpsDashboard(_connections, _nodes, _access, _events));
        Services.AddSingleton(new MetricsSampler(_metrics.Metrics, _time));
        Services.AddKeyedSingleton<TimeProvider>(OpsRefresh.ClockKey, _refreshClock);
    }

    protected override async Task DisposeTestAsync()
    {
        _metrics.Dispose();
        await _chat.DisposeAsync();
    }

    private void SignInAs(string userId)
    {
        Services.AddSingleton<AuthenticationStateProvider>(FixedAuthenticationStateProvider.ForUser(userId));
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void Connections_With2000_RenderOnlyOnePage_AndTheSearchFindsOne()
    {
        SignInAs("boss");
        var cut = Render<ConnectionsPanel>(p => p.Add(c => c.PageSize, 25));

        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("tbody tr").Count));
        Assert.Contains("1-25 of 2,000", cut.Markup);

        cut.Find("input[aria-label='Search connections']").Input("Person 1234");

        cut.WaitForAssertion(() => Assert.Equal("Person 1234", cut.Find("tbody tr td").TextContent.Trim()), TimeSpan.FromSeconds(5));
        Assert.Single(cut.FindAll("tbody tr"));
        Assert.Contains("2026-12-05 09:20:34 UTC", cut.Find("tbody tr").TextContent); // connected since
        Assert.Contains("1-1 of 1", cut.Markup);
    }

    [Fact]
    public void Connections_ForANonAdmin_ShowTheRefusalAndNoRows()
    {
        SignInAs("mallory");
        var cut = Render<ConnectionsPanel>();

        cut.WaitForAssertion(() => Assert.Contains(OpsDashboard.NotAnAdmin, cut.Markup));
        Assert.DoesNotContain("Person 1", cut.Markup);
        Assert.Equal(0, _connections.Fetches);
    }

    [Fact]
    public void Page_ForANonAdmin_IsRefused_AndRendersNoPanel()
    {
        SignInAs("mallory");
        var cut = Render<OpsPage>();

        cut.WaitForAssertion(() => Assert.Contains(OpsDashboard.NotAnAdmin, cut.Markup));
        Assert.Empty(cut.FindComponents<ConnectionsPanel>());
        Assert.Empty(cut.FindComponents<EventLogPanel>());
    }

    [Fact]
    public void EventLog_ANewEvent_RendersOnlyItsOwnRow()
    {
        SignInAs("boss");
        for (var i = 0; i < 50; i++)
            _events.Record(ChatEventRing.Connected, "/", $"c{i}", $"u{i}", $"Person {i}");
        var cut = Render<EventLogPanel>();
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("tbody tr").Count));
        var before = cut.FindComponents<EventRow>();
        var counts = before.Select(r => r.RenderCount).ToList();

        _events.Record(ChatEventRing.Disconnected, "/", "c7", "u7", "Person 7 left");

        cut.WaitForAssertion(() => Assert.Equal(51, cut.FindAll("tbody tr").Count));
        Assert.Equal(counts, before.Select(r => r.RenderCount));
        Assert.Contains("Person 7 left", cut.FindAll("tbody tr")[0].TextContent);
    }

    [Fact]
    public void EventLog_FiltersByKindAndText()
    {
        SignInAs("boss");
        _events.Record(ChatEventRing.Connected, "/", "c1", "u1", "Ada");
        _events.Record(ChatEventRing.Disconnected, "/", "c1", "u1", "Ada");
        _events.Record(ChatEventRing.Connected, "/", "c2", "u2", "Grace");
        var cut = Render<EventLogPanel>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tbody tr").Count));

        cut.Find("select[aria-label='Event kind']").Change(ChatEventRing.Connected);
        Assert.Equal(2, cut.FindAll("tbody tr").Count);

        cut.Find("input[aria-label='Filter events']").Input("grace");
        Assert.Equal("Grace", Assert.Single(cut.FindAll("tbody tr")).Children[6].TextContent.Trim());
    }

    [Fact]
    public void EventLog_OtherNodesEvents_ShowInTheirPlaceWithTheirNode_AndEachTickBringsOnlyTheNewOnes()
    {
        SignInAs("boss");
        var far = new ChatEventRing(capacity: 100, _time);
        _nodes.Rings["node-b"] = far;
        far.Record(ChatEventRing.Connected, "/", "c.far", "u.far", "Far");
        _time.Advance(TimeSpan.FromSeconds(1));
        _events.Record(ChatEventRing.Connected, "/", "c.near", "u.near", "Near");
        using var refresh = new OpsRefresh(_refreshClock);

        var cut = Render<EventLogPanel>(p => p.AddCascadingValue(refresh));

        // Newest first by time, whichever node told it first; each row names its node.
        cut.WaitForAssertion(() => Assert.Equal(["this node|Near", "node-b|Far"], Rows(cut)));
        _time.Advance(TimeSpan.FromSeconds(1));
        far.Record(ChatEventRing.Disconnected, "/", "c.far", "u.far", "tab closed");

        _refreshClock.Advance(OpsRefresh.Interval);

        cut.WaitForAssertion(() => Assert.Equal(["node-b|tab closed", "this node|Near", "node-b|Far"], Rows(cut)));
        Assert.Equal(1, _nodes.EventAsks[^1]["node-b"]);

        static List<string> Rows(IRenderedComponent<EventLogPanel> cut) =>
            [.. cut.FindAll("tbody tr").Select(r => $"{r.Children[1].TextContent.Trim()}|{r.Children[6].TextContent.Trim()}")];
    }

    [Fact]
    public void EventLog_Paused_ShowsNoNewEvent_UntilResumed()
    {
        SignInAs("boss");
        _events.Record(ChatEventRing.Connected, "/", "c1", "u1", "Ada");
        var cut = Render<EventLogPanel>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr")));

        cut.Find("button[aria-pressed]").Click();
        _events.Record(ChatEventRing.Connected, "/", "c2", "u2", "Grace");

        cut.WaitForAssertion(() => Assert.Contains("Resume (1 new)", cut.Markup));
        Assert.Single(cut.FindAll("tbody tr"));

        cut.Find("button[aria-pressed]").Click();
        Assert.Equal(2, cut.FindAll("tbody tr").Count);
    }

    [Fact]
    public void Page_ForAnAdmin_ShowsNodesNamespacesAndCharts()
    {
        SignInAs("boss");
        var sampler = Services.GetRequiredService<MetricsSampler>();
        sampler.Sample();
        _time.Advance(MetricsSampler.Interval);
        sampler.Sample();

        _nodes.Samples.Add(new NodeSamples("node-b",
        [
            new MetricsSample(_time.GetUtcNow(), 12, 0.5),
        ]));
        var cut = Render<OpsPage>();

        cut.WaitForAssertion(() => Assert.Contains("node-a (this node)", cut.Find("table[aria-label='Nodes']").TextContent));
        var nodes = cut.FindAll("table[aria-label='Nodes'] tbody tr").Select(r => string.Join("|", r.Children.Select(c => c.TextContent))).ToList();
        Assert.Equal(["node-a (this node)|1h 30m 0s|2000|64 MB|2.5", "node-b|0h 5m 0s|12|300 MB|0.5", "node-c (not answering)|–|–|–|–"], nodes);
        Assert.Contains("general (2000), odd (1000)", cut.Find("table[aria-label='Namespaces']").TextContent);
        Assert.Single(cut.FindAll("[aria-label='Connections over the last hour'] svg"));
        Assert.Single(cut.FindAll("[aria-label='Messages per second over the last hour'] svg"));
        // One line per node: this one and node-b (which started later: its line begins at 0), and the sums of their latest.
        Assert.Contains("node-b", cut.Find("[aria-label='Connections over the last hour']").TextContent);
        Assert.Contains("This node", cut.Find("[aria-label='Connections over the last hour']").TextContent);
        Assert.Contains("Connections now: 12 · messages/s: 0.5 · 2 node(s), 2 sample(s)", System.Text.RegularExpressions.Regex.Replace(cut.Find("#ops-charts").ParentElement!.TextContent, @"\s+", " "));
        Assert.Single(cut.FindComponents<ConnectionsPanel>());
        Assert.Single(cut.FindComponents<EventLogPanel>());
    }

    [Fact]
    public void Page_ReloadsItsPanelsOnItsClock_UntilTheSwitchIsTurnedOff()
    {
        SignInAs("boss");
        var cut = Render<OpsPage>();
        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindComponent<ConnectionsPanel>().FindAll("tbody tr").Count));
        var (fetches, asks) = (_connections.Fetches, _nodes.Asks);

        _refreshClock.Advance(OpsRefresh.Interval);

        // The namespaces and the connections fetch again, the nodes are asked again.
        cut.WaitForAssertion(() => Assert.Equal((fetches + 2, asks + 1), (_connections.Fetches, _nodes.Asks)));

        cut.Find("input[type='checkbox']").Change(false);
        (fetches, asks) = (_connections.Fetches, _nodes.Asks);
        _refreshClock.Advance(OpsRefresh.Interval * 3);

        Assert.Equal((fetches, asks), (_connections.Fetches, _nodes.Asks));
    }

    [Fact]
    public async Task Page_StopsItsClock_WhenItGoesAway()
    {
        SignInAs("boss");
        var cut = Render<OpsPage>();
        cut.WaitForAssertion(() => Assert.Equal(1, _refreshClock.ActiveTimers));

        await DisposeComponentsAsync();

        Assert.Equal(0, _refreshClock.ActiveTimers);
    }
}
