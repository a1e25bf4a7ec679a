using System.Collections.Frozen;

namespace BlazorChat.Realtime;

/// <summary>socket.io's reserved event names: lifecycle events the server raises itself, never user events.</summary>
public static class ReservedEvents
{
    public static FrozenSet<string> Names { get; } =
        new[] { "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener" }.ToFrozenSet(StringComparer.Ordinal);

    /// <exception cref="ReservedEventException">The name is reserved.</exception>
    /// <exception cref="ArgumentException">The name is empty or blank.</exception>
    public static void ThrowIfReserved(string eventName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (Names.Contains(eventName))
            throw new ReservedEventException(eventName);
    }
}

/// <summary>An attempt to emit or listen to a reserved event name.</summary>
public sealed class ReservedEventException(string eventName)
    : ArgumentException($"\"{eventName}\" is a reserved event name ({string.Join(", ", ReservedEvents.Names)}); choose another name.", nameof(eventName))
{
    public string EventName { get; } = eventName;
}
