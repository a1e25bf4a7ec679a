using BlazorChat.Chat;
using BlazorChat.Realtime;

namespace BlazorChat.Session;

/// <summary>
/// What one tab shows of one namespace: people online, rooms, conversations with unread counts, who is
/// typing, and the delivery state of its own messages. Plain state, changed only by <see cref="Apply"/> and
/// the few local actions, so the page stays small and this is testable without a browser.
/// </summary>
public sealed class ChatView
{
    /// <summary>How many lines a tab keeps per conversation; older ones are dropped from view.</summary>
    public const int MaxLinesPerConversation = 250;

    /// <summary>
    /// Up to this many people online, each arrival and departure is a line in #general; with more, each
    /// <see cref="PeopleChanged"/> is one line saying how many came and went (as chat products do in big rooms).
    /// </summary>
    public const int PresenceLinesUpTo = 50;

    /// <summary>How long a typing indicator lasts without being refreshed.</summary>
    public static readonly TimeSpan TypingLifetime = TimeSpan.FromSeconds(6);

    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, OutgoingMessage> _outgoing = [];
    private int _outgoingSweepAbove = OutgoingKeptUpTo; // when to look for delivery states no longer on screen
    private readonly Dictionary<(string Room, string UserId), (Person Person, DateTimeOffset Until)> _typing = [];
    private readonly OnlinePeople _online = new();

    public string? Namespace { get; private set; }

    public Person? Me { get; private set; }

    public IReadOnlyList<Person> Online => _online.List;

    /// <summary>
    /// Changes whenever the people side of the screen changes (who is online, unread private messages, which
    /// conversation is open): with a thousand people online, the list renders only then, not on every message.
    /// </summary>
    public int PeopleVersion { get; private set; }

    /// <summary>Changes whenever the delivery state of one of this tab's own messages changes.</summary>
    public int OutgoingVersion { get; private set; }

    public IReadOnlyList<RoomSummary> Rooms { get; private set; } = [];

    public IReadOnlyList<string> Joined { get; private set; } = [];

    /// <summary>The private rooms this person belongs to (only members ever hear of one).</summary>
    public IReadOnlyList<PrivateRoomSummary> PrivateRooms { get; private set; } = [];

    /// <summary>The private room on screen, or null when the conversation on screen is not one.</summary>
    public PrivateRoomSummary? CurrentPrivateRoom => PrivateRoom(Current);

    /// <summary>A private room this person belongs to, by id; null for any other key.</summary>
    public PrivateRoomSummary? PrivateRoom(string id) => PrivateRooms.FirstOrDefault(r => r.Id == id);

    /// <summary>The conversation on screen.</summary>
    public string Current { get; private set; } = RoomNames.General;

    private Person? _currentWith;

    public Conversation CurrentConversation => GetOrAdd(Current, null);

    public IEnumerable<Conversation> DirectConversations => _conversations.Values.Where(c => c.IsDirect);

    public IReadOnlyDictionary<Guid, OutgoingMessage> Outgoing => _outgoing;

    public int UnreadIn(string conversation) => _conversations.TryGetValue(conversation, out var c) ? c.Unread : 0;

    /// <summary>The people typing in a room now, longest-quiet first.</summary>
    /// <remarks>
    /// Asked at every render of the page's conversation, in every member's tab, at every message: nobody typing (the usual
    /// answer: a message ends its sender's indicator) allocates nothing, and a few people typing two small arrays. A LINQ
    /// query here allocated six objects each time, about 3 % of what a busy room's server allocated.
    /// </remarks>
    public IReadOnlyList<Person> TypingIn(string room, DateTimeOffset now)
    {
        var count = 0;
        foreach (var ((typingRoom, _), (_, until)) in _typing)
        {
            if (typingRoom == room && until > now)
                count++;
        }
        if (count == 0)
            return [];
        var typing = new (Person Person, DateTimeOffset Until)[count];
        var found = 0;
        foreach (var ((typingRoom, _), entry) in _typing)
        {
            if (typingRoom != room || entry.Until <= now)
                continue;
            // Insertion by time, after any that run out at the same time: a stable order, as OrderBy gave.
            var at = found++;
            while (at > 0 && typing[at - 1].Until > entry.Until)
            {
                typing[at] = typing[at - 1];
                at--;
            }
            typing[at] = entry;
        }
        var people = new Person[count];
        for (var i = 0; i < count; i++)
            people[i] = typing[i].Person;
        return people;
    }

