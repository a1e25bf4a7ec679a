using BlazorChat.Realtime.Adapters;
using BlazorChat.Tests.Realtime.Core.Support;

namespace BlazorChat.Tests.Realtime.Core;

/// <summary>What the in-process adapter does beyond the contract: how much a fetch copies.</summary>
public sealed class InMemoryAdapterTests
{
    [Fact]
    public async Task Fetches_ShareEachConnectionsRoomSet_UntilItsRoomsChange()
    {
        await using var node = new FakeNode(new InMemoryAdapterFactory());
        var ada = await node.ConnectAsync("c.ada", "user-ada", "general");
        await node.ConnectAsync("c.bob", "user-bob", "general");

        var first = await node.Adapter.FetchConnectionsAsync(BroadcastOptions.Everyone);
        var second = await node.Adapter.FetchConnectionsAsync(BroadcastOptions.Everyone);

        // Every welcome fetches every connection: unchanged rooms are one copy, not one per fetch.
        Assert.Same(first.Single(c => c.Id == "c.bob").Rooms, second.Single(c => c.Id == "c.bob").Rooms);
        Assert.Same(node.Adapter.RoomsOf("c.ada"), second.Single(c => c.Id == "c.ada").Rooms);

        await node.Adapter.AddToRoomsAsync(ada.Id, ["random"]);
        var afterJoin = (await node.Adapter.FetchConnectionsAsync(BroadcastOptions.Everyone)).Single(c => c.Id == "c.ada").Rooms;
        await node.Adapter.RemoveFromRoomAsync(ada.Id, "general");
        var afterLeave = node.Adapter.RoomsOf("c.ada");

        Assert.Equal(["c.ada", "general", "random", "user:user-ada"], afterJoin.Order(StringComparer.Ordinal));
        Assert.Equal(["c.ada", "random", "user:user-ada"], afterLeave.Order(StringComparer.Ordinal));
        // A copy handed out never changes afterwards.
        Assert.Equal(["c.ada", "general", "user:user-ada"], first.Single(c => c.Id == "c.ada").Rooms.Order(StringComparer.Ordinal));
    }
}
