namespace BlazorChat.Tests.Chat;

/// <summary>
/// A welcome's list of everyone, made from the last one: the same list as sorting everyone, without sorting everyone.
/// </summary>
public sealed class PeopleOrderTests
{
    [Fact]
    public void FromTheLastList_IsTheSameAsSortingEveryone_ThroughArrivalsDeparturesAndRenames()
    {
        var random = new Random(12);
        var cache = new PersonCache();
        var now = new Dictionary<string, Person>(StringComparer.Ordinal);
        IReadOnlyList<Person> last = [];
        string[] names = ["Ada", "ada", "Bob", "bob", "Zoë", "Émile", "Chen", "chen", "Ola", "ola", "Yusuf"];
        for (var step = 0; step < 400; step++)
        {
            var id = $"user-{random.Next(60)}";
            var roll = random.Next(3);
            if (roll == 0)
                now.Remove(id);
            else
                now[id] = cache.Of(id, names[random.Next(names.Length)]); // a new person, or a rename (a new object)

            var made = PeopleOrder.Update(last, now, PeopleOrder.ByNameThenId);

            Assert.Equal(now.Values.Order(PeopleOrder.ByNameThenId), made);
            Assert.All(made, p => Assert.Same(now[p.UserId], p));
            last = made;
        }
    }

    [Fact]
    public void OneArrivalAmongAThousand_TakesAFewComparisons_NotASortOfEveryone()
    {
        var now = Enumerable.Range(0, 1_000).Select(i => new Person($"user-{i}", $"Person {i * 7919 % 1_000:D4}"))
            .ToDictionary(p => p.UserId, StringComparer.Ordinal);
        var last = PeopleOrder.Update([], now, PeopleOrder.ByNameThenId);
        now["user-new"] = new Person("user-new", "Person 0500½");
        var counting = new CountingComparer();

        var made = PeopleOrder.Update(last, now, counting);

        Assert.Equal(now.Values.Order(PeopleOrder.ByNameThenId), made);
        Assert.InRange(counting.Count, 1, 40); // sorting the thousand took about 9,000
    }

    [Fact]
    public void Stably_LeavesAListInOrderAsItIs_AndSortsOneThatIsNot_KeepingEqualsInTheirOrder()
    {
        var byName = Comparer<Person>.Create((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.DisplayName, b.DisplayName));
        List<Person> ordered = [new("u1", "Ada"), new("u2", "bob"), new("u3", "Bob"), new("u4", "Chen")];
        List<Person> not = [new("u5", "Chen"), new("u6", "bob"), new("u7", "Ada"), new("u8", "Bob")];

        Assert.Same(ordered, PeopleOrder.Stably(ordered, byName));
        Assert.Equal(["u7", "u6", "u8", "u5"], PeopleOrder.Stably(not, byName).Select(p => p.UserId));
    }

    private sealed class CountingComparer : IComparer<Person>
    {
        public int Count { get; private set; }

        public int Compare(Person? x, Person? y)
        {
            Count++;
            return PeopleOrder.ByNameThenId.Compare(x, y);
        }
    }
}
