using BlazorChat.Moderation;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// What every <see cref="IMuteStore"/> promises: mutes per person and scope, replaced, ended, expiring, checked, listed; and
/// the bans kept in it (<see cref="BanStore"/>): timed or until lifted, replaced, lifted, never taken for a mute.
/// </summary>
public abstract class MuteStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 5, 11, 0, 0, 250, TimeSpan.Zero);
    private const string Room = "/#p.0123456789abcdefABCDEF";

    private IMuteStore? _store;

    protected IMuteStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    protected BanStore Bans => new(Store);

    protected abstract Task<IMuteStore> CreateStoreAsync();

    protected abstract Task CleanUpAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => CleanUpAsync();

    protected static Mute MuteOf(string userId, TimeSpan left, string scope = Mute.Everywhere, string reason = "spam") =>
        new(userId, scope, Now + left, reason, "admin-1");

    [Fact]
    public async Task Set_MutesUntilTheEnd_ThenNoLonger()
    {
        var mute = MuteOf("bob", TimeSpan.FromMinutes(10));

        await Store.SetAsync(mute);

        Assert.Equal([mute], await Store.ActiveAsync("bob", Now));
        Assert.Equal([mute], await Store.ActiveAsync("bob", mute.Until.AddMilliseconds(-1)));
        Assert.Empty(await Store.ActiveAsync("bob", mute.Until));
        Assert.Empty(await Store.ActiveAsync("carol", Now));
    }

    [Fact]
    public async Task Set_AgainInTheSameScope_ReplacesTheMute_AndScopesAreSeparate()
    {
        await Store.SetAsync(MuteOf("bob", TimeSpan.FromMinutes(10)));
        var longer = MuteOf("bob", TimeSpan.FromHours(1), reason: "again");
        var inRoom = MuteOf("bob", TimeSpan.FromMinutes(5), Room);

        await Store.SetAsync(longer);
        await Store.SetAsync(inRoom);

        Assert.Equal([longer, inRoom], await Store.ActiveAsync("bob", Now));
    }

    [Fact]
    public async Task Remove_EndsTheMuteOfThatScopeOnly_AndSaysWhetherThereWasOne()
    {
        await Store.SetAsync(MuteOf("bob", TimeSpan.FromMinutes(10)));
        var inRoom = MuteOf("bob", TimeSpan.FromMinutes(5), Room);
        await Store.SetAsync(inRoom);

        Assert.True(await Store.RemoveAsync("bob", Mute.Everywhere));
        Assert.False(await Store.RemoveAsync("bob", Mute.Everywhere));

        Assert.Equal([inRoom], await Store.ActiveAsync("bob", Now));
    }

    [Fact]
    public async Task ListActive_ReturnsEveryonesMutesThatHold_BansFirst_ThenByScopeEndAndPerson_UpToTheCount()
    {
        var ban = MuteOf("zed", TimeSpan.FromDays(9), Ban.Scope);
        var carolSoon = MuteOf("carol", TimeSpan.FromMinutes(5));
        var bobLater = MuteOf("bob", TimeSpan.FromMinutes(50));
        var aliceInRoom = MuteOf("alice", TimeSpan.FromMinutes(1), Room);
        foreach (var mute in new[] { bobLater, aliceInRoom, ban, carolSoon, MuteOf("ended", TimeSpan.Zero) })
            await Store.SetAsync(mute);

        Assert.Equal([ban, carolSoon, bobLater, aliceInRoom], await Store.ListActiveAsync(Now, 10));
        Assert.Equal([ban, carolSoon], await Store.ListActiveAsync(Now, 2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListActiveAsync(Now, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListActiveAsync(Now, IMuteStore.MaxPage + 1));
    }

    [Theory]
    [InlineData("", Mute.Everywhere)]
    [InlineData("bob", " ")]
    public async Task Set_WithoutPersonOrScope_IsRefused_AndStoresNothing(string userId, string scope)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SetAsync(new Mute(userId, scope, Now.AddHours(1), "x", "admin-1")));

        Assert.Empty(await Store.ActiveAsync(userId, Now));
    }

    [Fact]
    public async Task ATimedBan_HoldsUntilItsEnd_ThenNoLonger()
    {
        var ban = new Ban("bob", Now.AddMinutes(30), "spam", "admin-1");

        await Bans.SetAsync(ban);

        Assert.Equal(ban, await Bans.FindAsync("bob", Now));
        Assert.Equal(ban, await Bans.FindAsync("bob", ban.Until!.Value.AddMilliseconds(-1)));
        Assert.Null(await Bans.FindAsync("bob", ban.Until!.Value));
        Assert.Null(await Bans.FindAsync("carol", Now));
    }

    [Fact]
    public async Task ABanUntilLifted_HoldsForYears_AndComesBackWithoutAnEnd()
    {
        var ban = new Ban("guest-0a1b", null, "ban evasion 🙃", "admin-1");

        await Bans.SetAsync(ban);

        Assert.Equal(ban, await Bans.FindAsync("guest-0a1b", Now.AddYears(500)));
        Assert.Equal([ban], await Bans.ActiveAsync(Now, 10));
    }

    [Fact]
    public async Task ABanSetAgain_ReplacesTheBan_AndRemove_LiftsIt_SayingWhetherThereWasOne()
    {
        await Bans.SetAsync(new Ban("bob", Now.AddMinutes(30), "spam", "admin-1"));
        var forever = new Ban("bob", null, "again", "admin-2");

        await Bans.SetAsync(forever);
        Assert.Equal([forever], await Bans.ActiveAsync(Now, 10));

        Assert.True(await Bans.RemoveAsync("bob"));
        Assert.False(await Bans.RemoveAsync("bob"));
        Assert.Null(await Bans.FindAsync("bob", Now));
    }

    [Fact]
    public async Task ABan_IsNotAMute_NorAMuteABan_AndLiftingOneLeavesTheOther()
    {
        var mute = new Mute("bob", Mute.Everywhere, Now.AddMinutes(10), "loud", "admin-1");
        await Store.SetAsync(mute);
        Assert.Null(await Bans.FindAsync("bob", Now));

        var ban = new Ban("bob", null, "spam", "admin-1");
        await Bans.SetAsync(ban);
        Assert.True(await Bans.RemoveAsync("bob"));

        Assert.Equal([mute], await Store.ActiveAsync("bob", Now));
        Assert.Empty(await Bans.ActiveAsync(Now, 10));
    }

    [Fact]
    public async Task ABanWithoutAPerson_IsRefused_AndStoresNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Bans.SetAsync(new Ban(" ", null, "x", "admin-1")));

        Assert.Empty(await Bans.ActiveAsync(Now, 10));
    }
}

