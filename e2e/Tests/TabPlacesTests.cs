using BlazorChat.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BlazorChat.E2E.Tests;

/// <summary>
/// A person's tab cap in real Chromium, with a tab whose network goes away: its place goes to a tab that was refused, and
/// the tab that comes back to find every place taken stays out of the chat, says why, and gets in once a tab closes.
/// </summary>
[Collection(TabPlacesServerCollection.Name)]
public sealed class TabPlacesTests(TabPlacesServerFixture server)
{
    private static readonly string Full = $"You already have {AccountsServerFixture.MaxTabs} BlazorChat tabs open. Close one to chat here.";

    [Fact]
    public async Task ATabAwayFromTheNetwork_GivesItsPlaceToARefusedTab_AndComingBackToNoPlace_SaysWhy_AndJoinsOnceATabCloses()
    {
        var name = Names.Unique("Roamer");
        // The first tab's circuit socket goes through the test (ChatUser), so its network can be cut; the others' do not.
        await using var user = await ChatUser.OpenAsync(server.Browser, server.App.BaseUri, name);
        await AccountSteps.RegisterAsync(user.Page, name, name.ToLowerInvariant());
        await AccountSteps.ExpectSignedInAsync(user.Page, name);
        var (second, third) = await AccountSteps.FillTheTabCapAsync(user, Full);

        // The first tab loses its network. Its circuit is kept for 3 minutes, but its place is given back once it has
        // been away 5 s: the refused tab gets in well before the circuit could have closed.
        await user.CutNetworkAsync();
        var cut = DateTime.UtcNow;
        await AccountSteps.JoinWhenAPlaceIsFreeAsync(third, TimeSpan.FromSeconds(40));
        Assert.True(DateTime.UtcNow - cut < TimeSpan.FromSeconds(60), "the place came free only as late as a circuit closing");

        // The network comes back: both places are taken, so the first tab stays out of the chat and says why.
        user.RestoreNetwork();
        await Expect(user.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = Full }).First).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await Expect(user.MessageBox).ToHaveCountAsync(0);
        await Expect(second.GetByLabel("Message", new() { Exact = true })).ToBeVisibleAsync();

        // A tab closes: the first one gets in again.
        await third.CloseAsync(new() { RunBeforeUnload = true });
        await AccountSteps.JoinWhenAPlaceIsFreeAsync(user.Page, TimeSpan.FromSeconds(30));
    }
}
