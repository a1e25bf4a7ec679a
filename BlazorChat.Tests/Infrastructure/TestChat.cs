using System.Security.Claims;
using System.Security.Cryptography;
using BlazorChat.Accounts;
using BlazorChat.Moderation;
using BlazorChat.Persistence;
using BlazorChat.Persistence.Sqlite;
using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Persistence;
using BlazorChat.Realtime.Server;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// The chat as the app wires it: a real <see cref="ChatServer"/> on the in-memory adapter with
/// <see cref="ChatHandlers"/> configured, a shared <see cref="DisplayNames"/>, and raw connections
/// (<see cref="TestTab"/>) that behave like browser tabs. Dispose to disconnect everything it made.
/// </summary>
public sealed class TestChat : IAsyncDisposable
{
    /// <summary>Long enough never to expire in a passing test; tests about expiry pass a short one.</summary>
    public static readonly TimeSpan DefaultAckTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<TestTab> _tabs = [];
    private readonly List<ChatSession> _sessions = [];
    private readonly TempDatabaseFolder? _database;

    /// <param name="databasePath">A store file to use (to test a restart); a fresh temporary one when null.</param>
    /// <param name="access">The access checker the server asks; claims-based (never changes its mind) when null.</param>
    /// <param name="adapters">The adapter factory: one node in process when null; a cluster's for a node of several.</param>
    /// <param name="stores">Stores shared with other nodes (a cluster's, on PostgreSQL); a SQLite file of its own when null.</param>
    /// <param name="presenceWindow">How long presence changes gather before they are told (<see cref="ChatOptions.PresenceWindow"/>); none when null.</param>
    /// <param name="rateLimits">Per-person flood control; off when null (tests whose subject it is not send many messages fast).</param>
    /// <param name="rateLimitObserver">Told of every refusal of the rate limiter, when given.</param>
    /// <param name="metrics">The instruments the server, handlers and store record to; nothing is measured when null.</param>
    /// <param name="auditLog">The audit log of moderation with <paramref name="stores"/>; the SQLite file's when those are null.</param>
    /// <param name="mutes">The mutes with <paramref name="stores"/>; the SQLite file's when those are null.</param>
    /// <param name="time">The clock moderation reads (mutes end by it); the system's when null.</param>
    public TestChat(TimeSpan? ackTimeout = null, IEnumerable<string>? allowedTenants = null, string? databasePath = null,
        IAccessChecker? access = null, IChatAdapterFactory? adapters = null, (IMessageStore Messages, IRoomStore Rooms)? stores = null,
        TimeSpan? presenceWindow = null, RateLimitOptions? rateLimits = null, IRateLimitObserver? rateLimitObserver = null,
        BlazorChat.Monitoring.ChatMetrics? metrics = null, IAuditLog? auditLog = null, IMuteStore? mutes = null, TimeProvider? time = null)
    {
        // Each arrival and departure told on its own, at once, as the tests about who is told what expect; the tests of
        // PresenceDigest set a window.
        Options = new ChatOptions { AckTimeout = ackTimeout ?? DefaultAckTimeout, PresenceWindow = presenceWindow ?? TimeSpan.Zero };
        Options.AllowedTenants.AddRange(allowedTenants ?? []);
        Options.RateLimits = rateLimits ?? new RateLimitOptions { Enabled = false };
        Server = new ChatServer(adapters ?? new InMemoryAdapterFactory(), NullLoggerFactory.Instance, metrics);
        if (stores is null)
        {
            _database = databasePath is null ? new TempDatabaseFolder() : null;
            _sqlite = new SqliteMessageStore(databasePath ?? _database!.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance, metrics);
            _sqliteRooms = new SqliteRoomStore(_sqlite);
            AuditLog = new SqliteAuditLog(_sqlite);
            Mutes = new SqliteMuteStore(_sqlite);
        }
        var (messages, rooms) = stores ?? (_sqlite!, _sqliteRooms!);
        Access = access ?? new ClaimsAccessChecker();
        Guard = new AccessGuard(Server, Access, NullLogger<AccessGuard>.Instance);
        Limiter = new ChatRateLimiter(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<ChatRateLimiter>.Instance,
            rateLimitObserver is null ? null : [rateLimitObserver]);
        // Moderation needs an audit log: the SQLite file's, or the one given with the stores.
        AuditLog ??= auditLog;
        Mutes ??= mutes;
        Publisher = new SequencedPublisher(TimeProvider.System);
        Moderation = AuditLog is null || Mutes is null ? null
            : new ModerationService(Server, messages, Publisher, rooms, AuditLog, Mutes, Access, time ?? TimeProvider.System,
                NullLogger<ModerationService>.Instance, Events);
        Handlers = new ChatHandlers(Server, messages, rooms, new PrivateRooms(rooms, TimeProvider.System, Limiter),
            Publisher, Guard,
            Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, HandlerLog, Accounts, Limiter, metrics, Moderation);
        Handlers.Configure();
    }

