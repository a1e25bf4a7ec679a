using System.Diagnostics;
using System.Text.RegularExpressions;
using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// Flood control (issue 13) in real browsers: a person who floods the room is told to slow down, only their burst (and
/// what refills meanwhile) is stored and shown to anyone, and another person's messages keep arriving. Its own app,
/// with rate limits on (every other test runs with them off, see <see cref="PublishedApp"/>).
/// </summary>
[Collection(ChatServerCollection.Name)]
public sealed partial class RateLimitTests(ChatServerFixture server)
{
    private const int Burst = 5;
    private static readonly TimeSpan TokenEvery = TimeSpan.FromSeconds(10);
    private const int Flood = 40;

    [Fact(Timeout = 180_000)]
    public async Task AFloodingPerson_IsSlowedDown_WhileAnotherPersonsMessagesKeepArriving()
    {
        await using var app = await PublishedApp.StartAsync(environment: new Dictionary<string, string>
        {
            ["Chat__RateLimits__Enabled"] = "true",
            ["Chat__RateLimits__Messages__Permits"] = "1",
            ["Chat__RateLimits__Messages__Period"] = TokenEvery.ToString(),
            ["Chat__RateLimits__Messages__Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var mallory = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Mallory"));
        await using var bob = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Bob"));
        await using var carol = await ChatUser.JoinAsync(server.Browser, app.BaseUri, Names.Unique("Carol"));
        await Expect(mallory.Online.GetByText(carol.Name)).ToBeVisibleAsync();
        var started = Stopwatch.StartNew();

        // Mallory's flood: her own composer, submitted as fast as the page takes it, not waiting for any answer.
        await mallory.MessageBox.EvaluateAsync("""
            (box, count) => {
              const flood = window.__flood = { done: false };
              (async () => {
                for (let i = 1; i <= count; i++) {
                  box.value = `flood ${String(i).padStart(3, '0')}`;
                  box.dispatchEvent(new Event('input', { bubbles: true }));
                  box.form.requestSubmit();
                  await new Promise(resolve => setTimeout(resolve, 1));
                }
                flood.done = true;
              })();
            }
            """, Flood);
        // Meanwhile Bob chats, and each of his messages reaches Carol.
        string[] bobs = ["bob one", "bob two", "bob three", "bob four", "bob five"];
        for (var i = 0; i < bobs.Length; i++)
        {
            await bob.SendAsync(bobs[i]);
            await Expect(carol.Messages.GetByRole(AriaRole.Article, new() { Name = $"{bob.Name}: " }))
                .ToHaveTextAsync([.. bobs[..(i + 1)].Select(text => new Regex(Regex.Escape(text)))]);
        }
        await mallory.Page.WaitForFunctionAsync("() => window.__flood.done", null, new() { Timeout = 60_000 });

        // Mallory is told to slow down, with the seconds left; nothing of hers is still on its way.
        await Expect(mallory.Page.GetByRole(AriaRole.Alert).Filter(new() { HasTextRegex = SlowDown() })).ToBeVisibleAsync();
        var malloryFlood = mallory.Messages.GetByRole(AriaRole.Article, new() { Name = $"{mallory.Name}: flood" });
        await Expect(mallory.Messages.GetByText("Sending…")).ToHaveCountAsync(0);
        var accepted = await malloryFlood.CountAsync();
        // Her burst, and at most what refilled since the flood began; never the whole flood.
        var allowed = Burst + (int)(started.Elapsed / TokenEvery) + 1;
        Assert.InRange(accepted, Burst, allowed);
        // Carol sees exactly those: what was refused was neither stored nor delivered. And Bob's all arrived, in order.
        await Expect(carol.Messages.GetByRole(AriaRole.Article, new() { Name = $"{mallory.Name}: flood" })).ToHaveCountAsync(accepted);
        await Expect(bob.Messages.GetByRole(AriaRole.Article, new() { Name = $"{mallory.Name}: flood" })).ToHaveCountAsync(accepted);

        // A reload shows the history from the store: the same, no refused message in it.
        await carol.Page.ReloadAsync();
        await carol.JoinAsync();
        await Expect(carol.Messages.GetByRole(AriaRole.Article, new() { Name = $"{mallory.Name}: flood" })).ToHaveCountAsync(accepted);
        await Expect(carol.Messages.GetByRole(AriaRole.Article, new() { Name = $"{bob.Name}: " })).ToHaveCountAsync(bobs.Length);
    }

    [GeneratedRegex(@"^Slow down: you can send again in \d+ s\. This message was not sent\.$")]
    private static partial Regex SlowDown();
}
