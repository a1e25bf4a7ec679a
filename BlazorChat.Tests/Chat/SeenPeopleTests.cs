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
    public async Task ManyThreadsRemembering_NeverKeepMoreThanTheCapacityForLong()
    {
        var seen = new SeenPeople(capacity: 100);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
                seen.Remember($"{t}-{i}", "x");
        })));

        Assert.InRange(seen.Count, 1, 100);
    }
}
