using System.Collections.Immutable;
using System.Threading.Channels;
using BlazorChat.Chat;

namespace BlazorChat.Realtime;

/// <summary>
/// The in-process room registry: which connections are in which rooms, who is online, and broadcast.
/// Modelled on socket.io's in-memory adapter: two maps kept in step (room -> connections and
/// connection -> rooms), changed only through a few verbs; empty rooms disappear.
/// </summary>
/// <remarks>
/// Delivery: each connection has its own unbounded outbox drained by its own pump. A broadcast only
/// enqueues (never runs subscriber code), and it does so under the registry lock, so every recipient
/// sees broadcasts in the same order, and a slow or throwing subscriber delays or breaks only itself.
/// </remarks>
public sealed partial class ChatRegistry(ILogger<ChatRegistry> logger, TimeProvider time)
{
    /// <summary>The one room of the foundation; namespaces and more rooms come on top of the same maps.</summary>
    public const string GeneralRoom = "general";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Presence> _people = new(StringComparer.Ordinal);

    /// <summary>The people online now (one entry per person, however many tabs), ordered by name.</summary>
    public IReadOnlyList<Person> Online
    {
        get
        {
            lock (_gate)
                return SnapshotOnline();
        }
    }

    public int ConnectionCount
    {
        get
        {
            lock (_gate)
                return _connections.Count;
        }
    }

    /// <summary>The rooms a connection is in (including its own-id room); empty when unknown.</summary>
    public IReadOnlyCollection<string> RoomsOf(string connectionId)
    {
        lock (_gate)
            return _connections.TryGetValue(connectionId, out var c) ? [.. c.Rooms] : [];
    }

    /// <summary>Members of a room (connection ids); empty when the room does not exist.</summary>
    public IReadOnlyCollection<string> MembersOf(string room)
    {
        lock (_gate)
            return _rooms.TryGetValue(room, out var members) ? [.. members] : [];
    }

    /// <summary>
    /// Connects a tab: it joins its own-id room and <see cref="GeneralRoom"/>, and when it is the person's
    /// first tab, everyone else is told they joined. Events for this connection go to <paramref name="deliver"/>,
    /// one at a time, in broadcast order, starting with a <see cref="Welcome"/>, until the returned connection is disposed.
    /// </summary>
    /// <exception cref="ChatRefusedException">The name is used by someone else online, or the person is online under another name.</exception>
    public ChatConnection Connect(string connectionId, Person person, Func<ChatEvent, Task> deliver)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(deliver);

        Connection connection;
        bool firstTab;
        lock (_gate)
        {
            if (_connections.ContainsKey(connectionId))
                throw new InvalidOperationException($"Connection '{connectionId}' is already connected.");
            if (_people.TryGetValue(person.UserId, out var existing))
            {
                if (!string.Equals(existing.Person.DisplayName, person.DisplayName, StringComparison.Ordinal))
                    throw new ChatRefusedException(
                        $"You are already chatting as \"{existing.Person.DisplayName}\" in another tab; use that name here too.");
            }
            else if (_people.Values.Any(p => string.Equals(p.Person.DisplayName, person.DisplayName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ChatRefusedException($"Someone online is already called \"{person.DisplayName}\". Pick another name.");
            }

            connection = new Connection(connectionId, person);
            _connections.Add(connectionId, connection);
            AddToRoom(connection, connectionId);
            AddToRoom(connection, GeneralRoom);

            firstTab = !_people.TryGetValue(person.UserId, out var presence);
            if (firstTab)
                _people.Add(person.UserId, presence = new Presence(person));
            presence!.Tabs++;

            if (firstTab)
                Enqueue(new PersonJoined(GeneralRoom, person, time.GetUtcNow()), BroadcastTarget.ToRooms(GeneralRoom).Excluding(connectionId));
            connection.Post(new Welcome(connectionId, person, SnapshotOnline()));
        }

        connection.Start(deliver, this);
        LogConnected(connectionId, person.DisplayName, firstTab);
        return new ChatConnection(this, connectionId, person);
    }

    /// <summary>Delivers <paramref name="evt"/> once to every connection the target selects.</summary>
    public void Broadcast(ChatEvent evt, BroadcastTarget target)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
            Enqueue(evt, target);
    }

