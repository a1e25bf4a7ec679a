using System.Security.Claims;
using System.Security.Cryptography;
using BlazorChat.Accounts;
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
/// <remarks>
/// Who this is comes from the server's authentication state, and whether they may still act is asked of
/// <see cref="IAccessChecker"/> before every send and namespace switch (and at once when it says their access
/// changed): a sign-out elsewhere or a revoked role takes effect without a restart.
/// </remarks>
public sealed class ChatSession(
    ChatServer server,
    DisplayNames names,
    AuthenticationStateProvider authentication,
    IAccessChecker access,
    IAccountDirectory accounts,
    ICircuitPlaces circuits,
    ILogger<ChatSession> logger,
    IHostApplicationLifetime? lifetime = null) : IAsyncDisposable
{
    /// <summary>
    /// Whether this tab's person holds the admin role now (asked of the account, not the claims). Only what the page
    /// offers depends on it: the server asks again on every moderation action.
    /// </summary>
    public async Task<bool> IsAdminAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return await access.IsInRoleAsync(user, ChatHandlers.AdminRole);
    }

    public const string SignedOutReason = "You signed out. Sign in again to keep chatting.";
    public const string GuestsOffReason = "Guest chat is switched off here. Sign in or register to keep chatting.";
    public const string AdminRevokedReason = "You are no longer an administrator, so you have left /admin.";

    /// <summary>
    /// A local event (never sent by a server) that subscribers get when this session changed on its own: it left the
    /// chat or /admin because access ended. <see cref="Notice"/> says why.
    /// </summary>
    public const string AccessChangedEvent = "session:access-changed";

    private readonly Lock _gate = new();
    private readonly SessionFanOut _fanOut = new();
    private int _joining;
    private ChatSocket? _socket;
    private ClaimsPrincipal? _user;
    private string? _suspended; // the namespace a suspended tab was in
    private string? _userId;
    private string? _circuitPlace; // the user id this tab holds a place for among its person's open tabs
    private int _placeGivenBackWhileAway; // 1: GiveBackCircuitPlaceWhileAwayAsync gave it back; ComeBackAsync takes it again
    private IDisposable? _accessChanges; // while in the chat: the checker's news of this person's access
    // A join or resume under way (no connection yet): its connection once the namespace has let it in and run its
    // connect handlers, or null when it was refused. See SendAsync.
    private TaskCompletionSource<ChatSocket?>? _connecting;

    /// <summary>
    /// A local event (never sent by a server) that subscribers get before the first event of each new
    /// connection: a fresh namespace begins, and anything shown of the previous one is stale.
    /// </summary>
    public const string ConnectionStartedEvent = "session:connection-started";

    /// <summary>This tab's id in logs, for the whole circuit (connection ids change with the namespace).</summary>
    public string TabId { get; } = NewConnectionId()[2..];

    /// <summary>
    /// Where this tab's browser connects from and over what, as its circuit last (re)connected
    /// (<see cref="CircuitOriginFilter"/>); each namespace connection made afterwards carries it to the dashboard.
    /// </summary>
    public ConnectionOrigin? Origin { get; set; }

    /// <summary>The current connection's id (a new one per namespace, like socket.io's socket.id).</summary>
    public string? ConnectionId => _socket?.Id;

    public string? DisplayName { get; private set; }

    public string? UserId => _userId;

    public string? Namespace => _socket?.Namespace.Name;

    /// <summary>In the chat: connected, or suspended while the transport is away (see <see cref="SuspendAsync"/>).</summary>
    public bool IsJoined => _socket is not null || _suspended is not null;

    /// <summary>Out of its namespace because its transport went away; <see cref="ResumeAsync"/> brings it back.</summary>
    public bool IsSuspended => _suspended is not null;

    /// <summary>Why this tab left the chat or a namespace by itself, or cannot join: shown by the page until the next join or switch.</summary>
    public string? Notice { get; private set; }

    public int SubscriberCount => _fanOut.SubscriberCount;

    /// <summary>Set by the page: false while its renders lag behind, so volatile events are dropped for this tab.</summary>
    public Func<bool> IsClientWritable { get; set; } = static () => true;

    /// <summary>
    /// Who this tab is, as the server knows it now (for the page's header and whether it may chat).
    /// <paramref name="nameHint"/> is the name this browser last joined under, as it told the page (a cookie): on a
    /// cluster, a tab whose node died reloads onto another node, which never saw this person join, and still rejoins
    /// under their name by itself. This server's own memory wins; the join checks the name as any typed one.
    /// </summary>
    public async Task<SessionIdentity> IdentifyAsync(string? nameHint = null)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
            return new SessionIdentity(null, null, IsGuest: false, MayChat: false);
        var account = await accounts.FindAsync(user);
        return new SessionIdentity(userId, account?.DisplayName, IsGuest: account is null, await access.IsStillSignedInAsync(user))
        {
            // A registered person always chats under their account's name; a guest under the one they picked.
            RememberedName = (names.LastNameOf(userId) ?? NonEmpty(nameHint)) is { } last ? account?.DisplayName ?? last : null,
        };
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>
    /// "Change name": leaves the chat in this tab and forgets the name, so the join form asks for a new one (here and
    /// in this person's next tab). Their other open tabs keep the old name until they leave.
    /// </summary>
    public async Task ForgetNameAsync()
    {
        if (_userId is { } userId)
            names.Forget(userId);
        await LeaveAsync("changing name");
    }

    /// <summary>
    /// Takes this tab's place among its person's open tabs (see <see cref="ICircuitPlaces"/>: on a cluster, their tabs on
    /// every node); false, with <see cref="Notice"/> saying why, when they have too many open. Called when the circuit
    /// opens and again on join.
    /// </summary>
    public async Task<bool> TakeCircuitPlaceAsync() => await TakeCircuitPlaceOrSayWhyAsync() == CircuitPlace.Taken;

    private enum CircuitPlace { Taken, NoPerson, AllTaken }

    private async Task<CircuitPlace> TakeCircuitPlaceOrSayWhyAsync()
    {
        if (_circuitPlace is not null)
            return CircuitPlace.Taken;
        var userId = (await authentication.GetAuthenticationStateAsync()).User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
            return CircuitPlace.NoPerson;
        if (Interlocked.CompareExchange(ref _circuitPlace, userId, null) is not null)
            return CircuitPlace.Taken;
        var refusal = CircuitPlaceRefusal.For(circuits.Max);
        if (await circuits.TryTakeAsync(userId))
        {
            if (Notice == refusal)
                Notice = null;
            return CircuitPlace.Taken;
        }
        _circuitPlace = null;
        Notice = refusal;
        return CircuitPlace.AllTaken;
    }

    /// <summary>Gives this tab's place back: its circuit closed. Never fails (see <see cref="ICircuitPlaces.ReleaseAsync"/>).</summary>
    public Task ReleaseCircuitPlaceAsync() =>
        Interlocked.Exchange(ref _circuitPlace, null) is { } userId ? circuits.ReleaseAsync(userId) : Task.CompletedTask;

    /// <summary>
    /// Gives this tab's place back while its transport is away (past <see cref="ChatOptions.AwayAfterTransportLoss"/>):
    /// a browser killed without its goodbye must not hold one of its person's places for the minutes Blazor keeps the
    /// circuit, refusing the tab they open instead. <see cref="ComeBackAsync"/> takes it again.
    /// </summary>
    public async Task GiveBackCircuitPlaceWhileAwayAsync()
    {
        if (Interlocked.Exchange(ref _circuitPlace, null) is not { } userId)
            return;
        Volatile.Write(ref _placeGivenBackWhileAway, 1);
        await circuits.ReleaseAsync(userId);
    }

    /// <summary>
    /// The transport is back after being away: takes the tab's place again if it gave it back, then resumes the chat if
    /// it was suspended (<see cref="ResumeAsync"/>). When its person has opened as many tabs as they may meanwhile, this
    /// one stays out of the chat: <see cref="Notice"/> says why, the page is told (as for a change of access), and
    /// closing another tab lets it join again. Returns why it is not back in the chat, or null.
    /// </summary>
    public async Task<string?> ComeBackAsync()
    {
        if (Interlocked.Exchange(ref _placeGivenBackWhileAway, 0) == 1)
        {
            // Refused for want of a place (not for want of a person: a sign-out meanwhile is ResumeAsync's to tell).
            if (await TakeCircuitPlaceOrSayWhyAsync() == CircuitPlace.AllTaken && Notice is { } refused)
            {
                if (Interlocked.Exchange(ref _suspended, null) is not null)
                {
                    WatchAccess(false);
                    await ReleaseIdentityAsync();
                }
                await _fanOut.DeliverLocalAsync(new Packet(AccessChangedEvent));
                return refused;
            }
        }
        return IsSuspended ? await ResumeAsync() : null;
    }

    /// <summary>
    /// Joins the chat in the main namespace; returns why not, or null. A guest chats under <paramref name="displayName"/>;
    /// a registered person always under their account's display name, whatever was typed.
    /// </summary>
    public async Task<string?> JoinAsync(string? displayName)
    {
        if (_socket is not null)
            return null;
        // A double submit must not claim the name twice and leave a second connection behind.
        if (Interlocked.Exchange(ref _joining, 1) == 1)
            return "Already joining…";
        try
        {
            return await JoinOnceAsync(displayName);
        }
        finally
        {
            Volatile.Write(ref _joining, 0);
        }
    }

    private async Task<string?> JoinOnceAsync(string? displayName)
    {
        // Who this is comes from the server's authentication state, never from anything the client sends.
        var state = await authentication.GetAuthenticationStateAsync();
        var user = state.User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(userId))
            return "Your browser session has no identity yet. Reload the page and try again.";
        var account = await accounts.FindAsync(user);
        if (!await access.IsStillSignedInAsync(user))
            return account is null && user.IsInRole(GuestIdentity.GuestRole) ? GuestsOffReason : SignedOutReason;
        string name;
        if (account is not null)
        {
            name = account.DisplayName;
            user = account.Principal; // its roles as they are now, for the namespaces' middleware
        }
        else
        {
            if (ChatRules.ValidateDisplayName(displayName, out name) is { } reason)
                return reason;
            if (await accounts.IsRegisteredNameAsync(name))
                return $"\"{name}\" is a registered account's name. Pick another name, or sign in to that account.";
        }
        if (!await TakeCircuitPlaceAsync())
            return Notice;
        if (await names.ClaimAsync(userId, name) is { } taken)
            return taken;

        _user = user;
        _userId = userId;
        DisplayName = name;
        var error = await ConnectAsync(ChatServer.MainNamespace);
        if (error is not null)
        {
            await names.ReleaseAsync(userId);
            _user = null;
            _userId = null;
            DisplayName = null;
            return error;
        }
        Notice = null;
        names.Remember(userId, name);
        WatchAccess(true);
        return null;
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
        if (await RecheckAccessAsync() is { } ended)
            return ended;
        var error = await MoveToAsync(@namespace);
        if (error is null)
            Notice = null;
        return error;
    }

    private async Task<string?> MoveToAsync(string @namespace)
    {
        if (_socket is not { } previous)
            return "Join the chat first.";
        // Connect with the person's roles as they are now: the namespace's middleware decides on those.
        if (_user is { } user && await accounts.FindAsync(user) is { } account)
            _user = account.Principal;
        var error = await ConnectAsync(@namespace);
        if (error is null)
            await previous.DisconnectAsync("client namespace disconnect");
        return error;
    }

    /// <summary>Sends an event to the current namespace; returns its acknowledgement, or the reason it was refused.</summary>
    /// <remarks>
    /// No await comes before the socket's own turn (<see cref="ChatSocket.SendAsync"/>), so this tab's requests reach
    /// the server in the order the person made them. The one exception is a join (or resume) under way: the new
    /// connection's own events (its welcome) reach the page before the namespace's connect returns it, and what the page
    /// asks because of them (the welcome's history) waits for that connection, in the order asked, instead of being
    /// refused with "Join the chat first.". Access is checked there, once per event, by the server's access
    /// guard; only when the guard ended the connection does the tab ask why, and leave the chat or /admin.
    /// </remarks>
    public async Task<(EventData? Reply, string? Error)> SendAsync(string eventName, ChatEvent data, CancellationToken cancellationToken = default)
    {
        var socket = _socket;
        if (socket is null && Volatile.Read(ref _connecting) is { } connecting)
            socket = await connecting.Task;
        if (socket is null)
            return (null, "Join the chat first.");
        try
        {
            return (await socket.SendAsync(eventName, data, cancellationToken), null);
        }
        catch (ChatRefusedException refused)
        {
            if (!socket.Connected && await RecheckAccessAsync() is { } ended)
                return (null, ended);
            return (null, refused.Message);
        }
        catch (System.Data.Common.DbException ex)
        {
            // The database is unreachable (PostgreSQL stopped, restarting, the network to it gone): an answer at once, never
            // a wait, and one that says what to do. Whether a write got in before the failure may be unknown: a retry of
            // the same message (same id) is stored once either way, so the page keeps the id for the retry.
            logger.LogWarning(ex, "{Event} failed for tab {TabId}: the database is unreachable", eventName, TabId);
            return (null, DatabaseUnreachable);
        }
        catch (ObjectDisposedException ex) when (lifetime?.ApplicationStopping.IsCancellationRequested == true)
        {
            // The server is stopping and has closed its store while this tab's circuit still runs (a read mark's timer, a
            // send in flight): expected at every restart, so not an error with its stack, and the person hears why.
            logger.LogInformation("{Event} not done for tab {TabId}: the server is shutting down ({Closed} is closed)", eventName, TabId, ex.ObjectName);
            return (null, ShuttingDown);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failure on the server (a full disk, say) is this request's, not the circuit's: say so, keep going.
            logger.LogError(ex, "{Event} failed for tab {TabId}", eventName, TabId);
            return (null, "Something went wrong on the server, and this was not done. Try again in a moment.");
        }
    }

    /// <summary>What a request answers once the server has begun to shut down and closed its store.</summary>
    public const string ShuttingDown = "Not done: the server is restarting. Try again in a moment.";

    /// <summary>What a request answers while the database is unreachable: the message was not sent, and Send retries it.</summary>
    public const string DatabaseUnreachable = "Not sent: the chat cannot reach its database right now. Press Send to retry; it is never sent twice.";

    /// <inheritdoc cref="SessionFanOut.Subscribe"/>
    public IDisposable Subscribe(ClientHandler handler) => _fanOut.Subscribe(handler);

    /// <summary>
    /// The tab's transport has been gone too long: its connection leaves the namespace (socket.io's "transport
    /// close"), so others see the person go offline if it was their last tab, and nobody waits for its acks.
    /// Who this is, the display name and the namespace it was in are kept for <see cref="ResumeAsync"/>.
    /// </summary>
    public async Task SuspendAsync()
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        if (socket is null)
            return;
        _suspended = socket.Namespace.Name;
        _fanOut.EndLinks();
        await socket.DisconnectAsync("transport close");
    }

    /// <summary>
    /// The transport is back: connects again to the namespace the tab was in (the welcome then tells the page to
    /// start afresh and catch up), whose rooms come back with it. Returns why not, or null; when the namespace no longer
    /// admits this person, the tab goes to the main namespace instead.
    /// </summary>
    public async Task<string?> ResumeAsync()
    {
        if (Interlocked.Exchange(ref _suspended, null) is not { } suspended || _socket is not null)
            return null;
        if (_user is { } user && !await access.IsStillSignedInAsync(user))
        {
            // Signed out (or guests switched off) while away: the tab comes back signed out, not into the chat.
            Notice = user.IsInRole(GuestIdentity.GuestRole) ? GuestsOffReason : SignedOutReason;
            WatchAccess(false);
            await ReleaseIdentityAsync();
            return Notice;
        }
        var error = await ConnectAsync(suspended);
        // Its rooms come back with the connection: the namespace joins a person's remembered rooms on connect.
        if (error is not null && suspended != ChatServer.MainNamespace)
            error = await ConnectAsync(ChatServer.MainNamespace) ?? error;
        if (_socket is null)
        {
            WatchAccess(false);
            await ReleaseIdentityAsync();
        }
        return error;
    }

    /// <summary>Leaves the chat: the connection leaves its namespace and rooms, and the display name is freed.</summary>
    public async Task LeaveAsync(string reason)
    {
        var socket = Interlocked.Exchange(ref _socket, null);
        if (socket is null)
        {
            if (Interlocked.Exchange(ref _suspended, null) is not null)
            {
                WatchAccess(false);
                await ReleaseIdentityAsync();
            }
            return;
        }
        WatchAccess(false);
        _fanOut.EndLinks(); // nothing of the connection being left reaches subscribers now
        await socket.DisconnectAsync(reason);
        await ReleaseIdentityAsync();
    }

    private async Task ReleaseIdentityAsync()
    {
        DisplayName = null;
        if (_userId is not null)
            await names.ReleaseAsync(_userId);
    }

    public async ValueTask DisposeAsync()
    {
        WatchAccess(false);
        await LeaveAsync("circuit disposed");
        await ReleaseCircuitPlaceAsync();
    }

    // Asks whether this person may still do what they are doing: signed in, and an admin while in /admin. When not,
    // the tab leaves (the chat, or /admin) and the reason comes back, and stays in Notice for the page to show.
    private async Task<string?> RecheckAccessAsync()
    {
        if (_user is not { } user)
            return null;
        if (!await access.IsStillSignedInAsync(user))
        {
            Notice = user.IsInRole(GuestIdentity.GuestRole) ? GuestsOffReason : SignedOutReason;
            await LeaveAsync("access ended");
            return Notice;
        }
        if (Namespace == ChatHandlers.AdminNamespace && !await access.IsInRoleAsync(user, ChatHandlers.AdminRole))
        {
            Notice = AdminRevokedReason;
            if (await MoveToAsync(ChatServer.MainNamespace) is not null)
                await LeaveAsync("admin role revoked");
            return Notice;
        }
        return null;
    }

    private void WatchAccess(bool watch)
    {
        lock (_gate)
        {
            if (watch)
            {
                _accessChanges ??= access.SubscribeAccessChanged(OnAccessChanged);
                return;
            }
            _accessChanges?.Dispose();
            _accessChanges = null;
        }
    }

    // Raised on the thread that changed the account (a sign-out request, an admin's click): recheck in the background.
    private void OnAccessChanged(string userId)
    {
        if (userId == _userId)
            _ = RecheckAfterChangeAsync();
    }

    private async Task RecheckAfterChangeAsync()
    {
        try
        {
            if (await RecheckAccessAsync() is null)
                return;
            await _fanOut.DeliverLocalAsync(new Packet(AccessChangedEvent));
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Rechecking access failed for tab {TabId}", TabId);
        }
    }

    private async Task<string?> ConnectAsync(string @namespace)
    {
        var request = new ConnectRequest(NewConnectionId(), _user!, _userId!, DisplayName!) { Origin = Origin };
        var link = _fanOut.NewLink();
        // Joining or resuming: requests made meanwhile wait for this connection (see SendAsync). A switch keeps the
        // connection it has until the new one is in.
        TaskCompletionSource<ChatSocket?>? connecting = null;
        if (_socket is null)
            Volatile.Write(ref _connecting, connecting = new TaskCompletionSource<ChatSocket?>(TaskCreationOptions.RunContinuationsAsynchronously));
        ChatSocket? connected = null;
        try
        {
            var socket = await server.ConnectAsync(@namespace, request, (packet, ack) => _fanOut.DeliverAsync(link, packet, ack));
            socket.IsClientWritable = () => IsClientWritable();
            _socket = socket;
            _fanOut.MakeCurrent(link);
            connected = socket;
            return null;
        }
        catch (ConnectRefusedException refused)
        {
            return refused.Message;
        }
        finally
        {
            if (connecting is not null)
            {
                Interlocked.CompareExchange(ref _connecting, null, connecting);
                connecting.TrySetResult(connected);
            }
        }
    }

    // Contains '.', which no room name may: nobody can create a room that is someone's private id room.
    private static string NewConnectionId() =>
        "c." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
}
