using System.Runtime.CompilerServices;
using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// The people a tab lists as online, ordered by name ignoring case, with their ids at hand. What it lists is an
/// immutable <see cref="Roster"/>, and tabs that list the same people share one: a digest of who came and went
/// (<see cref="PeopleChanged"/>) reaches every tab of the node as one object, and the first tab to apply it to a roster
/// works out the next roster; every other tab that listed the same roster takes that result as it is. In a namespace of
/// a thousand, each tab merging each digest into a list of its own was most of the cost of a burst of arrivals (a
/// thousand merges of a thousand people per digest) and a thousand copies of everyone in memory.
/// </summary>
public sealed class OnlinePeople
{
    private static readonly IComparer<Person> ByName =
        Comparer<Person>.Create((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.DisplayName, b.DisplayName));

    // What each digest made of each roster it was applied to, while anyone holds the digest.
    private static readonly ConditionalWeakTable<PeopleChanged, Transitions> Made = [];

    private Roster _roster = Roster.Empty;

    /// <summary>Everyone listed, by name. A new list after every change: a renderer holding the old one sees it changed.</summary>
    public IReadOnlyList<Person> List => _roster.People;

    /// <summary>What is listed, shared with every tab that lists the same people after the same digest.</summary>
    public Roster Current => _roster;

    public int Count => _roster.People.Count;

    public bool Contains(string userId) => _roster.Ids.Contains(userId);

    /// <summary>Lists exactly <paramref name="people"/> (a welcome, or nobody).</summary>
    public void Reset(IEnumerable<Person> people) => _roster = Roster.From(people);

    /// <summary>
    /// Applies a digest's arrivals and departures (<see cref="Apply(IReadOnlyList{PresenceChange}, string?)"/>), taking
    /// the roster another tab already made of it when this tab listed the same people before it.
    /// </summary>
    public IReadOnlyList<PresenceChange>? Apply(PeopleChanged digest, string? me)
    {
        // This tab's own person leaving is no news here (this tab is online), so the result is this tab's own.
        foreach (var change in digest.Changes)
        {
            if (!change.Online && change.Person.UserId == me)
                return Apply(digest.Changes, me);
        }
        var (roster, news) = Made.GetValue(digest, static _ => new Transitions()).From(_roster, digest.Changes);
        _roster = roster;
        return news;
    }

    /// <summary>
    /// Applies arrivals and departures in order. Returns those that were news, in order: an arrival of someone not
    /// listed, a departure of someone listed other than <paramref name="me"/> (this tab is online, so its person is).
    /// </summary>
    public IReadOnlyList<PresenceChange>? Apply(IReadOnlyList<PresenceChange> changes, string? me)
    {
        var (roster, news) = _roster.With(changes, me);
        _roster = roster;
        return news;
    }

    /// <summary>Who is listed: the people by name and their ids, never changed once made.</summary>
    public sealed class Roster
    {
        public static readonly Roster Empty = new([], new HashSet<string>(StringComparer.Ordinal));

        private Roster(List<Person> people, HashSet<string> ids)
        {
            People = people;
            Ids = ids;
        }

        public IReadOnlyList<Person> People { get; }

        public IReadOnlySet<string> Ids { get; }

        public static Roster From(IEnumerable<Person> people)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<Person>();
            foreach (var person in people)
            {
                if (ids.Add(person.UserId))
                    list.Add(person);
            }
            // Stable: people of the same name keep the order they came in. A welcome's list comes in order: one pass tells.
            return new Roster(PeopleOrder.Stably(list, ByName), ids);
        }

        /// <summary>This roster after <paramref name="changes"/>, and those of them that were news (null: none).</summary>
        public (Roster Roster, IReadOnlyList<PresenceChange>? News) With(IReadOnlyList<PresenceChange> changes, string? me)
        {
            List<PresenceChange>? news = null;
            Dictionary<string, (bool Before, bool Now, Person Person)>? touched = null; // each person touched
            foreach (var change in changes)
            {
                var id = change.Person.UserId;
                var listed = touched is not null && touched.TryGetValue(id, out var seen) ? seen.Now : Ids.Contains(id);
                var isNews = change.Online ? !listed : listed && id != me;
                if (!isNews)
                    continue;
                touched ??= new(StringComparer.Ordinal);
                touched[id] = (touched.TryGetValue(id, out var was) ? was.Before : listed, change.Online, change.Person);
                (news ??= []).Add(change);
            }
            if (touched is null)
                return (this, null);
            HashSet<string>? gone = null;
            List<Person>? came = null;
            foreach (var (id, (before, now, person)) in touched)
            {
                if (before && !now)
                    (gone ??= new(StringComparer.Ordinal)).Add(id);
                else if (!before && now)
                    (came ??= []).Add(person);
            }
            if (gone is null && came is null)
                return (this, news); // each came and went again: news, and the same people listed
            var ids = new HashSet<string>(Ids, StringComparer.Ordinal);
            if (gone is not null)
                ids.ExceptWith(gone);
            if (came is not null)
            {
                foreach (var person in came)
                    ids.Add(person.UserId);
            }
            return (new Roster(Merge(People, gone, came), ids), news);
        }

        /// <summary>Whether <paramref name="other"/> lists the same people (the same objects) in the same order.</summary>
        public bool SamePeopleAs(Roster other)
        {
            if (ReferenceEquals(this, other))
                return true;
            if (other.People.Count != People.Count)
                return false;
            for (var i = 0; i < People.Count; i++)
            {
                if (!ReferenceEquals(People[i], other.People[i]) && People[i] != other.People[i])
                    return false;
            }
            return true;
        }

        // The old list without those gone, with those who came sorted among themselves and merged in: one pass.
        private static List<Person> Merge(IReadOnlyList<Person> old, HashSet<string>? gone, List<Person>? came)
        {
            if (came is not null)
                came = [.. came.Order(ByName)];
            var merged = new List<Person>(old.Count + (came?.Count ?? 0) - (gone?.Count ?? 0));
            var next = 0;
            foreach (var person in old)
            {
                if (gone is not null && gone.Contains(person.UserId))
                    continue;
                while (came is not null && next < came.Count && ByName.Compare(came[next], person) < 0)
                    merged.Add(came[next++]);
                merged.Add(person);
            }
            while (came is not null && next < came.Count)
                merged.Add(came[next++]);
            return merged;
        }
    }

    // What one digest made of the rosters it was applied to. Tabs welcomed at different moments list equal people in
    // different rosters; after a digest, those whose results are equal share one (the first made), so from the next
    // digest on they all find their roster here.
    private sealed class Transitions
    {
        private readonly Lock _gate = new();
        private readonly List<(Roster Before, Roster After, IReadOnlyList<PresenceChange>? News)> _made = [];

        public (Roster Roster, IReadOnlyList<PresenceChange>? News) From(Roster before, IReadOnlyList<PresenceChange> changes)
        {
            lock (_gate)
            {
                foreach (var made in _made)
                {
                    if (ReferenceEquals(made.Before, before))
                        return (made.After, made.News);
                }
                var (after, news) = before.With(changes, me: null);
                foreach (var made in _made)
                {
                    if (made.After.SamePeopleAs(after))
                    {
                        after = made.After;
                        break;
                    }
                }
                _made.Add((before, after, news));
                return (after, news);
            }
        }
    }
}
