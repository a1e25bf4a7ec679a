using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// A dialog shown the way the page shows it: through <see cref="IDialogService"/>, inside MudBlazor's dialog provider,
/// whose markup is where the dialog renders.
/// </summary>
public sealed class DialogHost(IRenderedComponent<MudDialogProvider> provider, IDialogReference dialog)
{
    /// <summary>The provider, whose markup holds the dialog while it is open.</summary>
    public IRenderedComponent<MudDialogProvider> Provider { get; } = provider;

    /// <summary>The dialog's result: complete once it closed.</summary>
    public Task<DialogResult?> Result => dialog.Result;

    public bool IsOpen => Provider.FindAll("[role=dialog]").Count > 0;

    /// <summary>Runs an action on the renderer's dispatcher (where its events run).</summary>
    public Task InvokeAsync(Action action) => Provider.InvokeAsync(action);

    /// <summary>Types <paramref name="text"/> into a text box of the dialog; done once its handler has run.</summary>
    public Task TypeAsync(string selector, string text) =>
        Provider.Find($"[role=dialog] {selector}").InputAsync(new ChangeEventArgs { Value = text });

    /// <summary>Clicks the dialog's button with this text.</summary>
    public Task ClickAsync(string button) =>
        Provider.FindAll("[role=dialog] button").Single(b => b.TextContent.Trim() == button).ClickAsync(new MouseEventArgs());

    /// <summary>Submits the dialog's form, as its main button or Enter in a field does.</summary>
    public Task SubmitAsync() => Provider.Find("[role=dialog] form").SubmitAsync();

    public static async Task<DialogHost> ShowAsync<TDialog>(BunitContext context, string title, DialogParameters<TDialog> parameters)
        where TDialog : IComponent
    {
        var provider = context.Render<MudDialogProvider>();
        var service = context.Services.GetRequiredService<IDialogService>();
        IDialogReference? dialog = null;
        await provider.InvokeAsync(async () => dialog = await service.ShowAsync<TDialog>(title, parameters));
        return new DialogHost(provider, dialog!);
    }
}
