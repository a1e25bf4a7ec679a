using MudBlazor;

namespace BlazorChat.Components.Theme;

/// <summary>
/// BlazorChat's light and dark palettes, one <see cref="MudTheme"/> for the whole app (MudBlazor's CSS variables, so
/// the app's own CSS reads colours from <c>--mud-palette-*</c> instead of repeating them).
/// </summary>
public static class ChatTheme
{
    // The system's own fonts: nothing is fetched from elsewhere (the content security policy allows this origin only).
    private static readonly string[] Fonts = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "DejaVu Sans", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#512bd4",
            Secondary = "#0f7b6c",
            AppbarBackground = "#512bd4",
            AppbarText = "#ffffff",
            Background = "#f6f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "rgba(0,0,0,0.87)",
            TextSecondary = "#5f6472",
            Error = "#b3261e",
            Success = "#2e7d32",
            LinesDefault = "#e3e5ec",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#b39dff",
            Secondary = "#4fd1c5",
            AppbarBackground = "#1e1b2e",
            AppbarText = "#ffffff",
            Background = "#121218",
            Surface = "#1e1e26",
            DrawerBackground = "#18181f",
            DrawerText = "rgba(255,255,255,0.87)",
            TextPrimary = "rgba(255,255,255,0.9)",
            TextSecondary = "#b0b3c0",
            Error = "#f2b8b5",
            Success = "#81c995",
            LinesDefault = "#33333d",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
            H1 = new H1Typography { FontFamily = Fonts },
            H6 = new H6Typography { FontFamily = Fonts },
            Button = new ButtonTypography { FontFamily = Fonts, TextTransform = "none" },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "300px", AppbarHeight = "56px" },
    };
}