    /// <summary>When the first typing indicator held runs out; null when nobody is typing.</summary>
    public DateTimeOffset? NextTypingExpiry => _typing.Count == 0 ? null : _typing.Values.Min(t => t.Until);

    /// <summary>Drops the typing indicators past their lifetime; returns whether one of them was in the conversation on screen.</summary>
    public bool DropExpiredTyping(DateTimeOffset now) => StopTyping(k => _typing[k].Until <= now) != ViewChange.None;

    /// <summary>Shows a conversation and marks it read. It stays this tab's place until the person opens another.</summary>
    public void Open(string conversation, Person? with = null)
    {
        PeopleVersion++;
        // Moving on: what was missed in the conversation left has been seen; its "new since you left" line goes.
        if (conversation != Current && Find(Current) is { MissedAfter: not null } left)
            left.Missed(0, 0);
        Current = conversation;
        var opened = GetOrAdd(conversation, with);
        opened.Unread = 0;
        _currentWith = opened.With;
        PlaceNamespace = Namespace;
    }

    /// <summary>
    /// The namespace of this tab's place (<see cref="Current"/>). A new connection keeps the place: the welcome of the
    /// same namespace opens it again rather than #general, so a reconnect never moves the person, nor their next message.
    /// </summary>
    public string? PlaceNamespace { get; private set; }

    /// <summary>Sets the place this tab should show once its namespace welcomes it (an address the person opened).</summary>
    public void Want(string @namespace, string conversation, Person? with = null)
    {
        PeopleVersion++;
        PlaceNamespace = @namespace;
        Current = conversation;
        _currentWith = with;
    }

    /// <summary>Whether this tab may show a conversation now: a room it is in, one of its private rooms, or a private conversation.</summary>
    public bool IsAvailable(string conversation) =>
        RoomNames.IsDirect(conversation) || Joined.Contains(conversation) || PrivateRooms.Any(r => r.Id == conversation);

    /// <summary>Opens the direct conversation with <paramref name="person"/>.</summary>
    public string OpenDirect(Person person)
    {
        var key = RoomNames.DirectConversation(Me?.UserId ?? string.Empty, person.UserId);
        Open(key, person);
        return key;
    }

    /// <summary>
    /// Above this many delivery states, those no conversation holds any more (the window let their messages go) and whose
    /// delivery is over are let go: a tab open for days, sending all along, keeps the states it can show, not one per
    /// message it ever sent.
    /// </summary>
    public const int OutgoingKeptUpTo = 2 * MaxLinesPerConversation;

    /// <summary>One of this tab's own messages, from its sending on: its delivery state shows on it while it is on screen.</summary>
    public void Track(OutgoingMessage message)
    {
        _outgoing[message.Id] = message;
        OutgoingVersion++;
        if (_outgoing.Count > _outgoingSweepAbove)
            LetGoOfStatesOffScreen();
    }

    // Still sending: its report is to come, and a Retry may follow it. Otherwise kept only while a conversation holds it (a
    // message loaded again from history shows without its delivery state, as one sent from another tab does). The next
    // look comes once as many again are tracked, so a tab whose conversations hold all of them does not look at every send.
    private void LetGoOfStatesOffScreen()
    {
        List<Guid>? gone = null;
        foreach (var (id, message) in _outgoing)
        {
            if (message.State != DeliveryState.Sending && Find(message.Conversation)?.Holds(id) != true)
                (gone ??= []).Add(id);
        }
        foreach (var id in gone ?? [])
            _outgoing.Remove(id);
        _outgoingSweepAbove = Math.Max(OutgoingKeptUpTo, 2 * _outgoing.Count);
    }

