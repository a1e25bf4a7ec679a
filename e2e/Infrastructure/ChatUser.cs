using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>A person in their own isolated browser context (own cookies, so their own identity).</summary>
public sealed class ChatUser : IAsyncDisposable
{
    private readonly List<string> _dialogs = [];

    private readonly bool _ownsContext;

    private bool _disposed;

    private ChatUser(IBrowserContext context, IPage page, string name, bool ownsContext = true)
    {
        _ownsContext = ownsContext;
        Context = context;
        Page = page;
        Name = name;
        page.Dialog += (_, dialog) => { _dialogs.Add(dialog.Message); _ = dialog.DismissAsync(); };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public string Name { get; }

    /// <summary>Every alert/confirm the page raised: an injected script would show up here.</summary>
    public IReadOnlyList<string> Dialogs => _dialogs;

    public ILocator Messages => Page.GetByRole(AriaRole.Log, new() { Name = "Messages" });

    /// <summary>
    /// The lines this tab shows from <paramref name="sender"/> (a line's label starts with its sender's name). Unlike a count of
    /// every line, it does not move when the room's history finishes rendering after the composer is already showing.
    /// </summary>
    public ILocator LinesFrom(ChatUser sender) => Messages.Locator($"article[aria-label^=\"{sender.Name}: \"]");

    public ILocator Online => Page.GetByRole(AriaRole.List, new() { Name = "Online" });

    public ILocator MessageBox => Page.GetByLabel("Message", new() { Exact = true });

    public ILocator SendButton => Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });

    public ILocator DisplayNameBox => Page.GetByLabel("Display name", new() { Exact = true });

    public ILocator JoinButton => Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true });

    public ILocator Rooms => Page.GetByRole(AriaRole.Navigation, new() { Name = "Rooms" });

    public ILocator Namespaces => Page.GetByRole(AriaRole.Navigation, new() { Name = "Namespaces" });

    /// <summary>The open button of a room in the room list.</summary>
    public ILocator Room(string name) => Rooms.GetByRole(AriaRole.Button, new() { Name = $"# {name}" });

    public ILocator Header => Page.GetByRole(AriaRole.Banner);

    /// <summary>While true, nothing the server sends reaches this tab (its WebSocket frames are held back).</summary>
    public bool HoldIncoming { get; set; }

    /// <summary>Opens the app in a new isolated context without joining.</summary>
    /// <param name="storageState">What <see cref="CloseBrowserAsync"/> kept: the same person (same guest cookie) coming back.</param>
    /// <param name="interceptCircuit">
    /// Whether the test may hold back or cut the circuit's WebSocket (<see cref="HoldIncoming"/>, <see cref="CutNetworkAsync"/>):
    /// Playwright then opens it to the server itself, without the page's cookies, so a front door's affinity cookie
    /// would not go with it. Cluster tests, which go through a front door, open it as a browser does.
    /// </param>
    public static async Task<ChatUser> OpenAsync(IBrowser browser, Uri baseUri, string name, ViewportSize? viewport = null,
        string? storageState = null, bool interceptCircuit = true)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUri.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1100, Height = 700 },
            StorageState = storageState,
        });
        var page = await context.NewPageAsync();
        var user = new ChatUser(context, page, name);
        if (interceptCircuit)
            await user.InterceptBlazorSocketAsync();
        await page.GotoAsync("/");
        return user;
    }

    // Proxies the circuit's WebSocket so a test can hold back what the server sends, as a stalled network would, or cut
    // the network altogether (CutNetworkAsync).
    private async Task InterceptBlazorSocketAsync()
    {
        await Page.RouteAsync(new System.Text.RegularExpressions.Regex("/_blazor"), route =>
            _networkCut ? route.AbortAsync("internetdisconnected") : route.FallbackAsync());
        await Page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/_blazor"), socket =>
        {
            if (_networkCut)
            {
                _ = socket.CloseAsync(new() { Code = 4000, Reason = "network cut" });
                return;
            }
            var server = socket.ConnectToServer();
            lock (_sockets)
                _sockets.Add((socket, server));
            var held = new Queue<IWebSocketFrame>();
            socket.OnMessage(frame => Forward(server, frame));
            server.OnMessage(frame =>
            {
                lock (held)
                {
                    if (HoldIncoming)
                    {
                        held.Enqueue(frame);
                        return;
                    }
                    while (held.TryDequeue(out var earlier))
                        Forward(socket, earlier);
                    Forward(socket, frame);
                }
            });
            _releaseHeld = () =>
            {
                lock (held)
                {
                    while (held.TryDequeue(out var earlier))
                        Forward(socket, earlier);
                }
            };
        });
    }

    private Action? _releaseHeld;
    private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _sockets = [];
    private volatile bool _networkCut;

    /// <summary>
    /// The network goes away under the tab (a train enters a tunnel, a laptop sleeps): its circuit's connection drops on
    /// both ends, and every reconnection attempt fails until <see cref="RestoreNetwork"/>. The rest of the browser works.
    /// </summary>
    public async Task CutNetworkAsync()
    {
        _networkCut = true;
        List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
        lock (_sockets)
        {
            open = [.. _sockets];
            _sockets.Clear();
        }
        foreach (var (page, server) in open)
        {
            await server.CloseAsync(new() { Code = 4000, Reason = "network cut" });
            await page.CloseAsync(new() { Code = 4000, Reason = "network cut" });
        }
    }

    /// <summary>The network is back: the next reconnection attempt gets through.</summary>
    public void RestoreNetwork() => _networkCut = false;

    /// <summary>Lets everything held back through, in order.</summary>
    public void ReleaseIncoming()
    {
        HoldIncoming = false;
        _releaseHeld?.Invoke();
    }

    private static void Forward(IWebSocketRoute to, IWebSocketFrame frame)
    {
        if (frame.Binary is { } binary)
            to.Send(binary);
        else
            to.Send(frame.Text ?? string.Empty);
    }

    /// <summary>Opens the app and joins under <see cref="Name"/>.</summary>
    public static async Task<ChatUser> JoinAsync(IBrowser browser, Uri baseUri, string name, ViewportSize? viewport = null,
        bool interceptCircuit = true)
    {
        var user = await OpenAsync(browser, baseUri, name, viewport, interceptCircuit: interceptCircuit);
        await user.JoinAsync();
        return user;
    }

    /// <summary>
    /// The person closes their browser (every tab, with unload, so the server sees them go at once) and keeps
    /// what a browser keeps between visits: its cookies, so its guest identity. Pass it to <see cref="ComeBackAsync"/>.
    /// </summary>
    public async Task<string> CloseBrowserAsync()
    {
        if (!_ownsContext)
            throw new InvalidOperationException("Close the browser from the person's first tab.");
        var state = await Context.StorageStateAsync();
        await DisposeAsync();
        return state;
    }

    /// <summary>
    /// The browser goes away without saying goodbye (a crash, a killed process, a network that is gone): blazor.web.js's
    /// disconnect beacon never reaches the server, which only sees the transport drop.
    /// </summary>
    public async Task VanishAsync()
    {
        foreach (var page in Context.Pages)
            await page.EvaluateAsync("() => { navigator.sendBeacon = () => true; }");
        await DisposeAsync();
    }

    /// <summary>The same person (kept <paramref name="storageState"/>) opens a new browser and joins under <paramref name="name"/>.</summary>
    public static async Task<ChatUser> ComeBackAsync(IBrowser browser, Uri baseUri, string name, string storageState)
    {
        var user = await OpenAsync(browser, baseUri, name, storageState: storageState);
        await user.JoinAsync();
        return user;
    }

    /// <summary>
    /// Joins under <see cref="Name"/>: through the join form, or by itself when this person already chats under a name
    /// (another tab, a reload: one person across tabs).
    /// </summary>
    /// <summary>Marks the page, so that <see cref="ReloadedAndBackAsync"/> can tell when it has reloaded itself.</summary>
    public Task MarkPageAsync() => Page.EvaluateAsync("() => { window.__e2eMark = true; }");

    /// <summary>
    /// Waits until the page, marked before its server went away, has reloaded itself (the server, back, rejected its
    /// circuit) and is back in the chat: by itself under the name the browser remembers, or through the join form.
    /// </summary>
    public async Task ReloadedAndBackAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (!await Page.EvaluateAsync<bool>("() => !!window.__e2eMark"))
                    break;
            }
            catch (PlaywrightException)
            {
                // Navigating: the old document is gone, the new one not there yet.
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Name}'s page did not reload itself within 60 s.");
            await Task.Delay(100);
        }
        await JoinAsync();
    }

    public async Task JoinAsync()
    {
        await Expect(MessageBox.Or(DisplayNameBox)).ToBeVisibleAsync();
        if (await DisplayNameBox.IsVisibleAsync())
        {
            // The form is disabled until the circuit is interactive; Playwright waits for it to be enabled.
            await DisplayNameBox.FillAsync(Name);
            await JoinButton.ClickAsync();
        }
        await Expect(MessageBox).ToBeVisibleAsync();
    }

    public async Task SendAsync(string text)
    {
        await MessageBox.FillAsync(text);
        await SendButton.ClickAsync();
    }

    public async Task CreateRoomAsync(string room)
    {
        // Typed, then sent only once the box still holds it: right after a join on a cluster the side panel may be drawn
        // again (its box empty) between the typing and the click (a clean-clone CI run: "Enter a room name.").
        var box = Page.GetByLabel("New room", new() { Exact = true });
        for (var attempt = 0; ; attempt++)
        {
            await box.FillAsync(room);
            await Page.WaitForTimeoutAsync(200);
            if (await box.InputValueAsync() == room || attempt == 2)
                break;
        }
        await Rooms.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(Room(room)).ToBeVisibleAsync();
    }

    public async Task JoinRoomAsync(string room)
    {
        await Rooms.GetByRole(AriaRole.Button, new() { Name = $"Join {room}", Exact = true }).ClickAsync();
        await Expect(Room(room)).ToBeVisibleAsync();
    }

    public async Task OpenRoomAsync(string room)
    {
        await Room(room).ClickAsync();
        await Expect(Header).ToContainTextAsync($"# {room}");
    }

    public async Task MessagePrivatelyAsync(string person)
    {
        await Online.GetByRole(AriaRole.Button, new() { Name = $"Message {person}", Exact = true }).ClickAsync();
        await Expect(Header).ToContainTextAsync(person);
    }

    public Task SwitchNamespaceAsync(string name) =>
        Namespaces.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();

    public async Task OpenTeamSpaceAsync(string team)
    {
        await Page.GetByLabel("Team space", new() { Exact = true }).FillAsync(team);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Open team space" }).ClickAsync();
    }

    /// <summary>Another tab of this same person (same browser context, so same identity).</summary>
    public async Task<IPage> OpenAnotherTabAsync()
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    /// <summary>Another tab of this same person (same context, so same identity), joined under the same name.</summary>
    public async Task<ChatUser> OpenTabAsync()
    {
        var tab = new ChatUser(Context, await Context.NewPageAsync(), Name, ownsContext: false);
        await tab.InterceptBlazorSocketAsync();
        await tab.Page.GotoAsync("/");
        await tab.JoinAsync();
        return tab;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        // Close pages the way a person closes tabs: blazor.web.js then tells the server the circuit is gone.
        // Closing only the context would leave each circuit retained (3 minutes) and its person online,
        // unable to acknowledge anything, so later tests in the same server would see "not delivered".
        foreach (var page in _ownsContext ? Context.Pages.ToList() : [Page])
            await CloseWithUnloadAsync(page);
        if (_ownsContext)
            await Context.CloseAsync();
    }

    // With unload handlers run, CloseAsync returns before the page is gone. Closing the context at once could cut off
    // blazor.web.js's disconnect beacon (the person then stays online for minutes), so wait until the page has closed.
    // A test may have started closing the page itself: that is fine too.
    private static async Task CloseWithUnloadAsync(IPage page)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Close += (_, _) => closed.TrySetResult();
        if (page.IsClosed)
            return;
        try
        {
            await page.CloseAsync(new() { RunBeforeUnload = true });
        }
        catch (PlaywrightException)
        {
            // Closed meanwhile (the target is gone): its Close event has come or is coming; if not, the wait says so.
        }
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
