using BlazorChat.Persistence;

namespace BlazorChat.Chat;

/// <summary>
/// One <see cref="ChatMessage"/> object per stored message that any tab on this node shows from history. Every tab that
/// joins a room loads its latest page: made afresh, a thousand joiners each held their own copy of the same fifty
/// messages, with their own sender, text and (kept per object, <c>MessageMarkup</c>) article markup. Shared, the page is
/// fifty references per tab. A message that changed in the store since (removed by a moderator) is made anew.
/// </summary>
/// <param name="people">The senders' cache: a message's sender is the <see cref="Person"/> every list shows.</param>
public sealed class MessageCache(PersonCache people)
{
    private readonly SharedInstances<Guid, ChatMessage> _messages = new();

    /// <summary>The senders' cache.</summary>
    public PersonCache People => people;

    /// <summary>Entries held now (alive or not yet swept).</summary>
    public int Count => _messages.Count;

    /// <summary>
    /// <paramref name="stored"/> as a message of <paramref name="conversation"/> (its name within the namespace): the one
    /// already handed out while it lives and is the same, else a new one. Direction controls in texts stored before
    /// they were refused on the way in are removed here, so history never shows text reordered.
    /// </summary>
    public ChatMessage Of(StoredMessage stored, string conversation) =>
        _messages.Of(stored.Id, (Stored: stored, Conversation: conversation, Text: UnicodeText.RemoveDirectionControls(stored.Text)),
            static (known, s) => known.Sequence == s.Stored.Sequence && known.Removed == s.Stored.Removed && known.SentAt == s.Stored.SentAt
                && string.Equals(known.Room, s.Conversation, StringComparison.Ordinal)
                && string.Equals(known.Sender.UserId, s.Stored.SenderId, StringComparison.Ordinal)
                && string.Equals(known.Sender.DisplayName, s.Stored.SenderName, StringComparison.Ordinal)
                && string.Equals(known.Text, s.Text, StringComparison.Ordinal),
            (id, s) => new ChatMessage(id, s.Conversation, string.Empty, people.Of(s.Stored.SenderId, s.Stored.SenderName), s.Text,
                s.Stored.SentAt, s.Stored.Sequence, s.Stored.Removed));
}