    /// <summary>Stops tracking a message the server refused: it was never sent.</summary>
    public void Forget(Guid messageId)
    {
        if (_outgoing.Remove(messageId))
            OutgoingVersion++;
    }

    /// <summary>The conversations waiting for a catch-up (a gap, or messages their node missed).</summary>
    public IReadOnlyList<string> ConversationsToCatchUp => [.. _conversations.Values.Where(c => c.GapAfter is not null).Select(c => c.Key)];

    /// <summary>An existing conversation by key, or null.</summary>
    public Conversation? Find(string key) => _conversations.GetValueOrDefault(key);

    /// <summary>Applies one event from the namespace. Returns which parts of the screen changed.</summary>
    public ViewChange Apply(ChatEvent evt, DateTimeOffset now)
    {
        switch (evt)
        {
            case NamespaceWelcome welcome:
                Welcome(welcome);
                return ViewChange.Everything;
            case PersonJoined joined:
                // Someone listed already (their join came through two nodes, or a snapshot listed them first) is news once.
                if (_online.Apply([new PresenceChange(joined.Person, Online: true)], Me?.UserId) is null)
                    return ViewChange.None;
                PeopleVersion++;
                return ViewChange.People | AddLine(RoomNames.General, evt);
            case PersonLeft left:
                return Left(left);
            case PeopleChanged people:
                return CameAndWent(people);
            case PeopleOnline snapshot:
                return Reconcile(snapshot);
            case DeliveriesMissed missed:
                // The conversations on screen show what came once the catch-up that follows (HistoryLoader.CatchUpAsync)
                // fetched it; the others count it now, from the store's counts.
                foreach (var conversation in _conversations.Values)
                    conversation.ExpectMissed();
                return CountMissed(missed.Unread ?? []);
            case RoomsChanged rooms:
                Rooms = rooms.Rooms;
                return ViewChange.Rooms;
            case PrivateRoomsChanged privateRooms:
                SetPrivateRooms(privateRooms.Rooms);
                return ViewChange.Everything;
            case MessagePosted posted:
                // One key, looked up: this runs in every member's tab for every message.
                var typed = _typing.Remove((posted.Message.Room, posted.Message.Sender.UserId)) && posted.Message.Room == Current
                    ? ViewChange.Typing : ViewChange.None;
                return typed | AddLine(posted.Message.Room, evt);
            case DirectPosted direct:
                var other = direct.Message.Sender.UserId == Me?.UserId ? direct.To : direct.Message.Sender;
                var isNewConversation = Find(direct.Message.Room) is null;
                GetOrAdd(direct.Message.Room, other);
                return (isNewConversation ? ViewChange.People : ViewChange.None) | AddLine(direct.Message.Room, evt);
            case TypingChanged typing:
                if (typing.IsTyping)
                    _typing[(typing.Room, typing.Person.UserId)] = (typing.Person, now + TypingLifetime);
                else
                    _typing.Remove((typing.Room, typing.Person.UserId));
                return typing.Room == Current ? ViewChange.Typing : ViewChange.None;
            case DeliveryReport report when _outgoing.TryGetValue(report.MessageId, out var mine):
                OutgoingVersion++;
                _outgoing[report.MessageId] = mine with
                {
                    // With nobody else there, "sent" is the honest state: there was no one to deliver to.
                    State = report.Recipients == 0 ? DeliveryState.Sent : report.Delivered ? DeliveryState.Delivered : DeliveryState.NotDelivered,
                    Recipients = report.Recipients,
                    Acknowledged = report.Acknowledged,
                };
                return ViewChange.Transcript;
            case AnnouncementPosted:
                return AddLine(Current, evt);
            case BlazorChat.Moderation.MessageRemoved removed:
                return Find(removed.Room) is { } holder && holder.MarkRemoved(removed.Id) && removed.Room == Current
                    ? ViewChange.Transcript : ViewChange.None;
            case RoomMembership membership:
                SetJoined(membership.Joined);
                return ViewChange.Everything;
            case BlazorChat.Moderation.RoomMovedByModerator moved:
                SetJoined(Moved(moved));
                return ViewChange.Everything | AddLine(Current, evt);
            case ReadMarked read when Find(read.Conversation) is { } conversation && conversation.Unread > 0
                                      && read.Sequence >= conversation.LastSequence:
                conversation.Unread = 0;
                return conversation.IsDirect ? ViewChange.People : ViewChange.Rooms;
            default:
                return ViewChange.None;
        }
    }