    /// <summary>Posts a message from a connected tab to a room it is in (the sender receives it too).</summary>
    /// <exception cref="ChatRefusedException">The text breaks <see cref="ChatRules"/>, or the sender is not in the room.</exception>
    public ChatMessage Send(string connectionId, string room, string text)
    {
        if (ChatRules.ValidateMessage(text, out var normalized) is { } reason)
            throw new ChatRefusedException(reason);
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out var sender))
                throw new ChatRefusedException("You are not connected to the chat any more; reload the page to rejoin.");
            if (!sender.Rooms.Contains(room))
                throw new ChatRefusedException($"You are not in the room \"{room}\".");
            var message = new ChatMessage(Guid.NewGuid(), room, connectionId, sender.Person, normalized, time.GetUtcNow());
            Enqueue(new MessagePosted(message), BroadcastTarget.ToRooms(room));
            return message;
        }
    }

    /// <summary>
    /// Removes a connection from all its rooms and stops its deliveries; when it was the person's last tab,
    /// everyone else is told they left. Unknown ids are ignored, so disconnecting twice is harmless.
    /// </summary>
    public void Disconnect(string connectionId, string reason)
    {
        Connection? connection;
        var lastTab = false;
        lock (_gate)
        {
            if (!_connections.Remove(connectionId, out connection))
                return;
            foreach (var room in connection.Rooms)
            {
                if (_rooms.TryGetValue(room, out var members) && members.Remove(connectionId) && members.Count == 0)
                    _rooms.Remove(room);
            }
            connection.Rooms.Clear();

            var presence = _people[connection.Person.UserId];
            if (--presence.Tabs == 0)
            {
                lastTab = true;
                _people.Remove(connection.Person.UserId);
                Enqueue(new PersonLeft(GeneralRoom, connection.Person, time.GetUtcNow()), BroadcastTarget.ToRooms(GeneralRoom));
            }
        }

        connection.Stop();
        LogDisconnected(connectionId, connection.Person.DisplayName, reason, lastTab);
    }

    private void AddToRoom(Connection connection, string room)
    {
        if (!_rooms.TryGetValue(room, out var members))
            _rooms.Add(room, members = new HashSet<string>(StringComparer.Ordinal));
        members.Add(connection.Id);
        connection.Rooms.Add(room);
    }

    // Caller holds _gate: resolving and enqueueing under one lock is what gives every recipient the same order.
    private void Enqueue(ChatEvent evt, BroadcastTarget target)
    {
        if (target.Rooms.IsDefaultOrEmpty)
        {
            foreach (var connection in _connections.Values)
            {
                if (!IsExcluded(connection, target.Except))
                    connection.Post(evt);
            }
            return;
        }

        // Several rooms deliver once per connection.
        HashSet<string>? seen = target.Rooms.Length > 1 ? new(StringComparer.Ordinal) : null;
        foreach (var room in target.Rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
                continue;
            foreach (var id in members)
            {
                if (seen is not null && !seen.Add(id))
                    continue;
                var connection = _connections[id];
                if (!IsExcluded(connection, target.Except))
                    connection.Post(evt);
            }
        }
    }

    private static bool IsExcluded(Connection connection, ImmutableArray<string> except)
    {
        if (except.IsDefaultOrEmpty)
            return false;
        foreach (var room in except)
        {
            if (connection.Rooms.Contains(room))
                return true;
        }
        return false;
    }

    private List<Person> SnapshotOnline() =>
        [.. _people.Values.Select(p => p.Person).OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)];

    private sealed class Presence(Person person)
    {
        public Person Person { get; } = person;
        public int Tabs { get; set; }
    }

    private sealed class Connection(string id, Person person)
    {
        private readonly Channel<ChatEvent> _outbox = Channel.CreateUnbounded<ChatEvent>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop = new();

        public string Id { get; } = id;
        public Person Person { get; } = person;
        public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

        public void Post(ChatEvent evt) => _outbox.Writer.TryWrite(evt);

        public void Start(Func<ChatEvent, Task> deliver, ChatRegistry owner) => _ = PumpAsync(deliver, owner);

        public void Stop()
        {
            _outbox.Writer.TryComplete();
            _stop.Cancel();
            _stop.Dispose();
        }

        private async Task PumpAsync(Func<ChatEvent, Task> deliver, ChatRegistry owner)
        {
            var token = _stop.Token;
            try
            {
                await foreach (var evt in _outbox.Reader.ReadAllAsync(token).ConfigureAwait(false))
                {
                    try
                    {
                        await deliver(evt).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!token.IsCancellationRequested)
                    {
                        // One broken subscriber must not stop its own later events, let alone anyone else's.
                        owner.LogDeliveryFailed(ex, Id, evt.GetType().Name);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Disconnected: queued events are dropped on purpose; a disposed subscription receives nothing.
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Connection {ConnectionId} joined as {DisplayName} (first tab: {FirstTab})")]
    private partial void LogConnected(string connectionId, string displayName, bool firstTab);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Connection {ConnectionId} ({DisplayName}) left: {Reason} (last tab: {LastTab})")]
    private partial void LogDisconnected(string connectionId, string displayName, string reason, bool lastTab);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Delivering {EventType} to connection {ConnectionId} failed")]
    private partial void LogDeliveryFailed(Exception exception, string connectionId, string eventType);
}
