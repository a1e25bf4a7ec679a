using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// A room or a private conversation as this tab holds it: a bounded window of lines in sequence order, with
/// unsequenced notices where they arrived. Messages are kept by their store sequence: a duplicate is shown
/// once, a late one takes its place, and after a gap newer messages wait until the missing ones are fetched.
/// </summary>
public sealed class Conversation(string key, string title, Person? with)
{
    private readonly List<ChatEvent> _lines = [];
    private readonly HashSet<Guid> _messageIds = [];
    private readonly SequenceSet _sequences = new();
    private readonly SortedDictionary<long, ChatEvent> _waiting = [];

    public string Key { get; } = key;

    /// <summary>What the header shows; a private room's title can arrive after its first message.</summary>
    public string Title { get; internal set; } = title;

    /// <summary>The other person of a private conversation; null for a room.</summary>
    public Person? With { get; } = with;

    public bool IsDirect => With is not null;

    public IReadOnlyList<ChatEvent> Lines => _lines;

    /// <summary>Changes whenever what this conversation shows changes: a transcript renders only then.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// Changes whenever lines already in <see cref="Lines"/> change: one removed, replaced, or moved along by a line put
    /// before it. Between two versions with the same count here, lines were only added at the end: the transcript then
    /// renders just the block they join (<see cref="Components.Chat.TranscriptBlockKeys.TryExtendLast"/>).
    /// </summary>
    public int Rewrites { get; private set; }

    public int Unread { get; internal set; }

    /// <summary>
    /// Where the person had read up to when they came back (a reconnect, a reload, a return after days away), while
    /// there were messages after it: the transcript marks the first of them ("N new since you left") and the tab loads
    /// them all, up to its window. Null when nothing was missed, and again once the person has moved on to another
    /// conversation.
    /// </summary>
    public long? MissedAfter { get; private set; }

    /// <summary>How many messages from others came after <see cref="MissedAfter"/> while the person was away.</summary>
    public long MissedCount { get; private set; }

    internal void Missed(long readUpTo, long count)
    {
        Version++;
        (MissedAfter, MissedCount) = count > 0 ? (readUpTo, count) : ((long?)null, 0L);
    }

    /// <summary>Whether the message <paramref name="id"/> is in this conversation's window (shown, or waiting behind a gap).</summary>
    internal bool Holds(Guid id) => _messageIds.Contains(id);

    /// <summary>Whether its history has been loaded once: only then can a gap be told from a first look.</summary>
    public bool Loaded { get; private set; }

    /// <summary>The newest sequence up to which this tab has every message (0: none yet).</summary>
    public long LastSequence { get; private set; }

    /// <summary>
    /// How far the person's browser has confirmed showing this conversation (it acknowledged a render that held it): read
    /// marks go no further. A tab whose browser is gone (closed, asleep, off the network) renders into nothing, confirms
    /// nothing, and so marks nothing read that its person never saw.
    /// </summary>
    public long ShownUpTo { get; private set; }

    /// <summary>The browser showed this conversation up to <paramref name="upTo"/>.</summary>
    public void ConfirmShown(long upTo)
    {
        if (upTo > ShownUpTo)
            ShownUpTo = upTo;
    }

    /// <summary>The oldest sequence held; history before it can be loaded when <see cref="HasOlder"/>.</summary>
    public long OldestSequence => _sequences.Count > 0 ? _sequences.Min : 0;

    public bool HasOlder { get; private set; }

    /// <summary>Set when newer messages arrived after a gap: fetch the messages after this sequence, then <see cref="MergeCatchUp"/>.</summary>
    public long? GapAfter { get; private set; }

    /// <summary>
    /// True while older history is on screen and the newest messages were let go to keep the window bounded:
    /// new messages are not shown until the reader jumps back to the latest.
    /// </summary>
    public bool Detached { get; private set; }

