using BlazorChat.Moderation;
using BlazorChat.Persistence.Sqlite;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// What the <see cref="BanStore"/> promises on every engine's mute store: a ban per person, timed or until lifted, replaced,
/// lifted, expiring, never taken for a mute (nor a mute for a ban), and listed.
/// </summary>
public abstract class BanStoreContractTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 11, 0, 0, 250, TimeSpan.Zero);

    private IMuteStore? _mutes;

    protected IMuteStore Mutes => _mutes ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    protected BanStore Bans => new(Mutes);

    /// <summary>A new, empty mute store.</summary>
    protected abstract Task<IMuteStore> CreateStoreAsync();

    protected abstract Task CleanUpAsync();

    public async Task InitializeAsync() => _mutes = await CreateStoreAsync();

    public Task DisposeAsync() => CleanUpAsync();

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
    public async Task Set_Again_ReplacesTheBan_AndRemove_LiftsIt_SayingWhetherThereWasOne()
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
        await Mutes.SetAsync(mute);
        Assert.Null(await Bans.FindAsync("bob", Now));

        var ban = new Ban("bob", null, "spam", "admin-1");
        await Bans.SetAsync(ban);
        Assert.True(await Bans.RemoveAsync("bob"));

        Assert.Equal([mute], await Mutes.ActiveAsync("bob", Now));
        Assert.Empty(await Bans.ActiveAsync(Now, 10));
    }

    [Fact]
    public async Task Set_WithoutAPerson_IsRefused_AndStoresNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Bans.SetAsync(new Ban(" ", null, "x", "admin-1")));

        Assert.Empty(await Bans.ActiveAsync(Now, 10));
    }
}

/// <summary>The ban store contract on SQLite, in the message store's file (a fresh one per test).</summary>
public sealed class SqliteBanStoreContractTests : BanStoreContractTests
{
    private readonly TempDatabaseFolder _folder = new();
    private SqliteMessageStore? _messages;

    protected override Task<IMuteStore> CreateStoreAsync()
    {
        _messages = new SqliteMessageStore(_folder.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance);
        return Task.FromResult<IMuteStore>(new SqliteMuteStore(_messages));
    }

    protected override async Task CleanUpAsync()
    {
        if (_messages is not null)
            await _messages.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Bans_SurviveARestartOfTheStore()
    {
        var ban = new Ban("bob", null, "spam", "admin-1");
        await Bans.SetAsync(ban);
        await _messages!.DisposeAsync();

        await using var reopened = new SqliteMessageStore(_folder.DatabasePath, maxBatch: 256, NullLogger<SqliteMessageStore>.Instance);

        Assert.Equal(ban, await new BanStore(new SqliteMuteStore(reopened)).FindAsync("bob", DateTimeOffset.UtcNow));
    }
}

/// <summary>The ban store contract on PostgreSQL, on a database of its own per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresBanStoreContractTests(PostgresServer server) : BanStoreContractTests
{
    private PostgresNode? _node;

    protected override async Task<IMuteStore> CreateStoreAsync() => (_node = await PostgresNode.OnNewDatabaseAsync(server)).Mutes;

    protected override async Task CleanUpAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
    }
}
