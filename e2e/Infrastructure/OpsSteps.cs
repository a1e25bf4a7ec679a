using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Infrastructure;

/// <summary>What an admin does on the operator's dashboard (/ops), through the page, as a browser would.</summary>
public static class OpsSteps
{
    // Opens the row action for the person (the first of their rows), fills the dialog, confirms, and waits for the result.
    public static async Task ActAsync(IPage ops, string action, string person, string? minutes, string reason, string result)
    {
        await ops.GetByRole(AriaRole.Button, new() { Name = $"{action} {person}", Exact = true }).First.ClickAsync();
        var dialog = ops.GetByRole(AriaRole.Dialog, new() { Name = $"{action} {person}" });
        if (minutes is not null)
            await dialog.GetByLabel(new Regex("^Minutes")).FillAsync(minutes);
        await dialog.GetByLabel("Reason", new() { Exact = true }).FillAsync(reason);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        // The confirm step says what will happen to whom; nothing has happened yet.
        await Expect(dialog).ToContainTextAsync($"Reason: {reason}");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Status)).ToContainTextAsync(result);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }
}