    /// <summary>
    /// Adds a live line. Returns whether it was shown (not a duplicate, not waiting behind a gap);
    /// <paramref name="isNew"/> says whether it was new here, shown or not (unread counts it once).
    /// </summary>
    internal bool Add(ChatEvent line, int maxLines, out bool isNew)
    {
        Version++;
        isNew = true;
        if (MessageOf(line) is not { } message)
        {
            _lines.Add(line);
            Trim(maxLines);
            return true;
        }
        if (!_messageIds.Add(message.Id) || (message.Sequence > 0 && _sequences.Contains(message.Sequence)))
        {
            isNew = false;
            return false;
        }
        if (message.Sequence == 0)
        {
            _lines.Add(line);
            Trim(maxLines);
            return true;
        }
        if (Detached)
        {
            // The reader is looking at older history: it is missed (its id kept, so a copy is not new again); the jump
            // to latest reloads it.
            return false;
        }
        if (Loaded && message.Sequence > LastSequence + 1)
        {
            _waiting[message.Sequence] = line;
            GapAfter ??= LastSequence;
            return false;
        }
        Insert(line, message.Sequence);
        Advance();
        Trim(maxLines);
        return true;
    }

    /// <summary>
    /// Replaces the last line with what <paramref name="merge"/> makes of it, when it makes something (a running summary
    /// that takes in the next); returns whether it did. Only lines that are not messages are offered (a message keeps
    /// its place, id and number).
    /// </summary>
    internal bool TryMergeIntoLast(Func<ChatEvent, ChatEvent?> merge)
    {
        if (_lines.Count == 0 || MessageOf(_lines[^1]) is not null || merge(_lines[^1]) is not { } merged)
            return false;
        Version++;
        Rewrites++;
        _lines[^1] = merged;
        return true;
    }

    /// <summary>
    /// A moderator removed the message <paramref name="id"/>: its line (shown or waiting behind a gap) becomes a new line
    /// of the message marked removed, with no text. The old line is replaced, never changed: lines are shared and their
    /// markup is cached per message. Returns whether this conversation held it.
    /// </summary>
    internal bool MarkRemoved(Guid id)
    {
        for (var i = 0; i < _lines.Count; i++)
        {
            if (MessageOf(_lines[i]) is { Id: var held, Removed: false } && held == id)
            {
                Version++;
                Rewrites++;
                _lines[i] = Removed(_lines[i]);
                return true;
            }
        }
        // Not shown yet (behind a gap): it shows removed when it is.
        if (_waiting.FirstOrDefault(w => MessageOf(w.Value) is { Removed: false } m && m.Id == id) is { Value: { } waiting } found)
            _waiting[found.Key] = Removed(waiting);
        return false;
    }

    private static ChatEvent Removed(ChatEvent line) => line switch
    {
        MessagePosted m => new MessagePosted(m.Message with { Text = string.Empty, Removed = true }),
        DirectPosted d => d with { Message = d.Message with { Text = string.Empty, Removed = true } },
        _ => line,
    };

    /// <summary>The latest page, loaded when the conversation is first shown (or again after a jump to latest).</summary>
    internal void MergeLatest(IReadOnlyList<ChatEvent> page, bool hasOlder, int maxLines)
    {
        Version++;
        if (Detached)
            Reset();
        foreach (var line in page)
            InsertIfNew(line);
        Loaded = true;
        HasOlder = hasOlder;
        LastSequence = Math.Max(LastSequence, _sequences.Count > 0 ? _sequences.Max : 0);
        Release(all: true);
        Trim(maxLines);
    }

    /// <summary>
    /// Messages may have been sent that never reached this tab (its node missed them): the next catch-up fetches what
    /// follows the last one it has, as after a gap. Nothing to do before the history is loaded (its first load is the
    /// latest) or while older history is on screen (the jump to latest reloads). Returns whether a catch-up is due.
    /// </summary>
    internal bool ExpectMissed()
    {
        if (!Loaded || Detached)
            return false;
        GapAfter ??= LastSequence;
        return true;
    }

    /// <summary>Messages after a gap: fills it, then shows what waited behind it.</summary>
    internal void MergeCatchUp(IReadOnlyList<ChatEvent> page, int requested, int maxLines)
    {
        Version++;
        foreach (var line in page)
            InsertIfNew(line);
        Advance();
        // Fewer than asked: nothing more exists, so what still waits is behind a number that never came.
        Release(all: page.Count < requested);
        Trim(maxLines);
    }

