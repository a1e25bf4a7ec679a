using System.Security.Claims;
using BlazorChat.Accounts;
using BlazorChat.Chat;
using BlazorChat.Persistence;
using BlazorChat.Realtime;
using BlazorChat.Realtime.Server;

namespace BlazorChat.Moderation;

/// <summary>
/// The moderation actions, for a tab's events and for the operator's dashboard alike. Each method takes the acting
/// <see cref="ClaimsPrincipal"/> as the server authenticated it and asks <see cref="IAccessChecker"/> about it at that
/// moment (the account now, not the principal's claims, and never anything a client sends): the <c>admin</c> role may
/// act anywhere, a private room's owner in that room where the action allows it. Every action that changed something is
/// recorded in the <see cref="IAuditLog"/> before anyone is told of it. A refusal (<see cref="ChatRefusedException"/>)
/// changes nothing.
/// </summary>
public sealed partial class ModerationService(
    ChatServer server,
    IMessageStore messages,
    IRoomStore rooms,
    IAuditLog audit,
    IAccessChecker access,
    TimeProvider time,
    ILogger<ModerationService> logger)
{
    /// <summary>The longest reason a moderator may give, in UTF-16 code units.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Why an action is refused to someone who may not take it; the same whatever the target, so it reveals nothing.</summary>
    public const string NotAllowed = "Only an administrator, or the owner of a private room in it, may do that.";

    /// <summary>Registers the tab-facing moderation events on a namespace (called for every chat namespace).</summary>
    public void Register(INamespaceHandlers handlers) => handlers.On(ModerationEvents.DeleteMessage, DeleteMessageFromTabAsync);

    // A tab's request: the actor is the connection's principal (authenticated by the server), whatever the payload says.
    private async Task<EventData?> DeleteMessageFromTabAsync(ChatSocket socket, EventData? data, CancellationToken cancellationToken)
    {
        var request = data as DeleteMessageRequest ?? throw new ChatRefusedException($"This request needs a {nameof(DeleteMessageRequest)}.");
        return await DeleteMessageAsync(socket.User, socket.DisplayName, socket.Namespace.Name, request.Conversation, request.Id, request.Reason,
            cancellationToken);
    }

    /// <summary>
    /// Removes a message of <paramref name="conversation"/> (a room, a private room's id, or a private conversation's key)
    /// in <paramref name="namespace"/>: the store erases its text and marks it removed, the audit log records it, and
    /// every tab that shows it (on every node) replaces it with "message removed".
    /// </summary>
    /// <exception cref="ChatRefusedException">Not allowed, bad input, or no such message; nothing changed.</exception>
    public Task<MessageRemoved> DeleteMessageAsync(ClaimsPrincipal actor, string @namespace, string conversation, Guid id, string? reason,
        CancellationToken cancellationToken = default) =>
        DeleteMessageAsync(actor, NameOf(actor), @namespace, conversation, id, reason, cancellationToken);

    private async Task<MessageRemoved> DeleteMessageAsync(ClaimsPrincipal actor, string actorName, string @namespace, string conversation, Guid id,
        string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var actorId = await AuthorizeAsync(actor, @namespace, conversation, ownersToo: true, cancellationToken);
        if (!ChatHandlers.IsChatNamespace(@namespace) || string.IsNullOrWhiteSpace(conversation))
            throw new ChatRefusedException("Name the namespace and the conversation of the message to remove.");
        var why = ValidReason(reason);
        var key = ChatHandlers.StoreKey(@namespace, conversation);
        var removed = await messages.RemoveAsync(key, id, cancellationToken)
            ?? throw new ChatRefusedException("There is no such message in that conversation; nothing was removed.");
        await audit.AppendAsync(new AuditEntry(Guid.NewGuid(), time.GetUtcNow(), actorId, actorName, AuditActions.DeleteMessage,
            $"{key}/{id:D}", why), cancellationToken);
        LogMessageRemoved(@namespace, conversation, id, actorId);
        var notice = new MessageRemoved(conversation, id, removed.Sequence);
        if (server.Namespaces.FirstOrDefault(n => n.Name == @namespace) is { } ns)
            await RecipientsOf(ns, conversation, removed).EmitAsync(ModerationEvents.MessageRemoved, notice, CancellationToken.None);
        return notice;
    }

    // Everyone who may show the message, on every node (through the adapter): a room's members, or the two people of a
    // private conversation on all their tabs.
    private static BroadcastOperator RecipientsOf(ChatNamespace ns, string conversation, StoredMessage message) =>
        RoomNames.IsDirect(conversation) && RoomNames.OtherParticipant(conversation, message.SenderId) is { } other
            ? ns.To(ChatNamespace.UserRoomOf(message.SenderId), ChatNamespace.UserRoomOf(other))
            : ns.To(conversation);

    /// <summary>
    /// The actor's user id, when they may act: signed in still, and an admin now (asked of the account), or, where
    /// <paramref name="ownersToo"/>, the owner of the private room <paramref name="conversation"/>.
    /// </summary>
    private async Task<string> AuthorizeAsync(ClaimsPrincipal actor, string @namespace, string conversation, bool ownersToo,
        CancellationToken cancellationToken)
    {
        var actorId = actor.FindFirstValue(ClaimTypes.NameIdentifier);
        if (string.IsNullOrEmpty(actorId) || !await access.IsStillSignedInAsync(actor, cancellationToken))
            throw new ChatRefusedException(NotAllowed);
        if (await access.IsInRoleAsync(actor, ChatHandlers.AdminRole, cancellationToken))
            return actorId;
        if (ownersToo && RoomNames.IsPrivateId(conversation) && ChatHandlers.IsChatNamespace(@namespace)
            && await rooms.FindPrivateRoomAsync(@namespace, conversation, cancellationToken) is { } room && room.OwnerId == actorId)
            return actorId;
        throw new ChatRefusedException(NotAllowed);
    }

    private static string ValidReason(string? reason)
    {
        var why = UnicodeText.RemoveDirectionControls((reason ?? string.Empty).Trim());
        if (why.Length > MaxReasonLength)
            throw new ChatRefusedException($"Give a reason of at most {MaxReasonLength} characters; nothing was changed.");
        return why;
    }

    private static string NameOf(ClaimsPrincipal actor) =>
        actor.Identity?.Name is { Length: > 0 } name ? name : actor.FindFirstValue(ClaimTypes.NameIdentifier) ?? string.Empty;

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "{Namespace}: message {MessageId} of {Conversation} removed by {ActorId}")]
    private partial void LogMessageRemoved(string @namespace, string conversation, Guid messageId, string actorId);
}
