namespace BlazorChat.Tests.Chat;

public sealed class PersonCacheTests
{
    [Fact]
    public void SameIdAndName_IsTheSameObject_ARenameANewOne()
    {
        var cache = new PersonCache();

        var ada = cache.Of("user-ada", "Ada");

        Assert.Same(ada, cache.Of("user-ada", "Ada"));
        var renamed = cache.Of("user-ada", "Ada L.");
        Assert.NotSame(ada, renamed);
        Assert.Equal(new Person("user-ada", "Ada L."), renamed);
        Assert.Same(renamed, cache.Of("user-ada", "Ada L."));
    }

    [Fact]
    public void PeopleNobodyHolds_AreSweptOut()
    {
        var cache = new PersonCache();
        AddPeopleNobodyKeeps(cache, PersonCache.SweepEvery - 1);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var kept = cache.Of("user-last", "Last"); // the add that sweeps

        Assert.InRange(cache.Count, 1, 100);
        Assert.Same(kept, cache.Of("user-last", "Last"));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddPeopleNobodyKeeps(PersonCache cache, int count)
    {
        for (var i = 0; i < count; i++)
            cache.Of($"user-{i}", $"Person {i}");
    }
}
