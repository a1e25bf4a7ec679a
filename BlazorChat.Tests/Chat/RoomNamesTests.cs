namespace BlazorChat.Tests.Chat;

public sealed class RoomNamesTests
{
    [Theory]
    [InlineData("design", "design")]
    [InlineData("  #Design ", "design")]
    [InlineData("team_2-b", "team_2-b")]
    [InlineData("12345678901234567890123456789012", "12345678901234567890123456789012")]
    public void Validate_AcceptsAndNormalizesRoomNames(string raw, string expected)
    {
        Assert.Null(RoomNames.Validate(raw, out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("c.xyz")] // looks like a connection id
    [InlineData("user:abc")] // looks like a user room
    [InlineData("dm:a:b")] // looks like a direct conversation
    [InlineData("bad name!")]
    [InlineData("-leading")]
    [InlineData("123456789012345678901234567890123")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Validate_RefusesNamesThatAreNotRoomNamesWithAReason(string? raw)
    {
        Assert.False(string.IsNullOrWhiteSpace(RoomNames.Validate(raw, out _)));
    }

    [Theory]
    [InlineData("general", true)]
    [InlineData("design", true)]
    [InlineData("c.AbC123", false)]
    [InlineData("user:guest-1", false)]
    [InlineData("dm:a:b", false)]
    public void IsListed_ShowsOnlyRoomsPeopleMade(string room, bool listed)
    {
        Assert.Equal(listed, RoomNames.IsListed(room));
    }

    [Fact]
    public void DirectConversation_IsTheSameFromEitherSide()
    {
        Assert.Equal(RoomNames.DirectConversation("user-a", "user-b"), RoomNames.DirectConversation("user-b", "user-a"));
        Assert.NotEqual(RoomNames.DirectConversation("user-a", "user-b"), RoomNames.DirectConversation("user-a", "user-c"));
        Assert.False(RoomNames.IsListed(RoomNames.DirectConversation("user-a", "user-b")));
    }
}
