using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>Where one of your own messages is: on its way, taken by the server, acknowledged by everyone, or not.</summary>
public enum DeliveryState
{
    Sending,
    Sent,
    Delivered,
    NotDelivered,
}

/// <summary>One of your own messages and how its delivery went; enough to retry it with the same id.</summary>
public sealed record OutgoingMessage(Guid Id, string Conversation, string Text, DeliveryState State, int Recipients = 0, int Acknowledged = 0);

/// <summary>A room or a direct conversation, with the lines this tab keeps of it and how many are unread.</summary>
public sealed class Conversation(string key, string title, Person? with)
{
    private readonly List<ChatEvent> _lines = [];
    private readonly HashSet<Guid> _messageIds = [];

    public string Key { get; } = key;

    public string Title { get; } = title;

    /// <summary>The other person of a direct conversation; null for a room.</summary>
    public Person? With { get; } = with;

    public bool IsDirect => With is not null;

    public IReadOnlyList<ChatEvent> Lines => _lines;

    public int Unread { get; internal set; }

    /// <summary>Adds a line; a message already shown (a retry) is not shown twice. Returns whether it was added.</summary>
    internal bool Add(ChatEvent line, int maxLines)
    {
        var id = line switch
        {
            MessagePosted m => m.Message.Id,
            DirectPosted d => d.Message.Id,
            _ => (Guid?)null,
        };
        if (id is { } messageId && !_messageIds.Add(messageId))
            return false;
        _lines.Add(line);
        if (_lines.Count > maxLines)
        {
            foreach (var dropped in _lines.Take(_lines.Count - maxLines))
            {
                if (dropped is MessagePosted m)
                    _messageIds.Remove(m.Message.Id);
                else if (dropped is DirectPosted d)
                    _messageIds.Remove(d.Message.Id);
            }
            _lines.RemoveRange(0, _lines.Count - maxLines);
        }
        return true;
    }
}

/// <summary>
/// What one tab shows of one namespace: people online, rooms, conversations with unread counts, who is
/// typing, and the delivery state of its own messages. Plain state, changed only by <see cref="Apply"/> and
/// the few local actions, so the page stays small and this is testable without a browser.
/// </summary>
public sealed class ChatView
{
    /// <summary>How many lines a tab keeps per conversation; older ones are dropped from view.</summary>
    public const int MaxLinesPerConversation = 500;

    /// <summary>How long a typing indicator lasts without being refreshed.</summary>
    public static readonly TimeSpan TypingLifetime = TimeSpan.FromSeconds(6);

    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, OutgoingMessage> _outgoing = [];
    private readonly Dictionary<(string Room, string UserId), (Person Person, DateTimeOffset Until)> _typing = [];
    private List<Person> _online = [];

    public string? Namespace { get; private set; }

    public Person? Me { get; private set; }

    public IReadOnlyList<Person> Online => _online;

    public IReadOnlyList<RoomSummary> Rooms { get; private set; } = [];

    public IReadOnlyList<string> Joined { get; private set; } = [];

    /// <summary>The conversation on screen.</summary>
    public string Current { get; private set; } = RoomNames.General;

    public Conversation CurrentConversation => GetOrAdd(Current, null);

    public IEnumerable<Conversation> DirectConversations => _conversations.Values.Where(c => c.IsDirect);

    public IReadOnlyDictionary<Guid, OutgoingMessage> Outgoing => _outgoing;

    public int UnreadIn(string conversation) => _conversations.TryGetValue(conversation, out var c) ? c.Unread : 0;

    /// <summary>The people typing in a room now, longest-quiet first.</summary>
    public IReadOnlyList<Person> TypingIn(string room, DateTimeOffset now) =>
        [.. _typing.Where(t => t.Key.Room == room && t.Value.Until > now).OrderBy(t => t.Value.Until).Select(t => t.Value.Person)];

    /// <summary>Shows a conversation and marks it read.</summary>
    public void Open(string conversation, Person? with = null)
    {
        Current = conversation;
        GetOrAdd(conversation, with).Unread = 0;
    }

    /// <summary>Opens the direct conversation with <paramref name="person"/>.</summary>
    public string OpenDirect(Person person)
    {
        var key = RoomNames.DirectConversation(Me?.UserId ?? string.Empty, person.UserId);
        Open(key, person);
        return key;
    }