    private ViewChange Left(PersonLeft left)
    {
        // This tab is connected, so its person is online: a leave of theirs is a race (another of their tabs closing
        // while this one rejoined under a new name), never the truth here.
        // Nor is a leave of someone not listed (two nodes may both say so) news.
        if (_online.Apply([new PresenceChange(left.Person, Online: false)], Me?.UserId) is null)
            return ViewChange.None;
        PeopleVersion++;
        var stoppedTyping = StopTyping(k => k.UserId == left.Person.UserId);
        return ViewChange.People | stoppedTyping | AddLine(RoomNames.General, left);
    }

    // Arrivals and departures of a while, in order, and the rooms' counts after them: the online list changes once, and
    // #general gets a line per person in a small namespace, one line for them all in a big one.
    private ViewChange CameAndWent(PeopleChanged people)
    {
        var change = ViewChange.None;
        if (people.Rooms is { } rooms)
        {
            Rooms = rooms;
            change = ViewChange.Rooms;
        }
        // Someone listed already is no news (their join came through two nodes, or the welcome listed them); nor is a
        // leave of this tab's own person (a race with another tab of theirs), or of someone not listed.
        if (_online.Apply(people, Me?.UserId) is not { } news)
            return change;
        PeopleVersion++;
        change |= ViewChange.People;
        foreach (var gone in news.Where(c => !c.Online))
            change |= StopTyping(k => k.UserId == gone.Person.UserId);
        if (_online.Count > PresenceLinesUpTo)
        {
            // One running line while nothing else is said: "340 people joined, 12 left" once, not a line per digest (a
            // burst of arrivals in a big namespace would fill the window with them and push the messages out).
            var joined = news.Count(c => c.Online);
            var left = news.Count - joined;
            if (GetOrAdd(RoomNames.General, null).TryMergeIntoLast(last => last is PeopleCameAndWent summary && summary.Namespace == people.Namespace
                    ? summary with { Joined = summary.Joined + joined, Left = summary.Left + left, At = people.At }
                    : null))
                return change | (Current == RoomNames.General ? ViewChange.Transcript : ViewChange.None);
            return change | AddLine(RoomNames.General, new PeopleCameAndWent(people.Namespace, joined, left, people.At));
        }
        foreach (var came in news)
        {
            change |= AddLine(RoomNames.General, came.Online
                ? new PersonJoined(people.Namespace, came.Person, people.At)
                : new PersonLeft(people.Namespace, came.Person, people.At));
        }
        return change;
    }

    // Who is online, as the server counts it now: whoever this tab listed and it does not has left (with the line a
    // leave shows); whoever it lists and this tab did not is added quietly (their join may still be on its way).
    private ViewChange Reconcile(PeopleOnline snapshot)
    {
        var now = snapshot.People.Select(p => p.UserId).ToHashSet(StringComparer.Ordinal);
        var change = ViewChange.None;
        foreach (var gone in _online.List.Where(p => !now.Contains(p.UserId) && p.UserId != Me?.UserId).ToList())
            change |= Left(new PersonLeft(snapshot.Namespace, gone, snapshot.At));
        if (_online.Apply([.. snapshot.People.Select(p => new PresenceChange(p, Online: true))], Me?.UserId) is not null)
        {
            PeopleVersion++;
            change |= ViewChange.People;
        }
        return change;
    }

    // Typing indicators that end with an event; the screen changes when one of them was in the conversation on screen.
    private ViewChange StopTyping(Func<(string Room, string UserId), bool> which)
    {
        var change = ViewChange.None;
        if (_typing.Count == 0)
            return change;
        foreach (var key in _typing.Keys.Where(which).ToList())
        {
            _typing.Remove(key);
            if (key.Room == Current)
                change = ViewChange.Typing;
        }
        return change;
    }

