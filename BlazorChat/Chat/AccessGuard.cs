using System.Collections.Concurrent;
using BlazorChat.Accounts;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Chat;

/// <summary>
/// Who may be in a namespace, asked of <see cref="IAccessChecker"/> at every step, never of the claims a circuit
/// was opened with: when a connection asks to enter, before every event it sends (socket.io's per-packet
/// <c>socket.use</c>), and whenever the checker says a person's access changed. A connection that no longer
/// qualifies is refused with a reason and disconnected from that namespace at once, so it stops receiving too.
/// <para>
/// In a cluster, a change made on one node (a sign-out, a role revoked) reaches every node: the guard tells the others
/// with a server-side emit (<see cref="AccessChangedEvent"/>), and each raises it on its own checker, so its guard
/// disconnects the person's connections there and their circuits learn it at once, as on the node where it was made.
/// </para>
/// </summary>
public sealed partial class AccessGuard(ChatServer server, IAccessChecker checker, ILogger<AccessGuard> logger) : IDisposable
{
    /// <summary>The disconnect reason of a connection whose access ended.</summary>
    public const string RevokedReason = "access revoked";

    // Namespace name -> the role it requires. Only static namespaces have one (today: "/admin").
    private readonly ConcurrentDictionary<string, RoleRequirement> _roles = new(StringComparer.Ordinal);
    /// <summary>The server-side event that carries an access change to the other nodes.</summary>
    public const string AccessChangedEvent = "access:changed";

    private int _started;
    private IDisposable? _accessChanges;

    // Set while raising a change another node sent: it must not be sent back out.
    [ThreadStatic]
    private static bool t_relaying;

    /// <summary>Every connection must still be signed in: when it enters and at each event.</summary>
    public void RequireSignIn(INamespaceHandlers handlers)
    {
        handlers.Use(async (context, next) =>
        {
            if (!await checker.IsStillSignedInAsync(context.Request.User))
                await context.Refuse("You are signed out. Sign in again to chat.");
            await next();
        });
        handlers.UseEvents(async (context, next) =>
        {
            if (!await checker.IsStillSignedInAsync(context.Socket.User))
                await RefuseAsync(context.Socket, SignedOut(context.Socket.Namespace));
            await next();
        });
    }

    /// <summary>
    /// Only holders of <paramref name="role"/> may enter <paramref name="namespace"/> or do anything in it; the
    /// refusal says <paramref name="who"/> (for example "administrators").
    /// </summary>
    public void RequireRole(ChatNamespace @namespace, string role, string who)
    {
        _roles[@namespace.Name] = new RoleRequirement(role, who);
        @namespace.Use(async (context, next) =>
        {
            if (!await checker.IsInRoleAsync(context.Request.User, role))
                await context.Refuse($"Only {who} may enter {@namespace.Name}. Sign in with an account that has the {role} role to use it.");
            await next();
        });
        @namespace.UseEvents(async (context, next) =>
        {
            if (!await checker.IsInRoleAsync(context.Socket.User, role))
                await RefuseAsync(context.Socket, RoleRevoked(@namespace, role, who));
            await next();
        });
    }

    /// <summary>Starts listening to <see cref="IAccessChecker.AccessChanged"/>. Called once at start-up.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            return;
        _accessChanges = checker.SubscribeAccessChanged(OnAccessChanged);
        server.Main.OnServerSideEmit(packet =>
        {
            if (packet is { Event: AccessChangedEvent, Data: AccessChangedNotice notice })
            {
                t_relaying = true;
                try
                {
                    checker.RaiseAccessChanged(notice.UserId);
                }
                finally
                {
                    t_relaying = false;
                }
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Re-checks every connection of <paramref name="userId"/> in every namespace, and disconnects those no longer
    /// admitted (signed out, or without the role their namespace requires).
    /// </summary>
    public async Task RecheckUserAsync(string userId)
    {
        foreach (var ns in server.Namespaces)
        {
            var required = _roles.GetValueOrDefault(ns.Name);
            foreach (var socket in ns.Connections.Where(s => s.UserId == userId))
            {
                var refusal = !await checker.IsStillSignedInAsync(socket.User) ? SignedOut(ns)
                    : required is { } need && !await checker.IsInRoleAsync(socket.User, need.Role) ? RoleRevoked(ns, need.Role, need.Who)
                    : null;
                if (refusal is not null)
                {
                    LogRevoked(ns.Name, socket.Id, userId);
                    await socket.DisconnectAsync(RevokedReason, refusal);
                }
            }
        }
    }

    public void Dispose() => _accessChanges?.Dispose();

    private void OnAccessChanged(string userId)
    {
        if (!t_relaying)
            _ = TellOtherNodesAsync(userId);
        _ = RecheckInBackgroundAsync(userId);
    }

    private async Task TellOtherNodesAsync(string userId)
    {
        try
        {
            await server.Main.ServerSideEmitAsync(AccessChangedEvent, new AccessChangedNotice(userId));
        }
        catch (Exception ex)
        {
            // The other nodes still re-check at the person's next action there.
            LogRelayFailed(ex, userId);
        }
    }

    private async Task RecheckInBackgroundAsync(string userId)
    {
        try
        {
            await RecheckUserAsync(userId);
        }
        catch (Exception ex)
        {
            LogRecheckFailed(ex, userId);
        }
    }

    private async Task RefuseAsync(ChatSocket socket, string reason)
    {
        LogRevoked(socket.Namespace.Name, socket.Id, socket.UserId);
        await socket.DisconnectAsync(RevokedReason, reason);
        throw new ChatRefusedException(reason);
    }

    private static string SignedOut(ChatNamespace ns) => $"You are signed out, so you have left {ns.Name}. Sign in again to chat.";

    private static string RoleRevoked(ChatNamespace ns, string role, string who) =>
        $"Only {who} may use {ns.Name}, and your account no longer has the {role} role, so you have left {ns.Name}. Switch to \"/\" to keep chatting.";

    private sealed record RoleRequirement(string Role, string Who);

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "{Namespace}: {ConnectionId} of {UserId} is no longer admitted and was disconnected")]
    private partial void LogRevoked(string @namespace, string connectionId, string userId);

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "Re-checking the access of {UserId} failed")]
    private partial void LogRecheckFailed(Exception exception, string userId);

    [LoggerMessage(EventId = 52, Level = LogLevel.Warning, Message = "Telling the other nodes that the access of {UserId} changed failed")]
    private partial void LogRelayFailed(Exception exception, string userId);
}

/// <summary>Carries an access change to the other nodes of a cluster: whose sign-in or roles changed.</summary>
public sealed record AccessChangedNotice(string UserId) : EventData;