    public void Track(OutgoingMessage message) => _outgoing[message.Id] = message;

    /// <summary>Stops tracking a message the server refused: it was never sent.</summary>
    public void Forget(Guid messageId) => _outgoing.Remove(messageId);

    /// <summary>An existing conversation by key, or null.</summary>
    public Conversation? Find(string key) => _conversations.GetValueOrDefault(key);

    /// <summary>Applies one event from the namespace. Returns whether the screen changed.</summary>
    public bool Apply(ChatEvent evt, DateTimeOffset now)
    {
        switch (evt)
        {
            case NamespaceWelcome welcome:
                Welcome(welcome);
                return true;
            case PersonJoined joined:
                if (!_online.Exists(p => p.UserId == joined.Person.UserId))
                    _online = [.. _online.Append(joined.Person).OrderBy(p => p.DisplayName, StringComparer.OrdinalIgnoreCase)];
                AddLine(RoomNames.General, evt);
                return true;
            case PersonLeft left:
                _online.RemoveAll(p => p.UserId == left.Person.UserId);
                foreach (var key in _typing.Keys.Where(k => k.UserId == left.Person.UserId).ToList())
                    _typing.Remove(key);
                AddLine(RoomNames.General, evt);
                return true;
            case RoomsChanged rooms:
                Rooms = rooms.Rooms;
                return true;
            case MessagePosted posted:
                _typing.Remove((posted.Message.Room, posted.Message.Sender.UserId));
                AddLine(posted.Message.Room, evt);
                return true;
            case DirectPosted direct:
                var other = direct.Message.Sender.UserId == Me?.UserId ? direct.To : direct.Message.Sender;
                GetOrAdd(direct.Message.Room, other);
                AddLine(direct.Message.Room, evt);
                return true;
            case TypingChanged typing:
                if (typing.IsTyping)
                    _typing[(typing.Room, typing.Person.UserId)] = (typing.Person, now + TypingLifetime);
                else
                    _typing.Remove((typing.Room, typing.Person.UserId));
                return true;
            case DeliveryReport report when _outgoing.TryGetValue(report.MessageId, out var mine):
                _outgoing[report.MessageId] = mine with
                {
                    // With nobody else there, "sent" is the honest state: there was no one to deliver to.
                    State = report.Recipients == 0 ? DeliveryState.Sent : report.Delivered ? DeliveryState.Delivered : DeliveryState.NotDelivered,
                    Recipients = report.Recipients,
                    Acknowledged = report.Acknowledged,
                };
                return true;
            case AnnouncementPosted:
                AddLine(Current, evt);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Updates the rooms this tab is in after a join or leave it asked for.</summary>
    public void SetJoined(IReadOnlyList<string> joined)
    {
        Joined = joined;
        if (!Current.StartsWith("dm:", StringComparison.Ordinal) && !joined.Contains(Current))
            Open(joined.Count > 0 ? joined[0] : RoomNames.General);
    }

    /// <summary>Forgets everything shown: a new connection (a namespace switch) starts from nothing.</summary>
    public void Clear()
    {
        _conversations.Clear();
        _typing.Clear();
        _outgoing.Clear();
        _online = [];
        Rooms = [];
        Joined = [];
        Namespace = null;
        Current = RoomNames.General;
    }

    // Lines that arrived before the welcome belong to this connection already: keep them (see Clear).
    private void Welcome(NamespaceWelcome welcome)
    {
        Namespace = welcome.Namespace;
        Me = welcome.You;
        _online = [.. welcome.Online];
        Rooms = welcome.Rooms;
        Joined = welcome.Joined;
        Open(RoomNames.General);
    }

    private void AddLine(string conversation, ChatEvent line)
    {
        var target = GetOrAdd(conversation, null);
        if (target.Add(line, MaxLinesPerConversation) && conversation != Current && line is MessagePosted or DirectPosted)
            target.Unread++;
    }

    private Conversation GetOrAdd(string key, Person? with)
    {
        if (!_conversations.TryGetValue(key, out var conversation))
            _conversations.Add(key, conversation = new Conversation(key, with is null ? $"# {key}" : with.DisplayName, with));
        return conversation;
    }
}
