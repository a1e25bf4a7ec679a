using BlazorChat.Components.Pages;

namespace BlazorChat.Tests.Components;

/// <summary>
/// Addresses: the place of what a tab shows, its address, and the address read back (as the router hands the page its
/// route values) giving the same place.
/// </summary>
public sealed class PlacesTests
{
    private const string Ada = "user-ada";
    private const string Bob = "user-bob";
    private static readonly string PrivateId = RoomNames.NewPrivateId();

    public static TheoryData<string, string, string> Conversations => new()
    {
        { ChatServer.MainNamespace, RoomNames.General, "/" },
        { ChatServer.MainNamespace, "design", "/r/design" },
        { ChatServer.MainNamespace, RoomNames.DirectConversation(Ada, Bob), "/dm/user-bob" },
        { ChatHandlers.AdminNamespace, RoomNames.General, "/admin/r/general" },
        { "/tenant-acme", "design", "/tenant-acme/r/design" },
        { "/tenant-acme", RoomNames.DirectConversation(Bob, Ada), "/tenant-acme/dm/user-bob" },
        { ChatServer.MainNamespace, PrivateId, $"/r/{PrivateId}" },
    };

    [Theory]
    [MemberData(nameof(Conversations))]
    public void TheAddressOfWhatATabShows_ReadBack_IsTheSamePlace(string @namespace, string conversation, string url)
    {
        var place = Places.Of(@namespace, conversation, Ada);

        Assert.Equal(url, Places.UrlOf(place));
        Assert.Equal(place, Route(url));
    }

    [Fact]
    public void APrivateConversation_IsThePlaceOfTheOtherPerson_WhicheverSideAsks()
    {
        var conversation = RoomNames.DirectConversation(Ada, Bob);

        Assert.Equal(new Places.Place(ChatServer.MainNamespace, null, Bob), Places.Of(ChatServer.MainNamespace, conversation, Ada));
        Assert.Equal(new Places.Place(ChatServer.MainNamespace, null, Ada), Places.Of(ChatServer.MainNamespace, conversation, Bob));
    }

    [Fact]
    public void APersonsIdThatNeedsEscaping_ComesBackAsItWas()
    {
        var place = new Places.Place(ChatServer.MainNamespace, null, "guest/ä b");

        Assert.Equal(place, Route(Places.UrlOf(place)));
    }

    // What the router does with the page's templates ("/", "/r/{Room}", "/dm/{With}", "/{Space}/r/{Room}",
    // "/{Space}/dm/{With}"): the segments' values, unescaped, into Places.Parse.
    private static Places.Place? Route(string url)
    {
        var segments = url.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        return segments switch
        {
            [] => Places.Parse(null, null, null),
            ["r", var room] => Places.Parse(null, room, null),
            ["dm", var with] => Places.Parse(null, null, with),
            [var space, "r", var room] => Places.Parse(space, room, null),
            [var space, "dm", var with] => Places.Parse(space, null, with),
            _ => throw new ArgumentException($"no route for {url}", nameof(url)),
        };
    }
}
