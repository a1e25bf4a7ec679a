using BlazorChat.Chat;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Components.Pages;

/// <summary>
/// Where a tab is, as an address: <c>/r/{room}</c> and <c>/dm/{person}</c> in the main namespace, and the same under
/// <c>/{space}</c> for the others (<c>/admin/r/general</c>, <c>/tenant-acme/r/design</c>). #general of the main
/// namespace is <c>/</c>. Private rooms go by their unguessable id, people by their user id.
/// </summary>
public static class Places
{
    /// <summary>A place asked for by address: a namespace and a room, or a namespace and a person to talk with.</summary>
    public sealed record Place(string Namespace, string? Room, string? WithUserId);

    /// <summary>
    /// The place of a conversation a tab shows: a room by its name or id, a private conversation by the other person
    /// (<paramref name="selfId"/> tells which of the two that is). <see cref="Parse"/> reads it back from its address.
    /// </summary>
    public static Place Of(string @namespace, string conversation, string? selfId) =>
        RoomNames.IsDirect(conversation) && selfId is not null && RoomNames.OtherParticipant(conversation, selfId) is { } other
            ? new Place(@namespace, null, other)
            : new Place(@namespace, conversation, null);

    /// <summary>The address of a place.</summary>
    public static string UrlOf(Place place)
    {
        var prefix = place.Namespace == ChatServer.MainNamespace ? "" : place.Namespace;
        if (place.WithUserId is { } other)
            return $"{prefix}/dm/{Uri.EscapeDataString(other)}";
        var room = place.Room ?? RoomNames.General;
        if (prefix.Length == 0 && room == RoomNames.General)
            return "/";
        return $"{prefix}/r/{Uri.EscapeDataString(room)}";
    }

    /// <summary>The place an address names, from the page's route values; null for an address that names none.</summary>
    public static Place? Parse(string? space, string? room, string? withUserId)
    {
        var @namespace = space switch
        {
            null => ChatServer.MainNamespace,
            "admin" => ChatHandlers.AdminNamespace,
            _ when ChatHandlers.TenantNamespace(space.StartsWith("tenant-", StringComparison.Ordinal) ? space["tenant-".Length..] : null) is { } tenant
                && tenant == "/" + space => tenant,
            _ => null,
        };
        if (@namespace is null)
            return null;
        if (withUserId is not null)
            return string.IsNullOrWhiteSpace(withUserId) ? null : new Place(@namespace, null, withUserId);
        var key = room ?? RoomNames.General;
        return RoomNames.IsListed(key) || RoomNames.IsPrivateId(key) ? new Place(@namespace, key, null) : null;
    }
}
