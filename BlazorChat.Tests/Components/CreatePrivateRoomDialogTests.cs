using BlazorChat.Components.Chat;
using Bunit;
using MudBlazor;

namespace BlazorChat.Tests.Components;

/// <summary>The dialog that creates a private room.</summary>
public sealed class CreatePrivateRoomDialogTests : ChatUiContext
{
    private readonly List<string> _created = [];

    private Task<DialogHost> ShowAsync(Func<string, Task<string?>>? create = null) =>
        DialogHost.ShowAsync(this, "New private room", new DialogParameters<CreatePrivateRoomDialog>
        {
            {
                d => d.OnCreate, title =>
                {
                    _created.Add(title);
                    return create?.Invoke(title) ?? Task.FromResult<string?>(null);
                }
            },
        });

    [Fact]
    public async Task Dialog_IsNamedForWhatItDoes_WithALabelledTitleField_CreateAndCancel()
    {
        var host = await ShowAsync();

        Assert.Equal("New private room", host.Provider.Find("[role=dialog]").GetAttribute("aria-label"));
        Assert.Equal("Title", host.Provider.Find("label[for=private-room-title]").TextContent);
        Assert.Equal(["Cancel", "Create"], host.Provider.FindAll("[role=dialog] button").Select(b => b.TextContent.Trim()));
    }

    [Fact]
    public async Task Create_SendsTheTitleAsARoomName_AndClosesTheDialog()
    {
        var host = await ShowAsync();

        await host.TypeAsync("#private-room-title", " Secret-Plans ");
        await host.SubmitAsync();

        Assert.Equal(["secret-plans"], _created);
        Assert.False((await host.Result)!.Canceled);
        host.Provider.WaitForAssertion(() => Assert.False(host.IsOpen));
    }

    [Fact]
    public async Task EnterInTheTitle_SubmitsTheForm_WhoseButtonIsCreate()
    {
        var host = await ShowAsync();

        // Enter in a text box submits its form (the browser's implicit submission): the box is in the form, and the
        // form's submit button, in the dialog's actions, is Create.
        var form = host.Provider.Find("form");
        Assert.NotNull(form.QuerySelector("#private-room-title"));
        var create = host.Provider.FindAll("[role=dialog] button").Single(b => b.TextContent.Trim() == "Create");
        Assert.Equal("submit", create.GetAttribute("type"));
        Assert.Equal(form.Id, create.GetAttribute("form"));
    }

    [Fact]
    public async Task AServerRefusal_KeepsTheDialogOpen_WithTheReasonAndTheTitle()
    {
        var host = await ShowAsync(_ => Task.FromResult<string?>("You have too many rooms."));

        await host.TypeAsync("#private-room-title", "plans");
        await host.SubmitAsync();

        Assert.Equal(["plans"], _created);
        Assert.True(host.IsOpen);
        Assert.False(host.Result.IsCompleted);
        Assert.Equal("You have too many rooms.", host.Provider.Find("[role=dialog] [role=alert]").TextContent);
        Assert.Equal("plans", host.Provider.Find("#private-room-title").GetAttribute("value"));
    }

    [Fact]
    public async Task ATitleTheRulesRefuse_IsExplainedInTheDialog_AndNeverSent()
    {
        var host = await ShowAsync();

        await host.TypeAsync("#private-room-title", "bad name!");
        await host.SubmitAsync();

        Assert.Empty(_created);
        Assert.True(host.IsOpen);
        Assert.Equal(RoomNames.Validate("bad name!", out _), host.Provider.Find("[role=dialog] [role=alert]").TextContent);
    }

    [Fact]
    public async Task ASecondSubmit_WhileTheFirstIsUnderWay_CreatesNothingMore()
    {
        var answer = new TaskCompletionSource<string?>();
        var host = await ShowAsync(_ => answer.Task);

        await host.TypeAsync("#private-room-title", "plans");
        var first = host.SubmitAsync(); // waits for the answer
        var second = host.SubmitAsync();
        await host.InvokeAsync(() => answer.SetResult(null));
        await Task.WhenAll(first, second);

        Assert.Equal(["plans"], _created);
        Assert.False((await host.Result)!.Canceled);
    }

    [Fact]
    public async Task Cancel_ClosesTheDialog_AndCreatesNothing()
    {
        var host = await ShowAsync();

        await host.TypeAsync("#private-room-title", "plans");
        await host.ClickAsync("Cancel");

        Assert.True((await host.Result)!.Canceled);
        Assert.Empty(_created);
        host.Provider.WaitForAssertion(() => Assert.False(host.IsOpen));
    }
}
