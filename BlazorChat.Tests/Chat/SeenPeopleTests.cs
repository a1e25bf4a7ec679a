namespace BlazorChat.Tests.Chat;

public sealed class SeenPeopleTests
{
    [Fact]
    public void PastItsCapacity_ItForgetsTheFirstSeen_AndKeepsTheLatest()
    {
        var seen = new SeenPeople(capacity: 3);

        foreach (var id in new[] { "a", "b", "c", "d", "e" })
            seen.Remember(id, id.ToUpperInvariant());

        Assert.Equal(3, seen.Count);
        Assert.False(seen.TryGet("a", out _));
        Assert.False(seen.TryGet("b", out _));
        Assert.True(seen.TryGet("e", out var name));
        Assert.Equal("E", name);
    }

    [Fact]
    public void SeenAgain_UnderANewName_KeepsOneEntryWithTheNewName()
    {
        var seen = new SeenPeople(capacity: 2);

        seen.Remember("a", "Ada");
        seen.Remember("a", "Ada L.");
        seen.Remember("b", "Bob");

        Assert.Equal(2, seen.Count);
        Assert.True(seen.TryGet("a", out var name));
        Assert.Equal("Ada L.", name);
    }

    [Fact]
    public void SeenAgain_CountsAsRecent_SoTheOneSeenLongestAgoIsForgottenFirst()
    {
        var seen = new SeenPeople(capacity: 2);

        seen.Remember("a", "Ada");
        seen.Remember("b", "Bob");
        seen.Remember("a", "Ada");
        seen.Remember("c", "Cy");

        Assert.True(seen.TryGet("a", out _));
        Assert.False(seen.TryGet("b", out _));
    }

    [Fact]
    public void Search_FindsTheMostRecentlySeenFirst_AndReadsNoFurtherOnceEnoughAreFound()
    {
        var seen = new SeenPeople(capacity: 100);
        foreach (var id in Enumerable.Range(0, 10))
            seen.Remember($"k{id}", $"N{id}");
        var read = 0;

        var found = seen.Search((_, _) => ++read > 0, limit: 3, scanLimit: 100);

        Assert.Equal(["k9", "k8", "k7"], found.Select(f => f.Key));
        Assert.Equal(3, read);
    }

    [Fact]
    public void Search_ForANameNobodyHas_ReadsNoMoreThanItsScanLimit()
    {
        var seen = new SeenPeople(capacity: 1_000);
        foreach (var id in Enumerable.Range(0, 1_000))
            seen.Remember($"k{id}", "x");
        seen.Remember("k0", "the one"); // seen again: the most recent
        var read = 0;

        Assert.Equal(["k0"], seen.Search((_, name) => { read++; return name == "the one"; }, limit: 5, scanLimit: 10).Select(f => f.Key));
        Assert.Equal(10, read);
        Assert.Empty(seen.Search((key, _) => key == "k1", limit: 5, scanLimit: 10));
    }

    [Fact]
    public void Forget_RemovesThePerson_FromLookupsAndSearches()
    {
        var seen = new SeenPeople(capacity: 3);
        seen.Remember("a", "Ada");
        seen.Remember("b", "Bob");

        seen.Forget("a");

        Assert.False(seen.TryGet("a", out _));
        Assert.Equal(["b"], seen.Search((_, _) => true, limit: 5, scanLimit: 5).Select(f => f.Key));
        Assert.Equal(1, seen.Count);
    }

    [Fact]
    public async Task ManyThreadsRemembering_NeverKeepMoreThanTheCapacity()
    {
        var seen = new SeenPeople(capacity: 100);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
                seen.Remember($"{t}-{i}", "x");
        })));

        Assert.Equal(100, seen.Count);
    }
}
