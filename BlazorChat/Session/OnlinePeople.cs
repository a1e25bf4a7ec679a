using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// The people a tab lists as online, ordered by name ignoring case, with their ids at hand: arrivals and departures
/// change it in one pass (the arrivals sorted among themselves, then merged in), not by sorting everyone again. In a
/// namespace of a thousand, every tab applies every digest of who came and went; re-sorting a thousand people in each
/// tab for each digest was most of the cost of a burst of arrivals.
/// </summary>
public sealed class OnlinePeople
{
    private static readonly IComparer<Person> ByName =
        Comparer<Person>.Create((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.DisplayName, b.DisplayName));

    // Ids only (the people are in List): a thousand people online cost each tab 31 KB here, not 46 KB.
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    /// <summary>Everyone listed, by name. A new list after every change: a renderer holding the old one sees it changed.</summary>
    public IReadOnlyList<Person> List { get; private set; } = [];

    public int Count => _ids.Count;

    public bool Contains(string userId) => _ids.Contains(userId);

    /// <summary>Lists exactly <paramref name="people"/> (a welcome, or nobody).</summary>
    public void Reset(IEnumerable<Person> people)
    {
        _ids.Clear();
        var list = new List<Person>();
        foreach (var person in people)
        {
            if (_ids.Add(person.UserId))
                list.Add(person);
        }
        List = [.. list.Order(ByName)]; // stable: people of the same name keep the order they came in

    }

    /// <summary>
    /// Applies arrivals and departures in order. Returns those that were news, in order: an arrival of someone not
    /// listed, a departure of someone listed other than <paramref name="me"/> (this tab is online, so its person is).
    /// </summary>
    public List<PresenceChange>? Apply(IReadOnlyList<PresenceChange> changes, string? me)
    {
        List<PresenceChange>? news = null;
        Dictionary<string, (bool Before, Person Person)>? touched = null; // each person touched: listed before these changes?
        foreach (var change in changes)
        {
            var id = change.Person.UserId;
            var listed = _ids.Contains(id);
            var isNews = change.Online ? !listed : listed && id != me;
            if (!isNews)
                continue;
            touched ??= new(StringComparer.Ordinal);
            touched[id] = (touched.TryGetValue(id, out var was) ? was.Before : listed, change.Person);
            if (change.Online)
                _ids.Add(id);
            else
                _ids.Remove(id);
            (news ??= []).Add(change);
        }
        if (touched is null)
            return null;
        HashSet<string>? gone = null;
        List<Person>? came = null;
        foreach (var (id, (before, person)) in touched)
        {
            var now = _ids.Contains(id);
            if (before && !now)
                (gone ??= new(StringComparer.Ordinal)).Add(id);
            else if (!before && now)
                (came ??= []).Add(person);
        }
        List = Merge(List, gone, came);
        return news;
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
