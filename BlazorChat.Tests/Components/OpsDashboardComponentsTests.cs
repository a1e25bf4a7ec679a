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
    private readonly ChatEventRing _events = new();
    private readonly FakeConnectionSource _connections = FakeConnectionSource.WithPeople(2000);

    private readonly MetricsProbe _metrics = new();
    private readonly ManualTimeProvider _time = new();
    private readonly TestChat _chat;

    public OpsDashboardComponentsTests()
    {
        // The page's moderation forms and audit log need the service (their own tests: OpsModerationComponentsTests).
        _chat = new TestChat(access: _access);
        Services.AddSingleton(_chat.Moderation!);
        Services.AddSingleton(new OpsDashboard(_connections, _access, _events));
        Services.AddSingleton(new MetricsSampler(_metrics.Metrics, _time));
        Services.AddSingleton<INodeStatus>(new FixedNodeStatus());
    }

    protected override async Task DisposeTestAsync()
    {
        _metrics.Dispose();
        await _chat.DisposeAsync();
    }

    private sealed class FixedNodeStatus : INodeStatus
    {
        public string NodeId => "node-a";

        public NodeSnapshot Now(int connections) => new(NodeId, true, TimeSpan.FromMinutes(90), connections, 64L << 20, 2.5);
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
        Assert.Equal("Grace", Assert.Single(cut.FindAll("tbody tr")).Children[5].TextContent.Trim());
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

        var cut = Render<OpsPage>();

        cut.WaitForAssertion(() => Assert.Contains("node-a (this node)", cut.Find("table[aria-label='Nodes']").TextContent));
        Assert.Contains("2000", cut.Find("table[aria-label='Nodes']").TextContent);
        Assert.Contains("general (2000), odd (1000)", cut.Find("table[aria-label='Namespaces']").TextContent);
        Assert.Single(cut.FindAll("[aria-label='Connections over the last hour'] svg"));
        Assert.Single(cut.FindAll("[aria-label='Messages per second over the last hour'] svg"));
        Assert.Single(cut.FindComponents<ConnectionsPanel>());
        Assert.Single(cut.FindComponents<EventLogPanel>());
    }
}
