using BlazorChat.Components.Layout;
using BlazorChat.Components.Pages;
using BlazorChat.Components.Theme;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// The chat page as the app shows it: inside <see cref="MainLayout"/>, whose app bar and side panel the page fills
/// through sections. Rendering the page alone would leave its sidebar and title unrendered.
/// </summary>
public static class ChatShell
{
    /// <summary>MudBlazor's services as its own tests set them up, and the per-circuit theme.</summary>
    public static void AddChatUi(this BunitContext context)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
        context.Services.AddScoped<ThemeState>();
        // As the app has it: the page reads the request's cookies (theme, name) through it while prerendering.
        context.Services.AddHttpContextAccessor();
        context.Services.AddScoped<BlazorChat.Components.Layout.ShellState>();
    }

    /// <summary>
    /// Gives the page a clock that moves only when the test moves it: its timers (marking read, the typing line's short
    /// delay) fire inside <see cref="ManualTimeProvider.Advance"/>, not after real time. Call it before rendering the page.
    /// </summary>
    public static ManualTimeProvider UseManualTime(this BunitContext context)
    {
        var time = new ManualTimeProvider();
        context.Services.AddSingleton<TimeProvider>(time);
        return time;
    }

    /// <param name="with">The address's person (/dm/{with}), when the page is opened at a private conversation.</param>
    public static IRenderedComponent<MainLayout> RenderChatPage(this BunitContext context, string? with = null) =>
        context.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b =>
        {
            b.OpenComponent<ChatPage>(0);
            if (with is not null)
                b.AddComponentParameter(1, nameof(ChatPage.With), with);
            b.CloseComponent();
        })));
}
