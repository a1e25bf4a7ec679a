using Bunit;
using Microsoft.AspNetCore.Components;
using Xunit.Abstractions;

namespace BlazorChat.Tests.Components;

/// <summary>
/// What a joined tab keeps of what it shows, counted in render-tree frames (each component keeps its current tree and
/// a buffer as large for the next): in a big namespace every tab lists the same people and shows the same messages, so
/// what each row and article costs here is multiplied by every tab on the server.
/// </summary>
[Collection(WholePageCollection.Name)]
public sealed class JoinedPageFramesTests(ITestOutputHelper output) : WholePageContext(new TestChat())
{
    [Fact]
    public async Task JoinedAmong200WithAWindowOfMessages_HoldsAFewThousandFrames()
    {
        var others = new List<TestTab>();
        for (var i = 0; i < 200; i++)
            others.Add(await Chat.ConnectAsync($"user-{i:D3}", $"Person {i:D3}"));
        for (var i = 0; i < 60; i++)
            await others[i % 10].SendMessageAsync(RoomNames.General, $"message {i} of a busy room");
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var cut = this.RenderChatPage();
        cut.Find("#display-name").Input("Ada");
        cut.Find("form.join-form").Submit();
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[role=log] article").Count), Wait); // the first page of history

        var census = FrameCensus.Take(this);
        foreach (var (type, frames) in census.OrderByDescending(c => c.Value))
            output.WriteLine($"{frames,6} {type}");
        // The online list before the browser has measured it: 70 rows of about 10 frames. Built element by element, with
        // Virtualize's defaults (120 rows), the list alone held 2,279 frames and the page about 3,180.
        Assert.InRange(census["Virtualize`1"], 1, 800);
        Assert.InRange(census.Values.Sum(), 1, 2_400);
        // A component keeps two buffers sized in powers of two from 32 frames (40 bytes a frame): the header's account
        // part and the namespaces hold 64-frame buffers with their icons, heading and form label as shared markup (one
        // frame each), where element by element they took 128-frame ones (73 and 71 frames: 10 KiB more per tab).
        Assert.InRange(census["AccountHeader"], 1, 64);
        Assert.InRange(census["NamespaceSwitcher"], 1, 64);
        // The layout (with the page's title, account and side panel parts) and the room list fit 64-frame buffers too: the
        // title one markup frame, the panel's parts without reference captures, the menu buttons' width in their class,
        // and no whitespace between parts that are not plain markup (82 and 68 frames, 128-frame buffers, before).
        Assert.InRange(census["MainLayout"], 1, 64);
        Assert.InRange(census["RoomList"], 1, 64);
    }

    // Every component costs each joined tab its render trees (two buffers of at least 32 frames, 40 bytes a frame) and
    // its bookkeeping, about 3.5 KiB in a heap dump of 420 joined circuits: the shell takes its parts from the page as
    // fragments (no section outlets: three components per part) and draws MudBlazor's layout, app bar and main content
    // as elements, the composer's box is one element, not MudTextField's three components, and the tab's title is a
    // script call, not PageTitle's section (with the head as an interactive root: seven components).
    [Fact]
    public async Task AJoinedTab_HasNoSectionOutlets_NorMudBlazorsLayoutOrTextField_AndAFewDozenComponents()
    {
        for (var i = 0; i < 20; i++)
            await Chat.ConnectAsync($"user-{i:D3}", $"Person {i:D3}");
        var cut = RenderJoined("Ada");
        cut.WaitForAssertion(() => Assert.Contains("Person 019", cut.Find("#chat-sidebar").TextContent, StringComparison.Ordinal), Wait);

        var components = FrameCensus.Components(this);
        foreach (var (type, count) in components.OrderByDescending(c => c.Value))
            output.WriteLine($"{count,4} {type}");
        Assert.DoesNotContain("SectionOutlet", components.Keys);
        Assert.DoesNotContain("SectionContent", components.Keys);
        Assert.DoesNotContain("PageTitle", components.Keys);
        Assert.Equal(1, components["DocumentTitle"]);
        Assert.DoesNotContain("MudTextField`1", components.Keys);
        Assert.DoesNotContain("MudInput`1", components.Keys);
        Assert.DoesNotContain("MudLayout", components.Keys);
        Assert.DoesNotContain("MudAppBar", components.Keys);
        // 19 in bunit (38 before: 9 for the sections, 5 for the layout, 3 for the text field and 1 cascading value; then
        // 20 with PageTitle and its SectionContent).
        Assert.InRange(components.Values.Sum(), 1, 19);
    }
}
