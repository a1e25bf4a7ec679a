using BlazorChat.Moderation;

namespace BlazorChat.Tests.Persistence;

/// <summary>What every <see cref="IMuteStore"/> promises: mutes per person and scope, replaced, ended, expiring, checked.</summary>
public abstract class MuteStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 5, 11, 0, 0, 250, TimeSpan.Zero);
    private const string Room = "/#p.0123456789abcdefABCDEF";

    private IMuteStore? _store;

    protected IMuteStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

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
    public async Task Mutes_SurviveARestartOfTheStore()
    {
        var mute = MuteOf("bob", TimeSpan.FromMinutes(10));
        await Store.SetAsync(mute);
        await _messages!.DisposeAsync();

        await using var reopened = new BlazorChat.Persistence.Sqlite.SqliteMessageStore(_folder.DatabasePath, maxBatch: 256,
            NullLogger<BlazorChat.Persistence.Sqlite.SqliteMessageStore>.Instance);

        Assert.Equal([mute], await new BlazorChat.Persistence.Sqlite.SqliteMuteStore(reopened).ActiveAsync("bob", Now));
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