    private readonly SqliteMessageStore? _sqlite;
    private readonly SqliteRoomStore? _sqliteRooms;

    /// <summary>The real SQLite store behind the chat.</summary>
    public SqliteMessageStore Store => _sqlite ?? throw new InvalidOperationException("This chat runs on the stores it was given.");

    public ChatOptions Options { get; }

    /// <summary>Where moderation actions are recorded; null when the chat runs on given stores without one.</summary>
    public IAuditLog? AuditLog { get; }

    /// <summary>Who is muted; null when the chat runs on given stores without them.</summary>
    public IMuteStore? Mutes { get; }

    /// <summary>The moderation actions, as the handlers and the dashboard call them; null without an audit log.</summary>
    public ModerationService? Moderation { get; }

    /// <summary>What puts the handlers' and moderation's messages in order (one per process, as in the app).</summary>
    public SequencedPublisher Publisher { get; }

    /// <summary>This node's live event log, where moderation records admin actions.</summary>
    public BlazorChat.Monitoring.ChatEventRing Events { get; } = new();

    /// <summary>The handlers' flood control (<see cref="ChatOptions.RateLimits"/>).</summary>
    public ChatRateLimiter Limiter { get; }

    /// <summary>Room memberships and private rooms, in the same SQLite file.</summary>
    public SqliteRoomStore Rooms => _sqliteRooms ?? throw new InvalidOperationException("This chat runs on the stores it was given.");

    /// <summary>The server's access checks (connect and event middleware, re-checks on AccessChanged).</summary>
    public AccessGuard Guard { get; }

    /// <summary>What the server and the sessions ask before each operation (one checker, as in the app).</summary>
    public IAccessChecker Access { get; }

    public ChatServer Server { get; }

    public ChatHandlers Handlers { get; }

    /// <summary>The handlers' warnings, such as a message delivery that failed in the background.</summary>
    public RecordingLogger<ChatHandlers> HandlerLog { get; } = new();

    public DisplayNames Names { get; } = new();

    /// <summary>The registered accounts sessions see; none by default.</summary>
    public IAccountDirectory Accounts { get; set; } = new FakeAccountDirectory();

    /// <summary>Tabs per person, at the app's default cap.</summary>
    public InMemoryCircuitPlaces Circuits { get; set; } = new(new FixedOptionsMonitor<AccountOptions>(new AccountOptions()));

    /// <summary>The names of the namespaces that exist now.</summary>
    public IReadOnlyList<string> NamespaceNames => [.. Server.Namespaces.Select(n => n.Name).Order(StringComparer.Ordinal)];

    /// <summary>An authenticated principal as the server would see it: a NameIdentifier and the given roles.</summary>
    public static ClaimsPrincipal Principal(string userId, params string[] roles) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    /// <summary>Connects a tab of <paramref name="userId"/> to <paramref name="namespace"/> through its middleware.</summary>
    /// <exception cref="ConnectRefusedException">The namespace refused it.</exception>
    public async Task<TestTab> ConnectAsync(string userId, string displayName, string @namespace = ChatServer.MainNamespace, ClaimsPrincipal? user = null)
    {
        var events = new EventRecorder();
        var request = new ConnectRequest(NewConnectionId(), user ?? Principal(userId), userId, displayName);
        var socket = await Server.ConnectAsync(@namespace, request, events.DeliverAsync);
        var tab = new TestTab(socket, events);
        lock (_gate)
            _tabs.Add(tab);
        return tab;
    }

    /// <summary>A circuit's session on this server for a user the server authenticated.</summary>
    public ChatSession NewSession(string userId) => NewSession(FixedAuthenticationStateProvider.ForUser(userId));

    /// <param name="authentication">Who the server authenticated.</param>
    /// <param name="logger">Where the session logs; nowhere when null.</param>
    /// <param name="lifetime">The host's lifetime (whether the server is stopping); none when null.</param>
    public ChatSession NewSession(AuthenticationStateProvider authentication, ILogger<ChatSession>? logger = null,
        IHostApplicationLifetime? lifetime = null)
    {
        var session = new ChatSession(Server, Names, authentication, Access, Accounts, Circuits, logger ?? NullLogger<ChatSession>.Instance, lifetime);
        lock (_gate)
            _sessions.Add(session);
        return session;
    }

