using System.Security.Claims;
using System.Security.Cryptography;
using BlazorChat.Chat;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;
using Microsoft.AspNetCore.Components.Authorization;

namespace BlazorChat.Session;

/// <summary>
/// Per-circuit (scoped) state: who this tab is, and its connection to one namespace at a time (socket.io's
/// client socket). Components subscribe here, not on the singleton server, so a forgotten subscription can
/// only ever hold its own circuit.
/// </summary>
public sealed class ChatSession(ChatServer server, DisplayNames names, AuthenticationStateProvider authentication, ILogger<ChatSession> logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _delivering = new(1, 1);
    private ClientHandler[] _subscribers = [];
    private long _lastLink; // each connection this tab makes gets the next number
    private long _currentLink; // events of connections numbered below it are dropped (see DeliverAsync)
    private long _deliveredLink; // the newest connection whose events subscribers have started receiving
    private int _joining;
    private ChatSocket? _socket;
    private ClaimsPrincipal? _user;
    private Suspended? _suspended;
    private string? _userId;

    /// <summary>
    /// A local event (never sent by a server) that subscribers get before the first event of each new
    /// connection: a fresh namespace begins, and anything shown of the previous one is stale.
    /// </summary>
    public const string ConnectionStartedEvent = "session:connection-started";

    /// <summary>This tab's id in logs, for the whole circuit (connection ids change with the namespace).</summary>
    public string TabId { get; } = NewConnectionId()[2..];

    /// <summary>The current connection's id (a new one per namespace, like socket.io's socket.id).</summary>
    public string? ConnectionId => _socket?.Id;

    public string? DisplayName { get; private set; }

    public string? UserId => _userId;

    public string? Namespace => _socket?.Namespace.Name;

    /// <summary>In the chat: connected, or suspended while the transport is away (see <see cref="SuspendAsync"/>).</summary>
    public bool IsJoined => _socket is not null || _suspended is not null;

    /// <summary>Out of its namespace because its transport went away; <see cref="ResumeAsync"/> brings it back.</summary>
    public bool IsSuspended => _suspended is not null;

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Set by the page: false while its renders lag behind, so volatile events are dropped for this tab.</summary>
    public Func<bool> IsClientWritable { get; set; } = static () => true;

    /// <summary>Joins the chat under <paramref name="displayName"/> in the main namespace; returns why not, or null.</summary>
    public async Task<string?> JoinAsync(string? displayName)
    {
        if (_socket is not null)
            return null;
        if (ChatRules.ValidateDisplayName(displayName, out var name) is { } reason)
            return reason;
        // A double submit must not claim the name twice and leave a second connection behind.
        if (Interlocked.Exchange(ref _joining, 1) == 1)
            return "Already joining…";
        try
        {
            return await JoinOnceAsync(name);
        }
        finally
        {
            Volatile.Write(ref _joining, 0);
        }
    }

    private async Task<string?> JoinOnceAsync(string name)
    {

        // Who this is comes from the server's authentication state, never from anything the client sends.
        var state = await authentication.GetAuthenticationStateAsync();
        var userId = state.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
            return "Your browser session has no identity yet. Reload the page and try again.";
        if (names.Claim(userId, name) is { } taken)
            return taken;

        _user = state.User;
        _userId = userId;
        DisplayName = name;
        var error = await ConnectAsync(ChatServer.MainNamespace);
        if (error is not null)
        {
            names.Release(userId);
            _user = null;
            _userId = null;
            DisplayName = null;
        }
        return error;
    }

    /// <summary>
    /// Moves this tab to another namespace. The new connection must pass that namespace's middleware first;
    /// when it is refused, the reason comes back and the tab stays where it was.
    /// </summary>
    public async Task<string?> SwitchNamespaceAsync(string @namespace)
    {
        if (_socket is null)
            return "Join the chat first.";
        if (_socket.Namespace.Name == @namespace)
            return null;
        var previous = _socket;
        var error = await ConnectAsync(@namespace);
        if (error is null)
            await previous.DisconnectAsync("client namespace disconnect");
        return error;
    }

    /// <summary>Sends an event to the current namespace; returns its acknowledgement, or the reason it was refused.</summary>
    public async Task<(EventData? Reply, string? Error)> SendAsync(string eventName, ChatEvent data, CancellationToken cancellationToken = default)
    {
        var socket = _socket;
        if (socket is null)
            return (null, "Join the chat first.");
        try
        {
            return (await socket.SendAsync(eventName, data, cancellationToken), null);
        }
        catch (ChatRefusedException refused)
        {
            return (null, refused.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failure on the server (a full disk, say) is this request's, not the circuit's: say so, keep going.
            logger.LogError(ex, "{Event} failed for tab {TabId}", eventName, TabId);
            return (null, "Something went wrong on the server, and this was not done. Try again in a moment.");
        }
    }

    /// <summary>Receives every event for this tab, in order, on a background thread. Dispose to stop.</summary>
    public IDisposable Subscribe(ClientHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
            _subscribers = [.. _subscribers, handler];
        return new Subscription(this, handler);
    }

    /// <summary>
    /// The tab's transport has been gone too long: its connection leaves the namespace (socket.io's "transport
    /// close"), so others see the person go offline if it was their last tab, and nobody waits for its acks.
    /// Who this is, the display name and the rooms it was in are kept for <see cref="ResumeAsync"/>.
    /// </summary>
    public async Task SuspendAsync()
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        if (socket is null)
            return;
        _suspended = new Suspended(socket.Namespace.Name, [.. socket.Rooms.Where(RoomNames.IsListed)]);
        RaiseCurrentLink(Interlocked.Increment(ref _lastLink));
        await socket.DisconnectAsync("transport close");
    }

    /// <summary>
    /// The transport is back: connects again to the namespace the tab was in (the welcome then tells the page to
    /// start afresh and catch up) and rejoins its rooms. Returns why not, or null; when the namespace no longer
    /// admits this person, the tab goes to the main namespace instead.
    /// </summary>
    public async Task<string?> ResumeAsync()
    {
        if (Interlocked.Exchange(ref _suspended, null) is not { } suspended || _socket is not null)
            return null;
        var error = await ConnectAsync(suspended.Namespace);
        if (error is not null && suspended.Namespace != ChatServer.MainNamespace)
            error = await ConnectAsync(ChatServer.MainNamespace) ?? error;
        else if (error is null)
        {
            foreach (var room in suspended.Rooms.Where(r => r != RoomNames.General))
                await SendAsync(ChatEvents.JoinRoom, new JoinRoomRequest(room)); // a room that is gone or closed to them is simply not rejoined
        }
        if (_socket is null)
            ReleaseIdentity();
        return error;
    }

    /// <summary>Leaves the chat: the connection leaves its namespace and rooms, and the display name is freed.</summary>
    public async Task LeaveAsync(string reason)
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        if (socket is null)
        {
            if (Interlocked.Exchange(ref _suspended, null) is not null)
                ReleaseIdentity();
            return;
        }
        RaiseCurrentLink(Interlocked.Increment(ref _lastLink)); // nothing of the connection being left reaches subscribers now
        await socket.DisconnectAsync(reason);
        ReleaseIdentity();
    }

    private void ReleaseIdentity()
    {
        if (_userId is not null)
            names.Release(_userId);
        DisplayName = null;
    }

    public ValueTask DisposeAsync() => new(LeaveAsync("circuit disposed"));

    private async Task<string?> ConnectAsync(string @namespace)
    {
        var request = new ConnectRequest(NewConnectionId(), _user!, _userId!, DisplayName!);
        var link = Interlocked.Increment(ref _lastLink);
        try
        {
            var socket = await server.ConnectAsync(@namespace, request, (packet, ack) => DeliverAsync(link, packet, ack));
            socket.IsClientWritable = () => IsClientWritable();
            _socket = socket;
            RaiseCurrentLink(link);
            return null;
        }
        catch (ConnectRefusedException refused)
        {
            return refused.Message;
        }
    }

    // While switching, the old connection stays live until the new one has been let in and has sent its welcome.
    // From the new connection's first event on, whatever the old one still delivers belongs to the namespace this
    // tab is leaving and would be shown as if it came from the new one: it is dropped (and so never acknowledged).
    // One delivery at a time, so nothing of the old connection can overtake the new welcome either.
    private async Task DeliverAsync(long link, Packet packet, AckReply? ack)
    {
        RaiseCurrentLink(link);
        await _delivering.WaitAsync();
        try
        {
            if (link < Interlocked.Read(ref _currentLink))
                return;
            if (link > _deliveredLink)
            {
                // A new connection's first event: tell subscribers before anything of it reaches them, so they
                // start afresh here (and not at its welcome, which may come after its first messages).
                _deliveredLink = link;
                await DeliverToSubscribersAsync(new Packet(ConnectionStartedEvent), null);
            }
            await DeliverToSubscribersAsync(packet, ack);
        }
        finally
        {
            _delivering.Release();
        }
    }

    private async Task DeliverToSubscribersAsync(Packet packet, AckReply? ack)
    {
        {
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                try
                {
                    await subscriber(packet, ack);
                }
                catch (Exception)
                {
                    // One broken or already disposed component must not keep the event from the others.
                }
            }
        }
    }

    private void RaiseCurrentLink(long link)
    {
        var current = Interlocked.Read(ref _currentLink);
        while (link > current)
        {
            var seen = Interlocked.CompareExchange(ref _currentLink, link, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    private void Unsubscribe(ClientHandler handler)
    {
        lock (_gate)
            _subscribers = [.. _subscribers.Where(s => s != handler)];
    }

    // Contains '.', which no room name may: nobody can create a room that is someone's private id room.
    private static string NewConnectionId() =>
        "c." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');

    private sealed record Suspended(string Namespace, string[] Rooms);

    private sealed class Subscription(ChatSession owner, ClientHandler handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unsubscribe(handler);
        }
    }
}
