using BlazorChat.Realtime.Server;

namespace BlazorChat.Chat;

/// <summary>
/// Who came and went in one namespace, and the rooms' member counts, told to everyone as one <see cref="PeopleChanged"/>
/// per window instead of an event per arrival, departure and count. The first change after a quiet window goes out at
/// once; what follows within the window waits for its end and goes out together. The window grows with the namespace:
/// each digest reaches every tab, so a namespace of N tabs sends about N digests per window whatever the arrival rate,
/// and with a window proportional to N, a thousand people arriving cost a bounded number of digests per tab, not one
/// per arrival (which made joining a room quadratic: each arrival rendered in every tab already there).
/// </summary>
/// <remarks>
/// Each node keeps its own digest per namespace and tells the whole cluster what happened on it (every change is a
/// node's own: its tabs' arrivals and departures). Digests go out one at a time, in order.
/// </remarks>
/// <param name="presence">
/// The namespace's presence lock, under which arrivals and departures are counted and a newcomer's welcome is sent: a
/// digest at a window's end is told under it too, so it reaches a newcomer either before its welcome was counted, or
/// after the welcome. (Told in between, it could say someone left whom the welcome, counted before, lists.) An arrival or
/// departure told at once is told by a caller that holds it; a change of room counts alone needs no lock.
/// </param>
/// <param name="minWindow">The shortest window (<see cref="ChatOptions.PresenceWindow"/>); zero tells each change at once.</param>
public sealed class PresenceDigest(ChatNamespace ns, SemaphoreSlim presence, TimeSpan minWindow, TimeProvider time,
    Func<ChatNamespace, Task<IReadOnlyList<RoomSummary>>> countRooms, Action<Exception> failed)
{
    /// <summary>The shortest window by default: a small namespace hears of a change at once, and of a burst within this.</summary>
    public static readonly TimeSpan MinWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The window per tab in the namespace (100 tabs: 200 ms; 1,000 tabs: 2 s, the longest). Each digest reaches every tab,
    /// so this is a budget: below the longest window, a namespace's digests make at most 1 / WindowPerTab deliveries a
    /// second (500), however many tabs it has and however fast people arrive. With 0.5 ms (2,000 deliveries a second),
    /// 1,000 people joining one room on 2 cores took 14.4 s (median of 9 runs), 10.8 s with 2 ms (6 runs): the digests'
    /// renders in the tabs already there were the quadratic rest of joining.
    /// </summary>
    public static readonly TimeSpan WindowPerTab = TimeSpan.FromMilliseconds(2);

    /// <summary>The longest window: how late, at most, a change is told after the one before.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _telling = new(1, 1);
    private List<PresenceChange> _changes = [];
    private bool _roomsChanged;
    private bool _due; // a digest is on its way (now, or at the window's end) and will carry what is added meanwhile
    private long _lastTold = long.MinValue;
    private int _tabs;
    private long _told;

    /// <summary>
    /// How many digests have gone out (or begun to): a welcome counted while this stayed the same has missed none, so it
    /// may go out as counted (see ChatHandlers' arrivals).
    /// </summary>
    public long Told => Volatile.Read(ref _told);

    /// <summary>
    /// The arrivals and departures added since the last digest, in order, when that digest is still the one numbered
    /// <paramref name="told"/> (<see cref="Told"/>); null when another has gone out since. What a count of the namespace made
    /// since that digest lacks: a welcome counted earlier in the window is as current as this node's news with them.
    /// </summary>
    public IReadOnlyList<PresenceChange>? PendingSince(long told)
    {
        lock (_gate)
            return _told == told ? [.. _changes] : null;
    }

    /// <summary>The window for a namespace of <paramref name="tabs"/> tabs, at least <paramref name="minWindow"/> (zero: none).</summary>
    public static TimeSpan WindowFor(int tabs, TimeSpan minWindow) => minWindow <= TimeSpan.Zero ? TimeSpan.Zero
        : TimeSpan.FromTicks(Math.Clamp(WindowPerTab.Ticks * tabs, minWindow.Ticks, Math.Max(minWindow.Ticks, MaxWindow.Ticks)));

    /// <summary>
    /// A person came or went (<paramref name="change"/>), or only the rooms' counts changed (null). Completes once it is
    /// told, when that is now; otherwise at once, and it goes out at the window's end.
    /// </summary>
    /// <param name="tabs">How many tabs the namespace has now, when the caller knows (the window follows it); 0 when not.</param>
    public Task AddAsync(PresenceChange? change, int tabs = 0)
    {
        TimeSpan wait;
        lock (_gate)
        {
            if (change is not null)
                _changes.Add(change);
            _roomsChanged = true;
            if (tabs > 0)
                _tabs = tabs;
            if (_due)
                return Task.CompletedTask;
            _due = true;
            wait = _lastTold == long.MinValue ? TimeSpan.Zero : WindowFor(_tabs, minWindow) - time.GetElapsedTime(_lastTold);
        }
        if (wait <= TimeSpan.Zero)
            return TellAsync();
        _ = TellLaterAsync(wait);
        return Task.CompletedTask;
    }

    private async Task TellLaterAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait, time);
            await presence.WaitAsync();
            try
            {
                await TellAsync();
            }
            finally
            {
                presence.Release();
            }
        }
        catch (Exception ex)
        {
            failed(ex);
        }
    }

    private async Task TellAsync()
    {
        await _telling.WaitAsync();
        try
        {
            List<PresenceChange> changes;
            bool roomsChanged;
            lock (_gate)
            {
                (changes, roomsChanged) = (_changes, _roomsChanged);
                (_changes, _roomsChanged, _due) = ([], false, false);
                _lastTold = time.GetTimestamp();
                // With the changes taken, in one step (see PendingSince).
                if (changes.Count > 0 || roomsChanged)
                    Interlocked.Increment(ref _told);
            }
            if (changes.Count == 0 && !roomsChanged)
                return;
            var rooms = roomsChanged ? await countRooms(ns) : null;
            await ns.EmitAsync(ChatEvents.Presence, new PeopleChanged(ns.Name, changes, rooms, time.GetUtcNow()));
        }
        finally
        {
            _telling.Release();
        }
    }
}
