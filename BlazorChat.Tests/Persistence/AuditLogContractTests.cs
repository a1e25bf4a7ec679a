using BlazorChat.Moderation;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// What every <see cref="IAuditLog"/> promises: entries kept as given (to the millisecond), newest first, filtered by
/// actor, action and target, one row per entry id, and bad input refused with nothing stored.
/// </summary>
public abstract class AuditLogContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 11, 0, 0, 123, TimeSpan.Zero);

    private IAuditLog? _log;

    protected IAuditLog Log => _log ?? throw new InvalidOperationException("The log is made in InitializeAsync.");

    /// <summary>A new, empty log.</summary>
    protected abstract Task<IAuditLog> CreateLogAsync();

    /// <summary>Releases whatever <see cref="CreateLogAsync"/> made.</summary>
    protected abstract Task CleanUpAsync();

    public async Task InitializeAsync() => _log = await CreateLogAsync();

    public Task DisposeAsync() => CleanUpAsync();

    private static AuditEntry Entry(int minute, string actor = "admin-1", string action = AuditActions.Mute, string target = "bob",
        string reason = "spam") =>
        new(Guid.NewGuid(), At.AddMinutes(minute), actor, "Ada <b>Admin</b>", action, target, reason);

    [Fact]
    public async Task Append_KeepsEveryField_AsGiven()
    {
        var entry = Entry(0) with { Reason = "flooding #general 🙃" };

        await Log.AppendAsync(entry);

        Assert.Equal([entry], await Log.RecentAsync(10, AuditFilter.All));
    }

    [Fact]
    public async Task Recent_ReturnsTheLatestEntries_NewestFirst_UpToTheCount()
    {
        var entries = Enumerable.Range(0, 5).Select(minute => Entry(minute)).ToList();
        foreach (var entry in entries)
            await Log.AppendAsync(entry);

        Assert.Equal([entries[4], entries[3], entries[2]], await Log.RecentAsync(3, AuditFilter.All));
    }

    [Fact]
    public async Task Recent_OrdersByWhenRecorded_NotByTheEntrysTime()
    {
        var late = Entry(10);
        var early = Entry(0);
        await Log.AppendAsync(late);
        await Log.AppendAsync(early);

        Assert.Equal([early, late], await Log.RecentAsync(10, AuditFilter.All));
    }

    [Fact]
    public async Task Recent_FiltersByActorActionAndTarget_AndTheirCombination()
    {
        var muteBob = Entry(0);
        var banBob = Entry(1, action: AuditActions.Ban);
        var muteCarol = Entry(2, target: "carol");
        var otherMutesBob = Entry(3, actor: "admin-2");
        foreach (var entry in new[] { muteBob, banBob, muteCarol, otherMutesBob })
            await Log.AppendAsync(entry);

        Assert.Equal([otherMutesBob, banBob, muteBob], await Log.RecentAsync(10, new AuditFilter(Target: "bob")));
        Assert.Equal([banBob], await Log.RecentAsync(10, new AuditFilter(Action: AuditActions.Ban)));
        Assert.Equal([otherMutesBob], await Log.RecentAsync(10, new AuditFilter(ActorId: "admin-2")));
        Assert.Equal([muteBob], await Log.RecentAsync(10, new AuditFilter("admin-1", AuditActions.Mute, "bob")));
        Assert.Empty(await Log.RecentAsync(10, new AuditFilter(Target: "Bob")));
    }

    [Fact]
    public async Task Append_TheSameEntryTwice_KeepsOne()
    {
        var entry = Entry(0);

        await Log.AppendAsync(entry);
        await Log.AppendAsync(entry);

        Assert.Equal([entry], await Log.RecentAsync(10, AuditFilter.All));
    }

    [Theory]
    [InlineData("", AuditActions.Ban, "bob")]
    [InlineData("admin-1", " ", "bob")]
    [InlineData("admin-1", AuditActions.Ban, "")]
    public async Task Append_WithoutActorActionOrTarget_IsRefused_AndStoresNothing(string actor, string action, string target)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Log.AppendAsync(Entry(0, actor, action, target)));

        Assert.Contains("nothing was stored", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Log.RecentAsync(10, AuditFilter.All));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(IAuditLog.MaxPage + 1)]
    public async Task Recent_WithACountOutOfRange_IsRefused(int count) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.RecentAsync(count, AuditFilter.All));
}
