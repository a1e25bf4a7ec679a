using BlazorChat.Components.Shared;

namespace BlazorChat.Components.Theme;

/// <summary>A person's own choice of theme; <see cref="System"/> follows the browser's <c>prefers-color-scheme</c>.</summary>
public enum ThemeChoice
{
    System,
    Light,
    Dark,
}

/// <summary>
/// The theme of one tab (scoped to its circuit): the person's choice. It is kept in a cookie (<see cref="ChoiceCookie"/>,
/// written by <c>wwwroot/js/app.js</c>), so a reload, a new tab and the server-rendered account pages start in it. What
/// the browser prefers is never needed here: the theme stylesheet follows it (<see cref="ThemeStylesheet"/>).
/// </summary>
public sealed class ThemeState
{
    public const string ChoiceCookie = "bc-theme";

    private readonly Listeners _listeners = new();

    public ThemeChoice Choice { get; private set; }

    /// <summary>Reads the cookie; anything unknown in it reads as "follow the system".</summary>
    public void Load(string? choice) => Choice = Parse(choice);

    public static ThemeChoice Parse(string? value) =>
        Enum.TryParse<ThemeChoice>(value, ignoreCase: true, out var choice) && Enum.IsDefined(choice) ? choice : ThemeChoice.System;

    /// <summary>The choice as the cookie and the page's marker spell it: "system", "light" or "dark".</summary>
    public static string Name(ThemeChoice choice) => choice switch
    {
        ThemeChoice.Light => "light",
        ThemeChoice.Dark => "dark",
        _ => "system",
    };

    public void Choose(ThemeChoice choice)
    {
        if (choice == Choice)
            return;
        Choice = choice;
        _listeners.Notify();
    }

    /// <summary>How many listeners are subscribed (components dispose theirs with themselves).</summary>
    public int SubscriberCount => _listeners.Count;

    /// <summary>Calls <paramref name="onChange"/> after every change until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(Action onChange) => _listeners.Subscribe(onChange);
}