    /// <summary>Waits until every tab has received everything that was sent to it before this call.</summary>
    public static Task BarrierAsync(params TestTab[] tabs) => Task.WhenAll(tabs.Select(t => t.BarrierAsync()));

    public async ValueTask DisposeAsync()
    {
        TestTab[] tabs;
        ChatSession[] sessions;
        lock (_gate)
        {
            tabs = [.. _tabs];
            sessions = [.. _sessions];
        }
        foreach (var session in sessions)
            await session.DisposeAsync();
        foreach (var tab in tabs)
            await tab.Socket.DisconnectAsync("test over");
        Guard.Dispose();
        Limiter.Dispose();
        if (_sqlite is not null)
            await _sqlite.DisposeAsync();
        _database?.Dispose();
    }

    // Like ChatSession's: contains '.', which no room name may.
    private static string NewConnectionId() => "c." + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
}

/// <summary>One raw connection acting as a browser tab: what it receives, and what it sends to its namespace.</summary>
public sealed class TestTab(ChatSocket socket, EventRecorder events)
{
    public ChatSocket Socket { get; } = socket;

    public EventRecorder Events { get; } = events;

    public string Id => Socket.Id;

    public string UserId => Socket.UserId;

    public Person Person => new(Socket.UserId, Socket.DisplayName);

    /// <summary>What the client sends; returns the handler's acknowledgement.</summary>
    /// <exception cref="ChatRefusedException">The handler refused.</exception>
    public Task<EventData?> SendAsync(string eventName, ChatEvent data) => Socket.SendAsync(eventName, data);

    public async Task<MessageAccepted> SendMessageAsync(string room, string text, Guid? id = null) =>
        Assert.IsType<MessageAccepted>(await SendAsync(ChatEvents.SendMessage, new SendMessageRequest(id ?? Guid.NewGuid(), room, text)));

    public Task<MessageAccepted> SendDirectAsync(TestTab to, string text, Guid? id = null) => SendDirectAsync(to.UserId, text, id);

    /// <summary>A private message to a person by id, whether or not they are connected.</summary>
    public async Task<MessageAccepted> SendDirectAsync(string toUserId, string text, Guid? id = null) =>
        Assert.IsType<MessageAccepted>(await SendAsync(ChatEvents.SendDirect, new SendDirectRequest(id ?? Guid.NewGuid(), toUserId, text)));

    public async Task<RoomMembership> JoinRoomAsync(string room) =>
        Assert.IsType<RoomMembership>(await SendAsync(ChatEvents.JoinRoom, new JoinRoomRequest(room)));

    public async Task<RoomMembership> LeaveRoomAsync(string room) =>
        Assert.IsType<RoomMembership>(await SendAsync(ChatEvents.LeaveRoom, new LeaveRoomRequest(room)));

    /// <summary>
    /// Sends a barrier to this connection alone and waits for it. Each connection receives in the order things were
    /// sent to it, so everything sent to it earlier has arrived by then: "did not receive X" can be checked after it.
    /// </summary>
    public async Task BarrierAsync()
    {
        var barrier = new TestBarrier(Guid.NewGuid());
        await Socket.EmitAsync("test:barrier", barrier);
        await Events.WaitForEventAsync(e => e == barrier, $"the barrier to {Socket.DisplayName}");
    }

    public Task DisconnectAsync() => Socket.DisconnectAsync("tab closed");

    /// <summary>Installs a <see cref="VolatileProbe"/> as this connection's IsClientWritable.</summary>
    public VolatileProbe ProbeVolatile(bool writable = true)
    {
        var probe = new VolatileProbe(writable);
        Socket.IsClientWritable = probe.IsWritable;
        return probe;
    }
}

/// <summary>
/// Sees volatile events being offered to a connection. The server asks a connection's IsClientWritable only when it
/// offers it a volatile event and the connection is idle; when the answer is true the event is queued, and with
/// nothing queued behind it, it arrives. (A volatile event is dropped when anything is queued after it before it is
/// delivered, so a test must not send a barrier to a connection that has one on its way.)
/// </summary>
public sealed class VolatileProbe(bool writable)
{
    private int _offered;

    /// <summary>How many volatile events were offered to the connection.</summary>
    public int Offered => Volatile.Read(ref _offered);

    public bool IsWritable()
    {
        Interlocked.Increment(ref _offered);
        return writable;
    }
}
