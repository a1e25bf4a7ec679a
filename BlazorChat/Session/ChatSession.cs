using System.Security.Claims;
using System.Security.Cryptography;
using BlazorChat.Chat;
using BlazorChat.Realtime;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorChat.Session;

/// <summary>
/// Per-circuit (scoped) state: who this tab is and its registry connection. Components subscribe here,
/// not on the singleton registry, so a forgotten subscription can only ever hold its own circuit.
/// </summary>
public sealed class ChatSession(ChatRegistry registry, AuthenticationStateProvider authentication) : IDisposable
{
    private readonly Lock _gate = new();
    private Func<ChatEvent, Task>[] _subscribers = [];
    private ChatConnection? _connection;

    /// <summary>This tab's connection id, like socket.io's <c>socket.id</c>: random, never the circuit's own id.</summary>
    public string ConnectionId { get; } = NewConnectionId();

    public Person? Person => _connection?.Person;

    public bool IsJoined => _connection is not null;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Joins the chat under <paramref name="displayName"/>; returns the reason when refused (nothing changes then).</summary>
    public async Task<string?> JoinAsync(string? displayName)
    {
        if (_connection is not null)
            return null;
        if (ChatRules.ValidateDisplayName(displayName, out var name) is { } reason)
            return reason;

        // Who this is comes from the server's authentication state, never from anything the client sends.
        var state = await authentication.GetAuthenticationStateAsync();
        var userId = state.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
            return "Your browser session has no identity yet. Reload the page and try again.";

        try
        {
            _connection = registry.Connect(ConnectionId, new Person(userId, name), DeliverAsync);
            return null;
        }
        catch (ChatRefusedException refused)
        {
            return refused.Message;
        }
    }

    /// <summary>Sends to the general room; returns the reason when refused (nothing is sent then).</summary>
    public string? Send(string? text)
    {
        if (_connection is null)
            return "Join the chat before sending messages.";
        try
        {
            _connection.Send(ChatRegistry.GeneralRoom, text ?? string.Empty);
            return null;
        }
        catch (ChatRefusedException refused)
        {
            return refused.Message;
        }
    }

    /// <summary>Receives every event for this tab, in order, on a background thread. Dispose to stop.</summary>
    public IDisposable Subscribe(Func<ChatEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _subscribers = [.. _subscribers, handler];
        return new Subscription(this, handler);
    }

    public void Leave(string reason)
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        connection?.Disconnect(reason);
    }

    public void Dispose() => Leave("circuit disposed");

    private async Task DeliverAsync(ChatEvent evt)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            try
            {
                await subscriber(evt);
            }
            catch (Exception)
            {
                // One broken or already disposed component must not keep the event from the others.
            }
        }
    }

    private void Unsubscribe(Func<ChatEvent, Task> handler)
    {
        lock (_gate)
            _subscribers = [.. _subscribers.Where(s => s != handler)];
    }

    private static string NewConnectionId() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');

    private sealed class Subscription(ChatSession owner, Func<ChatEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(handler);
        }
    }
}
