using BlazorChat.Components.Chat;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>The people picker ("New message"), and the search it shares with the invite dialog.</summary>
public sealed class PeoplePickerTests : ChatUiContext
{
    private static readonly Person Bob = new("user-bob", "Bob");
    private static readonly Person Bobby = new("user-bobby", "Bobby");

    private readonly ManualTimeProvider _time;
    private readonly List<string> _searches = [];

    public PeoplePickerTests() => _time = this.UseManualTime();

    private Task<DialogHost> ShowAsync(Func<string, Task<(IReadOnlyList<Person>, string?)>>? search = null) =>
        DialogHost.ShowAsync(this, "New message", new DialogParameters<PeoplePicker>
        {
            {
                d => d.Search, text =>
                {
                    _searches.Add(text);
                    return search?.Invoke(text)
                        ?? Task.FromResult<(IReadOnlyList<Person>, string?)>(([.. new[] { Bob, Bobby }.Where(p => p.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase))], null));
                }
            },
        });

    private static IReadOnlyList<string?> Found(DialogHost host) =>
        [.. host.Provider.FindAll("ul[aria-label='People found'] button").Select(b => b.GetAttribute("aria-label"))];

    [Fact]
    public async Task Opening_ListsThePeopleHere_AtOnce()
    {
        var host = await ShowAsync();

        Assert.Equal([""], _searches);
        Assert.Equal(["Message Bob", "Message Bobby"], Found(host));
    }

    [Fact]
    public async Task Typing_SearchesOnceTypingPauses_NotOnEveryKeystroke()
    {
        var host = await ShowAsync();

        foreach (var text in new[] { "b", "bo", "bob", "bobb" })
        {
            await host.TypeAsync("#people-search", text);
            _time.Advance(PeopleSearch.SearchDelay - TimeSpan.FromMilliseconds(1));
        }
        Assert.Equal([""], _searches);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        host.Provider.WaitForAssertion(() => Assert.Equal(["", "bobb"], _searches));
        host.Provider.WaitForAssertion(() => Assert.Equal(["Message Bobby"], Found(host)));
    }

    [Fact]
    public async Task AnEarlierSlowerAnswer_NeverReplacesTheLatest()
    {
        var slow = new TaskCompletionSource<(IReadOnlyList<Person>, string?)>();
        var host = await ShowAsync(text => text == "bo" ? slow.Task : Task.FromResult<(IReadOnlyList<Person>, string?)>(([Bobby], null)));

        await host.TypeAsync("#people-search", "bo");
        _time.Advance(PeopleSearch.SearchDelay);
        host.Provider.WaitForAssertion(() => Assert.Equal(["", "bo"], _searches));
        await host.TypeAsync("#people-search", "bobb");
        _time.Advance(PeopleSearch.SearchDelay);
        host.Provider.WaitForAssertion(() => Assert.Equal(["Message Bobby"], Found(host)));
        await host.InvokeAsync(() => slow.SetResult(([Bob, Bobby], null)));

        Assert.Equal(["Message Bobby"], Found(host));
    }

    [Fact]
    public async Task ARefusedSearch_SaysWhy()
    {
        var host = await ShowAsync(text => Task.FromResult<(IReadOnlyList<Person>, string?)>(([], text.Length > 0 ? "Search for at most 32 characters of a name." : null)));

        await host.TypeAsync("#people-search", "x");
        _time.Advance(PeopleSearch.SearchDelay);

        host.Provider.WaitForAssertion(() =>
            Assert.Equal("Search for at most 32 characters of a name.", host.Provider.Find("[role=dialog] [role=status]").TextContent));
    }

    [Fact]
    public async Task PickingSomeone_ClosesTheDialogWithThatPerson()
    {
        var host = await ShowAsync();

        await host.Provider.Find("button[aria-label='Message Bobby']").ClickAsync(new MouseEventArgs());

        var result = await host.Result;
        Assert.False(result!.Canceled);
        Assert.Equal(Bobby, result.Data);
    }

    [Fact]
    public async Task Cancel_ClosesTheDialog_AndASearchStillWaitingIsNeverSent()
    {
        var host = await ShowAsync();

        await host.TypeAsync("#people-search", "bob");
        await host.ClickAsync("Cancel");
        _time.Advance(PeopleSearch.SearchDelay);

        Assert.True((await host.Result)!.Canceled);
        Assert.Equal([""], _searches);
        Assert.Equal(0, _time.ActiveTimers);
    }
}
