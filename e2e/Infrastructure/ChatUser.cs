using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>A person in their own isolated browser context (own cookies, so their own identity).</summary>
public sealed class ChatUser : IAsyncDisposable
{
    private readonly List<string> _dialogs = [];

    private ChatUser(IBrowserContext context, IPage page, string name)
    {
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

    public ILocator Online => Page.GetByRole(AriaRole.List, new() { Name = "Online" });

    public ILocator MessageBox => Page.GetByLabel("Message", new() { Exact = true });

    public ILocator SendButton => Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });

    public ILocator DisplayNameBox => Page.GetByLabel("Display name", new() { Exact = true });

    public ILocator JoinButton => Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true });

    /// <summary>Opens the app in a new isolated context without joining.</summary>
    public static async Task<ChatUser> OpenAsync(IBrowser browser, Uri baseUri, string name, ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUri.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1100, Height = 700 },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        return new ChatUser(context, page, name);
    }

    /// <summary>Opens the app and joins under <see cref="Name"/>.</summary>
    public static async Task<ChatUser> JoinAsync(IBrowser browser, Uri baseUri, string name, ViewportSize? viewport = null)
    {
        var user = await OpenAsync(browser, baseUri, name, viewport);
        await user.JoinAsync();
        return user;
    }

    public async Task JoinAsync()
    {
        // The form is disabled until the circuit is interactive; Playwright waits for it to be enabled.
        await DisplayNameBox.FillAsync(Name);
        await JoinButton.ClickAsync();
        await Expect(MessageBox).ToBeVisibleAsync();
    }

    public async Task SendAsync(string text)
    {
        await MessageBox.FillAsync(text);
        await SendButton.ClickAsync();
    }

    /// <summary>Another tab of this same person (same browser context, so same identity).</summary>
    public async Task<IPage> OpenAnotherTabAsync()
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync("/");
        return page;
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