    // The rooms this tab is in once a moderator moved it, in the server's order ("general" first, then by name).
    private List<string> Moved(BlazorChat.Moderation.RoomMovedByModerator moved)
    {
        var joined = Joined.Where(r => r != moved.Room).ToList();
        if (moved.Joined)
            joined.Add(moved.Room);
        return [.. joined.OrderBy(r => r == RoomNames.General ? 0 : 1).ThenBy(r => r, StringComparer.Ordinal)];
    }

    /// <summary>Updates the rooms this tab is in after a join or leave it asked for.</summary>
    public void SetJoined(IReadOnlyList<string> joined)
    {
        Joined = joined;
        if (!Current.StartsWith("dm:", StringComparison.Ordinal) && !joined.Contains(Current))
            Open(joined.Count > 0 ? joined[0] : RoomNames.General);
    }

    /// <summary>
    /// Takes the private rooms this person belongs to now. A room no longer among them (left, or removed by its owner)
    /// disappears: its lines are forgotten, and when it was on screen, "general" is shown instead.
    /// </summary>
    public void SetPrivateRooms(IReadOnlyList<PrivateRoomSummary> rooms)
    {
        var dropped = PrivateRooms.Select(r => r.Id).Except(rooms.Select(r => r.Id), StringComparer.Ordinal).ToList();
        PrivateRooms = rooms;
        foreach (var id in dropped)
        {
            _conversations.Remove(id);
            foreach (var key in _typing.Keys.Where(k => k.Room == id).ToList())
                _typing.Remove(key);
        }
        var joined = Joined.Except(dropped, StringComparer.Ordinal).ToList();
        joined.AddRange(rooms.Select(r => r.Id).Where(id => !joined.Contains(id, StringComparer.Ordinal)));
        foreach (var room in rooms)
        {
            if (_conversations.TryGetValue(room.Id, out var conversation))
                conversation.Title = PrivateTitle(room);
        }
        SetJoined(joined);
    }

    /// <summary>Takes one private room as the server answered a create, invite or remove.</summary>
    public void SetPrivateRoom(PrivateRoomSummary room) =>
        SetPrivateRooms([.. PrivateRooms.Where(r => r.Id != room.Id), room]);

    /// <summary>
    /// The server ended this tab's connection (its access was revoked, say): everything shown of that namespace is
    /// forgotten, and the reason is the one line left.
    /// </summary>
    public void Ended(DisconnectNotice notice)
    {
        Clear();
        Namespace = notice.Namespace;
        AddLine(RoomNames.General, new ConnectionEnded(notice.Namespace, notice.Message));
    }

    /// <summary>Forgets everything shown: a new connection (a namespace switch) starts from nothing.</summary>
    public void Clear()
    {
        PeopleVersion++;
        OutgoingVersion++;
        _conversations.Clear();
        _typing.Clear();
        _outgoing.Clear();
        _outgoingSweepAbove = OutgoingKeptUpTo;
        _online.Reset([]);
        Rooms = [];
        Joined = [];
        PrivateRooms = [];
        Namespace = null;
        // Not Current: the place is the person's, and the next welcome opens it again (see PlaceNamespace).
    }

    // Lines that arrived before the welcome belong to this connection already: keep them (see Clear).
    private void Welcome(NamespaceWelcome welcome)
    {
        PeopleVersion++;
        Namespace = welcome.Namespace;
        Me = welcome.You;
        _online.Reset(welcome.Online);
        Rooms = welcome.Rooms;
        Joined = welcome.Joined;
        PrivateRooms = welcome.PrivateRooms ?? [];
        // A place opened before any welcome (PlaceNamespace null) belongs to the namespace that welcomes the tab now.
        var keep = (PlaceNamespace is null || PlaceNamespace == welcome.Namespace) && IsAvailable(Current);
        Open(keep ? Current : RoomNames.General, keep ? _currentWith : null);
        // What arrived while this person was away: private messages and unread room messages, counted.
        foreach (var unread in welcome.Unread ?? [])
        {
            var conversation = GetOrAdd(unread.Conversation, unread.With);
            conversation.Missed(unread.ReadUpTo, unread.Unread);
            if (unread.Conversation != Current)
                conversation.Unread = (int)Math.Min(unread.Unread, int.MaxValue);
        }
    }