    /// <summary>An older page, shown above; the newest lines make way when the window would grow past its bound.</summary>
    internal void MergeOlder(IReadOnlyList<ChatEvent> page, bool hasOlder, int maxLines)
    {
        Version++;
        foreach (var line in page)
            InsertIfNew(line);
        HasOlder = hasOlder;
        while (_lines.Count > maxLines)
        {
            Detached = true;
            Forget(_lines[^1]);
            _lines.RemoveAt(_lines.Count - 1);
            Rewrites++;
        }
    }

    /// <summary>Forgets every line (before reloading the latest page).</summary>
    internal void Reset()
    {
        Version++;
        Rewrites++;
        _lines.Clear();
        _messageIds.Clear();
        _sequences.Clear();
        _waiting.Clear();
        Loaded = false;
        Detached = false;
        HasOlder = false;
        GapAfter = null;
        LastSequence = 0;
        ShownUpTo = 0;
    }

    private void InsertIfNew(ChatEvent line)
    {
        if (MessageOf(line) is { } message && _messageIds.Add(message.Id) && _sequences.Add(message.Sequence))
            InsertAt(line, message.Sequence);
    }

    private void Insert(ChatEvent line, long sequence)
    {
        _sequences.Add(sequence);
        InsertAt(line, sequence);
    }

    // Before the first message with a greater sequence that follows the last one with a lower sequence; at the end when
    // there is none (a live message goes after the notices that came before it). Notices stay where they arrived, and
    // are passed over on the way back: stopping at one put an older page under a notice that came after the latest page
    // (someone joining while a reloaded page loaded what it missed), below the newer messages.
    private void InsertAt(ChatEvent line, long sequence)
    {
        var index = _lines.Count;
        for (var i = _lines.Count - 1; i >= 0; i--)
        {
            if (MessageOf(_lines[i]) is not { } held)
                continue;
            if (held.Sequence < sequence)
                break;
            index = i;
        }
        if (index < _lines.Count)
            Rewrites++;
        _lines.Insert(index, line);
    }

    private void Advance()
    {
        while (_sequences.Contains(LastSequence + 1))
            LastSequence++;
    }

    private void Release(bool all)
    {
        while (_waiting.Count > 0)
        {
            var (sequence, line) = _waiting.First();
            if (!all && sequence > LastSequence + 1)
                break;
            _waiting.Remove(sequence);
            if (!_sequences.Contains(sequence))
                Insert(line, sequence);
            LastSequence = Math.Max(LastSequence, sequence);
            Advance();
        }
        GapAfter = _waiting.Count > 0 ? LastSequence : null;
    }

    /// <summary>
    /// How many lines the window lets go at once when it is over its bound, for a bound of <paramref name="maxLines"/>: a
    /// twentieth (12 of 250). Let go one by one, the oldest line went with every new message once the window was full,
    /// and every tab rendered the transcript's first block again for it (its articles diffed, one removed); a batch at a
    /// time, the first block goes about once in 25 messages and a message renders only the block it lands in.
    /// </summary>
    public static int TrimBatch(int maxLines) => Math.Max(1, maxLines / 20);

    // Live lines push the oldest out, a batch at a time (TrimBatch); there is older history to load again then.
    private void Trim(int maxLines)
    {
        if (_lines.Count <= maxLines)
            return;
        var remove = _lines.Count - maxLines + TrimBatch(maxLines) - 1;
        for (var i = 0; i < remove; i++)
        {
            if (MessageOf(_lines[i]) is not null)
                HasOlder = true;
            Forget(_lines[i]);
        }
        _lines.RemoveRange(0, remove);
        Rewrites++;
    }

    private void Forget(ChatEvent line)
    {
        if (MessageOf(line) is { } message)
        {
            _messageIds.Remove(message.Id);
            _sequences.Remove(message.Sequence);
        }
    }

    internal static ChatMessage? MessageOf(ChatEvent line) => line switch
    {
        MessagePosted m => m.Message,
        DirectPosted d => d.Message,
        _ => null,
    };
}
