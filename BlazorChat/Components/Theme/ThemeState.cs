namespace BlazorChat.Components.Theme;

/// <summary>A person's own choice of theme; <see cref="System"/> follows the browser's <c>prefers-color-scheme</c>.</summary>
public enum ThemeChoice
{
    System,
    Light,
    Dark,
}

/// <summary>
/// The theme of one tab (scoped to its circuit): the person's choice and what the browser prefers. The choice is kept
/// in a cookie (<see cref="ChoiceCookie"/>, written by <c>wwwroot/js/app.js</c>), so a reload, a new tab and the
/// server-rendered account pages start in it; so is the browser's last known preference (<see cref="SystemDarkCookie"/>),
/// so a page that follows the system is rendered dark from its first byte rather than after the circuit starts.
/// </summary>
public sealed class ThemeState
{
    public const string ChoiceCookie = "bc-theme";
    public const string SystemDarkCookie = "bc-system-dark";

    private readonly List<Action> _listeners = [];

    public ThemeChoice Choice { get; private set; }

    public bool SystemDark { get; private set; }

    public bool IsDark => Choice == ThemeChoice.Dark || (Choice == ThemeChoice.System && SystemDark);

    /// <summary>Reads the two cookies; anything unknown in them reads as "follow the system" and "light".</summary>
    public void Load(string? choice, string? systemDark)
    {
        Choice = Parse(choice);
        SystemDark = systemDark == "1";
    }

    public static ThemeChoice Parse(string? value) =>
        Enum.TryParse<ThemeChoice>(value, ignoreCase: true, out var choice) && Enum.IsDefined(choice) ? choice : ThemeChoice.System;

    public void Choose(ThemeChoice choice)
    {
        if (choice == Choice)
            return;
        Choice = choice;
        Notify();
    }

    public void SystemChanged(bool dark)
    {
        if (dark == SystemDark)
            return;
        SystemDark = dark;
        Notify();
    }

    /// <summary>How many listeners are subscribed (components dispose theirs with themselves).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_listeners)
                return _listeners.Count;
        }
    }

    /// <summary>Calls <paramref name="onChange"/> after every change until the returned subscription is disposed.</summary>
    public IDisposable Subscribe(Action onChange)
    {
        lock (_listeners)
            _listeners.Add(onChange);
        return new Subscription(this, onChange);
    }

    private void Notify()
    {
        Action[] listeners;
        lock (_listeners)
            listeners = [.. _listeners];
        foreach (var listener in listeners)
            listener();
    }

    private sealed class Subscription(ThemeState owner, Action listener) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._listeners)
                owner._listeners.Remove(listener);
        }
    }
}