/// <summary>The mute store contract against SQLite, in the message store's file (a fresh one per test).</summary>
public sealed class SqliteMuteStoreContractTests : MuteStoreContractTests
{
    private readonly TempDatabaseFolder _folder = new();
    private BlazorChat.Persistence.Sqlite.SqliteMessageStore? _messages;

    protected override Task<IMuteStore> CreateStoreAsync()
    {
        _messages = new BlazorChat.Persistence.Sqlite.SqliteMessageStore(_folder.DatabasePath, maxBatch: 256,
            NullLogger<BlazorChat.Persistence.Sqlite.SqliteMessageStore>.Instance);
        return Task.FromResult<IMuteStore>(new BlazorChat.Persistence.Sqlite.SqliteMuteStore(_messages));
    }

    protected override async Task CleanUpAsync()
    {
        if (_messages is not null)
            await _messages.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task MutesAndBans_SurviveARestartOfTheStore()
    {
        var mute = MuteOf("bob", TimeSpan.FromMinutes(10));
        await Store.SetAsync(mute);
        var ban = new Ban("carol", null, "spam", "admin-1");
        await Bans.SetAsync(ban);
        await _messages!.DisposeAsync();

        await using var reopened = new BlazorChat.Persistence.Sqlite.SqliteMessageStore(_folder.DatabasePath, maxBatch: 256,
            NullLogger<BlazorChat.Persistence.Sqlite.SqliteMessageStore>.Instance);

        var store = new BlazorChat.Persistence.Sqlite.SqliteMuteStore(reopened);
        Assert.Equal([mute], await store.ActiveAsync("bob", Now));
        Assert.Equal(ban, await new BanStore(store).FindAsync("carol", Now));
    }
}

/// <summary>The mute store contract against PostgreSQL, on a database of its own per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMuteStoreContractTests(PostgresServer server) : MuteStoreContractTests
{
    private PostgresNode? _node;

    protected override async Task<IMuteStore> CreateStoreAsync() => (_node = await PostgresNode.OnNewDatabaseAsync(server)).Mutes;

    protected override async Task CleanUpAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
    }
}
