using Bunit;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// A bunit context for the app's MudBlazor-based components (<see cref="ChatShell.AddChatUi"/>). MudBlazor's services
/// dispose only asynchronously, so the context is disposed through <see cref="IAsyncLifetime"/>, never by xunit's
/// synchronous Dispose.
/// </summary>
public abstract class ChatUiContext : BunitContext, IAsyncLifetime
{
    protected ChatUiContext() => this.AddChatUi();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeTestAsync();
        await base.DisposeAsync();
    }

    /// <summary>What a test class has to dispose besides the context.</summary>
    protected virtual Task DisposeTestAsync() => Task.CompletedTask;
}
