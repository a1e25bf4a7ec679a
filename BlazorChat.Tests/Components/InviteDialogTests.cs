using BlazorChat.Components.Chat;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>The dialog that invites someone to a private room: a people search, a choice, Invite.</summary>
public sealed class InviteDialogTests : ChatUiContext
{
    private static readonly Person Alice = new("user-alice", "Alice");
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Carol = new("user-carol", "Carol");
    private static readonly Person Dave = new("user-dave", "Dave");

    private readonly ManualTimeProvider _time;
    private readonly List<string> _invited = [];

    public InviteDialogTests() => _time = this.UseManualTime();

    // Alice and Bob are members; everyone is found by any text containing a letter of theirs.
    private Task<DialogHost> ShowAsync(Func<string, string?>? invite = null) =>
        DialogHost.ShowAsync(this, "Invite to secret-plans", new DialogParameters<InviteDialog>
        {
            { d => d.RoomTitle, "secret-plans" },
            { d => d.Members, [Alice.UserId, Bob.UserId] },
            {
                d => d.Search, text => Task.FromResult<(IReadOnlyList<Person>, string?)>(
                    ([.. new[] { Alice, Bob, Carol, Dave }.Where(p => p.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase))], null))
            },
            {
                d => d.OnInvite, userId =>
                {
                    _invited.Add(userId);
                    return Task.FromResult(invite?.Invoke(userId));
                }
            },
        });

    private static IReadOnlyList<string> Offered(DialogHost host) =>
        [.. host.Provider.FindAll("[role=dialog] input[type=radio]").Select(r => r.ParentElement!.TextContent.Trim())];

    private static Task ChooseAsync(DialogHost host, Person person) =>
        host.Provider.Find($"input[type=radio][value='{person.UserId}']").ChangeAsync(new ChangeEventArgs { Value = true });

    private static Task InviteAsync(DialogHost host) => host.SubmitAsync();

    [Fact]
    public async Task Dialog_IsNamedForTheRoom_SearchesPeople_AndOffersOnlyThoseNotInItYet()
    {
        var host = await ShowAsync();

        Assert.Equal("Invite to secret-plans", host.Provider.Find("[role=dialog]").GetAttribute("aria-label"));
        Assert.Equal("Search people", host.Provider.Find("label[for=people-search]").TextContent);
        Assert.Equal(["Carol", "Dave"], Offered(host));
        Assert.Equal(["Cancel", "Invite"], host.Provider.FindAll("[role=dialog] button").Select(b => b.TextContent.Trim()));
    }

    [Fact]
    public async Task Search_NarrowsThePeopleOffered_OnceTypingPauses()
    {
        var host = await ShowAsync();

        await host.TypeAsync("#people-search", "car");
        _time.Advance(PeopleSearch.SearchDelay);

        host.Provider.WaitForAssertion(() => Assert.Equal(["Carol"], Offered(host)));
    }

    [Fact]
    public async Task Invite_SendsTheChosenPersonsUserId_AndClosesTheDialog()
    {
        var host = await ShowAsync();

        await ChooseAsync(host, Dave);
        await InviteAsync(host);

        Assert.Equal([Dave.UserId], _invited);
        Assert.False((await host.Result)!.Canceled);
        host.Provider.WaitForAssertion(() => Assert.False(host.IsOpen));
    }

    [Fact]
    public async Task Invite_WithNobodyChosen_SaysSo_AndSendsNothing()
    {
        var host = await ShowAsync();

        await InviteAsync(host);

        Assert.Empty(_invited);
        Assert.True(host.IsOpen);
        Assert.Equal("Choose someone to invite.", host.Provider.Find("[role=dialog] [role=alert]").TextContent);
    }

    [Fact]
    public async Task AServerRefusal_KeepsTheDialogOpen_WithTheReason()
    {
        var host = await ShowAsync(_ => "Carol is already a member of secret-plans.");

        await ChooseAsync(host, Carol);
        await InviteAsync(host);

        Assert.Equal([Carol.UserId], _invited);
        Assert.True(host.IsOpen);
        Assert.False(host.Result.IsCompleted);
        Assert.Equal("Carol is already a member of secret-plans.", host.Provider.Find("[role=dialog] [role=alert]").TextContent);
    }

    [Fact]
    public async Task SomeoneChosen_WhoANewSearchNoLongerShows_IsNotInvitedUnseen()
    {
        var host = await ShowAsync();

        await ChooseAsync(host, Dave);
        await host.TypeAsync("#people-search", "car");
        _time.Advance(PeopleSearch.SearchDelay);
        host.Provider.WaitForAssertion(() => Assert.Equal(["Carol"], Offered(host)));
        await InviteAsync(host);

        Assert.Empty(_invited);
        Assert.Equal("Choose someone to invite.", host.Provider.Find("[role=dialog] [role=alert]").TextContent);
    }

    [Fact]
    public async Task Cancel_ClosesTheDialog_AndInvitesNobody()
    {
        var host = await ShowAsync();

        await ChooseAsync(host, Carol);
        await host.ClickAsync("Cancel");

        Assert.True((await host.Result)!.Canceled);
        Assert.Empty(_invited);
    }
}
