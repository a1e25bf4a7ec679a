namespace BlazorChat.Tests.Chat;

/// <summary>
/// Arrivals, departures and room counts told as one digest per window (PresenceDigest): a burst of arrivals reaches each
/// tab already there as a few events, not one per arrival (and per count), still complete and in order.
/// </summary>
public sealed class PresenceDigestTests : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);
    private readonly TestChat _chat = new(presenceWindow: Window);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _chat.DisposeAsync().AsTask();

    [Fact]
    public async Task ABurstOfArrivals_ReachesATabAlreadyThere_AsAFewDigests_WithEveryArrivalInOrder_AndTheCountsAfter()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await ada.Events.WaitForAsync<PeopleChanged>(); // her own arrival: the window starts here

        var people = Enumerable.Range(0, 30).Select(i => new Person($"user-{i:00}", $"P{i:00}")).ToList();
        foreach (var person in people)
            await _chat.ConnectAsync(person.UserId, person.DisplayName);

        var last = await ada.Events.WaitForAsync<PeopleChanged>(d => d.Changes.Any(c => c.Person == people[^1]));
        var digests = ada.Events.OfType<PeopleChanged>().Skip(1).ToList();
        // Connects take a few milliseconds each here: 30 of them fit in a window or two. One event per arrival and one per
        // count (60) before.
        Assert.InRange(digests.Count, 1, 4);
        Assert.Equal(people, digests.SelectMany(d => d.Changes).Select(c => c.Person));
        Assert.All(digests.SelectMany(d => d.Changes), c => Assert.True(c.Online));
        Assert.Equal([new RoomSummary(RoomNames.General, 31)], last.Rooms);
    }

    [Fact]
    public async Task TheFirstChangeAfterAQuietWindow_GoesOutAtOnce_AndWhatFollowsWithinIt_AtItsEnd()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await ada.Events.WaitForAsync<PeopleChanged>();
        await Task.Delay(Window * 2); // quiet

        await _chat.ConnectAsync("user-bob", "Bob");
        // Told while Bob connected: before anything sent to Ada after it (a barrier), not at the window's end.
        await ada.BarrierAsync();
        Assert.Contains(ada.Events.OfType<PersonJoined>(), j => j.Person.UserId == "user-bob");
        var carol = await _chat.ConnectAsync("user-carol", "Carol");
        await carol.DisconnectAsync();
        var left = await ada.Events.WaitForAsync<PeopleChanged>(d => d.Changes.Any(c => c.Person.UserId == "user-carol"));

        // Carol came and went within the window: one digest, in order.
        Assert.Equal([(new Person("user-carol", "Carol"), true), (new Person("user-carol", "Carol"), false)],
            left.Changes.Select(c => (c.Person, c.Online)));
        Assert.Equal([new RoomSummary(RoomNames.General, 2)], left.Rooms);
    }

    [Fact]
    public async Task AnArrivalInTheWindow_IsToldEvenWhenNothingFollowsIt()
    {
        var ada = await _chat.ConnectAsync("user-ada", "Ada");
        await _chat.ConnectAsync("user-bob", "Bob"); // within Ada's window: waits for its end

        var joined = await ada.Events.WaitForAsync<PersonJoined>(j => j.Person.UserId == "user-bob");

        Assert.Equal("Bob", joined.Person.DisplayName);
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(50, 100)]
    [InlineData(100, 200)]
    [InlineData(500, 1_000)]
    [InlineData(1_000, 2_000)]
    [InlineData(100_000, 2_000)]
    public void TheWindow_GrowsWithTheNamespace_WithinItsBounds(int tabs, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), PresenceDigest.WindowFor(tabs, PresenceDigest.MinWindow));

    [Fact]
    public void BelowTheLongestWindow_ANamespacesDigestsMakeAtMost500DeliveriesASecond_WhateverItsSize()
    {
        // A digest reaches every tab: tabs / window deliveries a second while people keep arriving. Bounded, joining a
        // big room stays linear; at 2,000 deliveries a second the renders of the tabs already there were most of it.
        for (var tabs = 1; PresenceDigest.WindowFor(tabs, PresenceDigest.MinWindow) < PresenceDigest.MaxWindow; tabs++)
            Assert.True((long)tabs * TimeSpan.TicksPerSecond <= 500L * PresenceDigest.WindowFor(tabs, PresenceDigest.MinWindow).Ticks,
                $"{tabs} tabs: a digest every {PresenceDigest.WindowFor(tabs, PresenceDigest.MinWindow).TotalMilliseconds} ms");
        Assert.Equal(PresenceDigest.MaxWindow, PresenceDigest.WindowFor(1_000, PresenceDigest.MinWindow));
    }

    [Fact]
    public void NoWindow_TellsEachChangeAtOnce() => Assert.Equal(TimeSpan.Zero, PresenceDigest.WindowFor(1_000, TimeSpan.Zero));
}
