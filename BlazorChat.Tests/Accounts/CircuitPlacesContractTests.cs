using BlazorChat.Accounts;

namespace BlazorChat.Tests.Accounts;

/// <summary>
/// What every engine of the cap on a person's tabs (<see cref="ICircuitPlaces"/>) does: the in-memory one of a single
/// node and PostgreSQL's for a cluster pass these same tests. <see cref="CreateAsync"/> gives a node's places; the
/// engines that span nodes give another node's on the same people with <see cref="CreateOtherNodeAsync"/>.
/// </summary>
public abstract class CircuitPlacesContractTests : IAsyncLifetime
{
    private ICircuitPlaces? _first;

    /// <summary>A node's places, with a cap of <paramref name="max"/> tabs per person.</summary>
    protected abstract Task<ICircuitPlaces> CreateAsync(int max);

    /// <summary>Another node's places on the same people, or the first node's again where the engine has one node.</summary>
    protected virtual Task<ICircuitPlaces> CreateOtherNodeAsync(int max) => Task.FromResult(_first!);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => CleanUpAsync();

    private async Task<ICircuitPlaces> NodeAsync(int max) => _first = await CreateAsync(max);

    [Fact]
    public async Task TryTake_CountsPerPerson_UpToTheCap()
    {
        var places = await NodeAsync(2);

        Assert.True(await places.TryTakeAsync("ada"));
        Assert.True(await places.TryTakeAsync("ada"));
        Assert.False(await places.TryTakeAsync("ada"));
        Assert.True(await places.TryTakeAsync("bob"));
    }

    [Fact]
    public async Task Release_FreesAPlace_AndAReleaseTooManyTakesNothingAway()
    {
        var places = await NodeAsync(1);
        Assert.True(await places.TryTakeAsync("ada"));

        await places.ReleaseAsync("ada");
        await places.ReleaseAsync("ada");
        await places.ReleaseAsync("bob");

        Assert.True(await places.TryTakeAsync("ada"));
        Assert.False(await places.TryTakeAsync("ada"));
    }

    [Fact]
    public async Task DefaultCap_IsFive_WithTheMessageThatSaysSo()
    {
        var places = await NodeAsync(new AccountOptions().MaxCircuitsPerPerson);

        for (var i = 0; i < 5; i++)
            Assert.True(await places.TryTakeAsync("ada"));

        Assert.False(await places.TryTakeAsync("ada"));
        Assert.Equal(5, places.Max);
        Assert.Equal("You already have 5 BlazorChat tabs open. Close one to chat here.", CircuitPlaceRefusal.For(places.Max));
    }

    [Fact]
    public async Task ACapBelowOne_IsOne_WithTheMessageForOneTab()
    {
        var places = await NodeAsync(0);

        Assert.True(await places.TryTakeAsync("ada"));
        Assert.False(await places.TryTakeAsync("ada"));
        Assert.Equal("You already have a BlazorChat tab open. Close it to chat here.", CircuitPlaceRefusal.For(places.Max));
    }

    [Fact]
    public async Task TheCap_CountsAPersonsTabsOnEveryNode()
    {
        var node = await NodeAsync(3);
        var other = await CreateOtherNodeAsync(3);

        Assert.True(await node.TryTakeAsync("ada"));
        Assert.True(await other.TryTakeAsync("ada"));
        Assert.True(await node.TryTakeAsync("ada"));
        Assert.False(await other.TryTakeAsync("ada"));
        Assert.False(await node.TryTakeAsync("ada"));

        await other.ReleaseAsync("ada");

        Assert.True(await node.TryTakeAsync("ada"));
        Assert.False(await other.TryTakeAsync("ada"));
    }
}

public sealed class InMemoryCircuitPlacesTests : CircuitPlacesContractTests
{
    protected override Task<ICircuitPlaces> CreateAsync(int max) =>
        Task.FromResult<ICircuitPlaces>(new InMemoryCircuitPlaces(new FixedOptionsMonitor<AccountOptions>(new AccountOptions { MaxCircuitsPerPerson = max })));
}
