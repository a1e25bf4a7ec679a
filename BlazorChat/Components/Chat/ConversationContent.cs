using BlazorChat.Chat;
using BlazorChat.Session;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace BlazorChat.Components.Chat;

/// <summary>
/// The conversation on screen as the page's conversation region renders it: its <see cref="MessageList"/> and
/// <see cref="TypingIndicator"/>. Written out rather than in markup, which makes three delegates, boxes three callbacks and
/// six values again at every render of the region: every member's tab renders it at every message of its room. Here the
/// callbacks are made once, and a value is boxed again only when it changed, so a new message costs one box (the version).
/// </summary>
public sealed class ConversationContent(EventCallback<Guid> onRetry, EventCallback onLoadOlder, EventCallback onJumpToLatest)
{
    private static readonly object True = true, False = false;

    private readonly object _onRetry = onRetry, _onLoadOlder = onLoadOlder, _onJumpToLatest = onJumpToLatest;
    private Boxed<TimeSpan> _utcOffset;
    private Boxed<long?> _missedAfter;
    private Boxed<long> _missedCount;
    private Boxed<(int Lines, int Rewrites, int Outgoing)> _version;

    /// <summary>Renders <paramref name="conversation"/> for the viewer <paramref name="ownUserId"/>, with who is typing there now.</summary>
    public void Render(RenderTreeBuilder builder, Conversation conversation, string? ownUserId, IReadOnlyDictionary<Guid, OutgoingMessage> outgoing,
        int outgoingVersion, TimeSpan utcOffset, IReadOnlyList<Person> typing)
    {
        builder.OpenComponent<MessageList>(0);
        builder.AddComponentParameter(1, nameof(MessageList.Lines), conversation.Lines);
        builder.AddComponentParameter(2, nameof(MessageList.OwnUserId), ownUserId);
        builder.AddComponentParameter(3, nameof(MessageList.Outgoing), outgoing);
        builder.AddComponentParameter(4, nameof(MessageList.OnRetry), _onRetry);
        builder.AddComponentParameter(5, nameof(MessageList.UtcOffset), _utcOffset.Of(utcOffset));
        builder.AddComponentParameter(6, nameof(MessageList.HasOlder), conversation.HasOlder ? True : False);
        builder.AddComponentParameter(7, nameof(MessageList.OnLoadOlder), _onLoadOlder);
        builder.AddComponentParameter(8, nameof(MessageList.Detached), conversation.Detached ? True : False);
        builder.AddComponentParameter(9, nameof(MessageList.OnJumpToLatest), _onJumpToLatest);
        builder.AddComponentParameter(10, nameof(MessageList.MissedAfter), _missedAfter.Of(conversation.MissedAfter));
        builder.AddComponentParameter(11, nameof(MessageList.MissedCount), _missedCount.Of(conversation.MissedCount));
        builder.AddComponentParameter(12, nameof(MessageList.Version), _version.Of((conversation.Version, conversation.Rewrites, outgoingVersion)));
        builder.CloseComponent();
        builder.OpenComponent<TypingIndicator>(13);
        builder.AddComponentParameter(14, nameof(TypingIndicator.People), typing);
        builder.CloseComponent();
    }

    // A value and its box, boxed again only for a different value.
    private struct Boxed<T>
    {
        private T _value;
        private object? _box;

        public object? Of(T value)
        {
            if (_box is null || !EqualityComparer<T>.Default.Equals(_value, value))
                (_value, _box) = (value, value);
            return _box;
        }
    }
}
