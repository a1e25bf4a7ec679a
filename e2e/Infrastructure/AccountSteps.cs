using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>What a person does with an account, through the pages, as a browser would.</summary>
public static class AccountSteps
{
    /// <summary>A password that meets Identity's rules (length, cases, digit, symbol).</summary>
    public const string Password = "Corr3ct-horse!";

    public static async Task RegisterAsync(IPage page, string displayName, string userName, string password = Password)
    {
        await page.GotoAsync("account/register");
        await page.GetByLabel("Display name", new() { Exact = true }).FillAsync(displayName);
        await page.GetByLabel("User name or email", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
    }

    public static async Task SignInAsync(IPage page, string userName, string password = Password)
    {
        await page.GotoAsync("account/signin");
        await page.GetByLabel("User name or email", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>Waits until the chat page says who is signed in.</summary>
    public static Task ExpectSignedInAsync(IPage page, string displayName) =>
        Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync($"Signed in as {displayName}");

    /// <summary>Joins the chat as the signed-in account: no name to type, the account's name is used.</summary>
    public static async Task JoinAsAccountAsync(ChatUser user, IPage? page = null)
    {
        page ??= user.Page;
        var message = page.GetByLabel("Message", new() { Exact = true });
        var join = page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true });
        // A second tab of someone already chatting joins by itself; a first one asks.
        await Expect(message.Or(join)).ToBeVisibleAsync();
        // The person's tabs of an earlier test give their places back once the server has seen their circuits close, which
        // on a busy machine can take a moment after the pages closed: a refusal for the tab cap then is waited out (the
        // cap itself is OneTabOverTheCap_IsRefusedWithTheMessage_AndJoinsOnceATabCloses's, which does not come here).
        var full = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "BlazorChat tab" });
        for (var i = 0; i < 15 && await join.IsVisibleAsync() && await full.CountAsync() > 0; i++)
        {
            await Task.Delay(1000);
            await page.ReloadAsync();
            await Expect(message.Or(join)).ToBeVisibleAsync();
        }
        if (await join.IsVisibleAsync())
            await join.ClickAsync();
        await Expect(message).ToBeVisibleAsync();
    }

    /// <summary>
    /// The person joins in their first tab and in a second (a cap of 2 tabs), and a third tab is refused with
    /// <paramref name="fullMessage"/>; returns the second and third tabs.
    /// </summary>
    public static async Task<(IPage Second, IPage Third)> FillTheTabCapAsync(ChatUser user, string fullMessage)
    {
        await JoinAsAccountAsync(user);
        var second = await user.Context.NewPageAsync();
        await second.GotoAsync("/");
        await JoinAsAccountAsync(user, second);
        var third = await user.Context.NewPageAsync();
        await third.GotoAsync("/");
        await Expect(third.GetByRole(AriaRole.Alert).Filter(new() { HasText = fullMessage }).First).ToBeVisibleAsync();
        return (second, third);
    }

    // Clicks Join until the chat's message box shows (a place came free), or the time is up.
    public static async Task JoinWhenAPlaceIsFreeAsync(IPage page, TimeSpan within)
    {
        var joinButton = page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true });
        var messageBox = page.GetByLabel("Message", new() { Exact = true });
        var deadline = DateTime.UtcNow + within;
        while (await messageBox.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            // The form goes as soon as a join gets in, before the chat shows: click only a button that is there.
            try
            {
                if (await joinButton.IsVisibleAsync() && await joinButton.IsEnabledAsync())
                    await joinButton.ClickAsync(new() { Timeout = 2_000 });
            }
            catch (TimeoutException)
            {
                // It went between the look and the click: the join got in.
            }
            await page.WaitForTimeoutAsync(300);
        }
        await Expect(messageBox).ToBeVisibleAsync();
    }

    public static Task SignOutAsync(IPage page) =>
        page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
}
