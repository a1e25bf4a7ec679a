using BlazorChat.Realtime.Adapters;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Chat;

/// <summary>
/// One count of a namespace, what a welcome lists: everyone in it by name then id (<paramref name="ById"/>: the same people
/// by their ids), its listed rooms with how many people are in each, and how many tabs it has.
/// </summary>
public sealed record Headcount(IReadOnlyList<Person> People, IReadOnlyDictionary<string, Person> ById, IReadOnlyList<RoomSummary> Rooms,
    int Tabs)
{
    /// <summary>
    /// What a newcomer's welcome lists from this count: its people after <paramref name="since"/> (this node's arrivals and
    /// departures since the count, in order), with the newcomer <paramref name="me"/> among them, and the rooms' counts with
    /// the newcomer counted in <paramref name="myRooms"/> when the count did not list them yet. This count's own lists, shared,
    /// when nothing changes them.
    /// </summary>
    public (IReadOnlyList<Person> People, IReadOnlyList<RoomSummary> Rooms) For(IReadOnlyList<PresenceChange> since, Person me,
        IReadOnlyList<string> myRooms)
    {
        List<Person>? people = null;
        Dictionary<string, Person?>? placed = null; // who the changes listed (or took off), as listed now
        foreach (var change in since)
            Place(ref people, ref placed, change.Person, change.Online);
        Place(ref people, ref placed, me, online: true);
        return (people ?? People, ById.ContainsKey(me.UserId) ? Rooms : WithOneMore(Rooms, myRooms));
    }

    // The list with the person listed (or not), copied at the first change. A sorted list: the person as listed (which
    // may be under an older name) found by halving.
    private void Place(ref List<Person>? people, ref Dictionary<string, Person?>? placed, Person person, bool online)
    {
        var listed = placed is not null && placed.TryGetValue(person.UserId, out var now) ? now
            : ById.GetValueOrDefault(person.UserId);
        if (online == listed is not null)
            return;
        people ??= [.. People];
        placed ??= new(StringComparer.Ordinal);
        if (online)
        {
            var at = people.BinarySearch(person, PeopleOrder.ByNameThenId);
            people.Insert(at < 0 ? ~at : at, person);
            placed[person.UserId] = person;
        }
        else
        {
            var at = people.BinarySearch(listed!, PeopleOrder.ByNameThenId);
            people.RemoveAt(at >= 0 ? at : people.FindIndex(p => p.UserId == person.UserId));
            placed[person.UserId] = null;
        }
    }

    private static List<RoomSummary> WithOneMore(IReadOnlyList<RoomSummary> rooms, IReadOnlyList<string> myRooms)
    {
        var counts = new List<RoomSummary>(rooms.Count + 1);
        counts.AddRange(rooms);
        foreach (var room in myRooms)
        {
            if (!RoomNames.IsListed(room))
                continue;
            var at = counts.FindIndex(r => r.Name == room);
            if (at >= 0)
                counts[at] = counts[at] with { Members = counts[at].Members + 1 };
            else
                counts.Add(new RoomSummary(room, 1));
        }
        counts.Sort(RoomOrder);
        return counts;
    }

    /// <summary>The order rooms are listed in: "general" first, then by name.</summary>
    public static readonly Comparison<RoomSummary> RoomOrder = static (a, b) => (a.Name == RoomNames.General, b.Name == RoomNames.General) switch
    {
        (true, false) => -1,
        (false, true) => 1,
        _ => string.CompareOrdinal(a.Name, b.Name),
    };
}

/// <summary>
/// The last count of one namespace, shared by every welcome until the next presence digest goes out. A count lists a
/// thousand connections and counts their rooms; made at each arrival, a thousand arrivals made a million steps (joining
/// was quadratic). Between two digests, every arrival and departure this node hears of is in the digest being gathered
/// (<see cref="PresenceDigest.PendingSince"/>), so the count with those applied is as current as a new one. Only where
/// this node hears of every arrival: on a cluster, others are told by their own nodes, so each welcome counts anew.
/// </summary>
public sealed class SharedHeadcount(ChatNamespace ns, Func<IReadOnlyCollection<RemoteConnection>, Headcount> count)
{
    private readonly Lock _gate = new();
    private (long Told, Task<Headcount> Count)? _last;

    /// <summary>
    /// A count begun while <paramref name="told"/> digests had gone out (<see cref="PresenceDigest.Told"/>): the last one if it
    /// was, on a single node, else a new one (<paramref name="fresh"/>: always a new one).
    /// </summary>
    public async Task<Headcount> OfAsync(long told, bool fresh = false)
    {
        if (fresh || !ns.Adapter.IsSingleNode)
            return await CountAsync();
        TaskCompletionSource<Headcount>? counting = null;
        Task<Headcount> shared;
        lock (_gate)
        {
            if (_last is { } last && last.Told == told && !last.Count.IsFaulted && !last.Count.IsCanceled)
                shared = last.Count;
            else
            {
                counting = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _last = (told, shared = counting.Task);
            }
        }
        if (counting is null)
            return await shared;
        // Counted outside the gate: those arriving meanwhile wait for this count, not for the gate.
        try
        {
            counting.SetResult(await CountAsync());
        }
        catch (Exception ex)
        {
            counting.SetException(ex);
        }
        return await counting.Task;
    }

    private async Task<Headcount> CountAsync() => count(await ns.Operator.FetchConnectionsAsync());
}
