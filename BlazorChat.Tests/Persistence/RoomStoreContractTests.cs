using BlazorChat.Persistence;

namespace BlazorChat.Tests.Persistence;

/// <summary>
/// What every <see cref="IRoomStore"/> promises (the later PostgreSQL store subclasses this too): memberships per
/// namespace and person, private rooms created once with their owner, nothing shared between namespaces.
/// </summary>
public abstract class RoomStoreContractTests : IAsyncLifetime
{
    protected const string Ns = "/";
    private const string PrivateId = "p.0123456789abcdefABCDEF";
    private static readonly DateTimeOffset At = new(2025, 3, 14, 15, 9, 26, TimeSpan.Zero);

    private IRoomStore? _store;

    protected IRoomStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IRoomStore> CreateStoreAsync();

    /// <summary>Releases whatever <see cref="CreateStoreAsync"/> made.</summary>
    protected abstract Task CleanUpAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => CleanUpAsync();

    private static StoredRoom Room(string id = PrivateId, string ns = Ns) => new(ns, id, "secret-plans", "alice", At);

    [Fact]
    public async Task CreatePrivateRoom_StoresItsTitleAndOwner_AndTheOwnerIsItsFirstMember()
    {
        await Store.CreatePrivateRoomAsync(Room(), new RoomMember("alice", "Alice"));

        Assert.Equal(Room(), await Store.FindPrivateRoomAsync(Ns, PrivateId));
        Assert.Equal([new RoomMember("alice", "Alice")], await Store.MembersOfAsync(Ns, PrivateId));
        Assert.True(await Store.IsMemberAsync(Ns, PrivateId, "alice"));
    }

    [Fact]
    public async Task CreatePrivateRoom_WithAnIdAlreadyTaken_IsRefused_AndChangesNothing()
    {
        await Store.CreatePrivateRoomAsync(Room(), new RoomMember("alice", "Alice"));

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.CreatePrivateRoomAsync(Room() with { Title = "other", OwnerId = "mallory" }, new RoomMember("mallory", "Mallory")));

        Assert.Equal(Room(), await Store.FindPrivateRoomAsync(Ns, PrivateId));
        Assert.False(await Store.IsMemberAsync(Ns, PrivateId, "mallory"));
    }

    [Fact]
    public async Task FindPrivateRoom_UnknownIdOrOtherNamespace_IsNull()
    {
        await Store.CreatePrivateRoomAsync(Room(), new RoomMember("alice", "Alice"));

        Assert.Null(await Store.FindPrivateRoomAsync(Ns, "p.forged"));
        Assert.Null(await Store.FindPrivateRoomAsync("/tenant-acme", PrivateId));
    }

    [Fact]
    public async Task SetOwner_ChangesTheOwner_OfAnExistingRoomOnly()
    {
        await Store.CreatePrivateRoomAsync(Room(), new RoomMember("alice", "Alice"));

        Assert.True(await Store.SetOwnerAsync(Ns, PrivateId, "bob"));
        Assert.False(await Store.SetOwnerAsync(Ns, "p.forged", "bob"));

        Assert.Equal("bob", (await Store.FindPrivateRoomAsync(Ns, PrivateId))!.OwnerId);
    }

    [Fact]
    public async Task AddMember_SaysWhetherTheyWereNew_AndRefreshesTheirName()
    {
        Assert.True(await Store.AddMemberAsync(Ns, "design", new RoomMember("bob", "Bob")));
        Assert.False(await Store.AddMemberAsync(Ns, "design", new RoomMember("bob", "Bobby")));

        Assert.Equal([new RoomMember("bob", "Bobby")], await Store.MembersOfAsync(Ns, "design"));
    }

    [Fact]
    public async Task RemoveMember_EndsTheMembership_AndSaysWhetherThereWasOne()
    {
        await Store.AddMemberAsync(Ns, "design", new RoomMember("bob", "Bob"));

        Assert.True(await Store.RemoveMemberAsync(Ns, "design", "bob"));
        Assert.False(await Store.RemoveMemberAsync(Ns, "design", "bob"));
        Assert.False(await Store.IsMemberAsync(Ns, "design", "bob"));
        Assert.Empty(await Store.MembersOfAsync(Ns, "design"));
    }

    [Fact]
    public async Task RoomsOf_ListsAPersonsRoomsInOneNamespaceOnly_Ordered()
    {
        await Store.AddMemberAsync(Ns, "random", new RoomMember("bob", "Bob"));
        await Store.AddMemberAsync(Ns, "design", new RoomMember("bob", "Bob"));
        await Store.AddMemberAsync("/tenant-acme", "elsewhere", new RoomMember("bob", "Bob"));
        await Store.AddMemberAsync(Ns, "design", new RoomMember("carol", "Carol"));

        Assert.Equal(["design", "random"], await Store.RoomsOfAsync(Ns, "bob"));
        Assert.Equal(["elsewhere"], await Store.RoomsOfAsync("/tenant-acme", "bob"));
        Assert.Empty(await Store.RoomsOfAsync(Ns, "dave"));
    }

    [Fact]
    public async Task Memberships_OfTheSameRoomName_InTwoNamespaces_AreSeparate()
    {
        await Store.AddMemberAsync(Ns, "design", new RoomMember("bob", "Bob"));

        Assert.False(await Store.IsMemberAsync("/tenant-acme", "design", "bob"));
        Assert.Empty(await Store.MembersOfAsync("/tenant-acme", "design"));
    }
}
