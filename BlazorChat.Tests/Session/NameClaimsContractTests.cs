using BlazorChat.Chat;

namespace BlazorChat.Tests.Session;

/// <summary>
/// What every engine of display names (<see cref="INameClaims"/>) does: the in-memory one of a single node and
/// PostgreSQL's for a cluster pass these same tests. <see cref="CreateAsync"/> gives a node's claims; the engines that
/// span nodes give another node's on the same names with <see cref="CreateOtherNodeAsync"/>.
/// </summary>
public abstract class NameClaimsContractTests : IAsyncLifetime
{
    private INameClaims _names = default!;

    protected abstract Task<INameClaims> CreateAsync();

    /// <summary>Another node's claims on the same names, or this node's again where the engine has one node.</summary>
    protected virtual Task<INameClaims> CreateOtherNodeAsync() => Task.FromResult(_names);

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _names = await CreateAsync();

    public Task DisposeAsync() => CleanUpAsync();

    [Theory]
    [InlineData("Ada")]
    [InlineData("ada")]
    [InlineData("ADA")]
    [InlineData("ＡＤＡ")] // full-width
    [InlineData("Аda")] // Cyrillic А: looks the same
    [InlineData("AdA")]
    public async Task Claim_NameAnotherPersonUses_IsRefusedIgnoringCaseWidthAndLookAlikes(string name)
    {
        Assert.Null(await _names.ClaimAsync("user-1", "Ada"));

        var reason = await _names.ClaimAsync("user-2", name);

        Assert.Equal(NameClaimRefusals.Taken(name), reason);
        Assert.Null(await _names.NameOfAsync("user-2"));
        Assert.Equal("Ada", await _names.NameOfAsync("user-1"));
    }

    [Theory]
    [InlineData("Bill", "BiIl")] // capital I for l: the same shape, though not the same letters once folded
    [InlineData("mary", "rnary")]
    [InlineData("J0hn", "JOhn")]
    public async Task Claim_ANameThatLooksLikeAnOnlinePersonsName_IsRefused_EitherWayRound(string online, string impostor)
    {
        Assert.Null(await _names.ClaimAsync("user-online", online));
        Assert.NotNull(await _names.ClaimAsync("user-impostor", impostor));

        await _names.ReleaseAsync("user-online");
        Assert.Null(await _names.ClaimAsync("user-impostor", impostor));
        Assert.NotNull(await _names.ClaimAsync("user-online", online));
    }

    [Fact]
    public async Task Claim_SamePersonSameName_IsAnotherTab_OnAnyNode()
    {
        var other = await CreateOtherNodeAsync();
        Assert.Null(await _names.ClaimAsync("user-1", "Ada"));

        Assert.Null(await _names.ClaimAsync("user-1", "Ada"));
        Assert.Null(await other.ClaimAsync("user-1", "Ada"));

        Assert.Equal("Ada", await other.NameOfAsync("user-1"));
    }

    [Theory]
    [InlineData("Bobby")]
    [InlineData("ada")] // the same letters in another case are still another name for this person
    public async Task Claim_SamePersonOtherName_IsRefused_OnAnyNode(string otherName)
    {
        var other = await CreateOtherNodeAsync();
        Assert.Null(await _names.ClaimAsync("user-1", "Ada"));

        Assert.Equal(NameClaimRefusals.AlreadyYours("Ada"), await _names.ClaimAsync("user-1", otherName));
        Assert.Equal(NameClaimRefusals.AlreadyYours("Ada"), await other.ClaimAsync("user-1", otherName));
        Assert.Equal("Ada", await _names.NameOfAsync("user-1"));
    }

    [Fact]
    public async Task Claim_NameSomeoneUsesOnAnotherNode_IsRefused()
    {
        var other = await CreateOtherNodeAsync();
        Assert.Null(await other.ClaimAsync("user-1", "Ada"));

        Assert.Equal(NameClaimRefusals.Taken("ada"), await _names.ClaimAsync("user-2", "ada"));
    }

    [Fact]
    public async Task Release_FreesTheNameOnlyAfterThePersonsLastTab_OnEveryNode()
    {
        var other = await CreateOtherNodeAsync();
        await _names.ClaimAsync("user-1", "Ada");
        await other.ClaimAsync("user-1", "Ada");

        await _names.ReleaseAsync("user-1");
        Assert.NotNull(await _names.ClaimAsync("user-2", "Ada"));
        Assert.Equal("Ada", await _names.NameOfAsync("user-1"));

        await other.ReleaseAsync("user-1");
        Assert.Null(await _names.NameOfAsync("user-1"));
        Assert.Null(await _names.ClaimAsync("user-2", "ada"));
        Assert.Equal("ada", await other.NameOfAsync("user-2"));
    }

    [Fact]
    public async Task Release_OfSomeoneWithoutAName_IsHarmless()
    {
        await _names.ClaimAsync("user-1", "Ada");

        await _names.ReleaseAsync("user-unknown");

        Assert.Equal("Ada", await _names.NameOfAsync("user-1"));
    }

    [Fact]
    public async Task Release_AfterTheLastTab_LetsThePersonPickAnotherName()
    {
        await _names.ClaimAsync("user-1", "Ada");
        await _names.ReleaseAsync("user-1");

        Assert.Null(await _names.ClaimAsync("user-1", "Countess"));
    }

    [Fact]
    public async Task ClaimsAtOnce_OfNamesThatLookAlike_LetExactlyOnePersonIn()
    {
        var other = await CreateOtherNodeAsync();
        string[] looks = ["Grace", "grace", "GRACE", "Grаce", "ＧＲＡＣＥ", "gRACE"];

        var reasons = await Task.WhenAll(looks.Select((name, i) => (i % 2 == 0 ? _names : other).ClaimAsync($"user-{i}", name)));

        Assert.Single(reasons, r => r is null);
    }
}

public sealed class InMemoryNameClaimsTests : NameClaimsContractTests
{
    protected override Task<INameClaims> CreateAsync() => Task.FromResult<INameClaims>(new InMemoryNameClaims());
}