    // The store's unread counts after missed deliveries. The larger count wins: a message delivered live after the store
    // was read is in this tab's count and not in the store's, and one the tab missed is in the store's only.
    private ViewChange CountMissed(IReadOnlyList<UnreadConversation> unread)
    {
        var change = ViewChange.None;
        foreach (var missed in unread)
        {
            if (missed.Conversation == Current)
                continue;
            var conversation = GetOrAdd(missed.Conversation, missed.With);
            var count = (int)Math.Min(missed.Unread, int.MaxValue);
            if (count <= conversation.Unread)
                continue;
            conversation.Unread = count;
            if (!conversation.IsDirect)
            {
                change |= ViewChange.Rooms;
                continue;
            }
            PeopleVersion++;
            change |= ViewChange.People;
        }
        return change;
    }

    /// <summary>
    /// The next page to load so that everything the person missed in a conversation is on screen, not only its latest
    /// page: older pages back to where they had read (<see cref="Conversation.MissedAfter"/>), as far as the window
    /// holds. Null when nothing more is missing, or the window is full (the rest stays behind "Load older messages").
    /// </summary>
    public HistoryRequest? MissedPage(string key)
    {
        if (Find(key) is not { Loaded: true, HasOlder: true, MissedAfter: { } after, Detached: false } conversation
            || conversation.OldestSequence <= after + 1)
            return null;
        var room = MaxLinesPerConversation - conversation.Lines.Count;
        var missing = conversation.OldestSequence - after - 1;
        var limit = (int)Math.Min(Math.Min(missing, room), ChatHandlers.MaxHistoryPage);
        return limit > 0 ? new HistoryRequest(key, Before: conversation.OldestSequence, Limit: limit) : null;
    }

    /// <summary>Applies a history page the tab asked for: the latest, an older one, or a catch-up after a gap.</summary>
    public void ApplyHistory(HistoryPage page, HistoryRequest request)
    {
        var conversation = GetOrAdd(page.Conversation, null);
        var other = conversation.With;
        IReadOnlyList<ChatEvent> lines =
        [
            .. page.Messages.Select(m => other is null
                ? (ChatEvent)new MessagePosted(m)
                : new DirectPosted(m, m.Sender.UserId == other.UserId ? Me ?? other : other)),
        ];
        if (request.After is not null)
            conversation.MergeCatchUp(lines, request.Limit, MaxLinesPerConversation);
        else if (request.Before == long.MaxValue)
            conversation.MergeLatest(lines, page.HasOlder, MaxLinesPerConversation);
        else
            conversation.MergeOlder(lines, page.HasOlder, MaxLinesPerConversation);
    }

    private ViewChange AddLine(string conversation, ChatEvent line)
    {
        var target = GetOrAdd(conversation, null);
        var shown = target.Add(line, MaxLinesPerConversation, out var isNew);
        var message = Conversation.MessageOf(line);
        if (conversation == Current)
            return shown ? ViewChange.Transcript : ViewChange.None;
        // Unread counts every new message from someone else in a conversation not on screen, shown yet or not.
        if (message is null || !isNew || message.Sender.UserId == Me?.UserId)
            return ViewChange.None;
        target.Unread++;
        if (!target.IsDirect)
            return ViewChange.Rooms;
        PeopleVersion++;
        return ViewChange.People;
    }

    private string TitleOf(string key, Person? with) =>
        with is not null ? with.DisplayName
        : RoomNames.IsPrivateId(key) ? (PrivateRoom(key) is { } room ? PrivateTitle(room) : "🔒 private room")
        : $"# {key}";

    private static string PrivateTitle(PrivateRoomSummary room) => $"🔒 {room.Title}";

    private Conversation GetOrAdd(string key, Person? with)
    {
        if (!_conversations.TryGetValue(key, out var conversation))
            _conversations.Add(key, conversation = new Conversation(key, TitleOf(key, with), with));
        return conversation;
    }
}
