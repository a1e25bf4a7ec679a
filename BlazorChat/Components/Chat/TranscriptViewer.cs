using BlazorChat.Session;
using Microsoft.AspNetCore.Components;

namespace BlazorChat.Components.Chat;

/// <summary>
/// What every block of a transcript renders with besides its lines: who is reading (their own messages are set apart),
/// their offset from UTC, their own messages' delivery states, and what Retry does. One object, passed to every
/// <see cref="MessageBlock"/> as it is, and made again only when one of these changes: as four parameters, each
/// render of the transcript boxed the offset and the callback once per block, in every member's tab, at every message.
/// </summary>
/// <param name="Outgoing">The viewer's own messages by id, with how their delivery went (changed in place).</param>
/// <param name="OnRetry">Sends a not-delivered message again, with the same id.</param>
public sealed record TranscriptViewer(string? OwnUserId, IReadOnlyDictionary<Guid, OutgoingMessage> Outgoing, EventCallback<Guid> OnRetry,
    TimeSpan UtcOffset)
{
    /// <summary>No one in particular: no own messages, UTC.</summary>
    public static readonly TranscriptViewer Nobody = new(null, new Dictionary<Guid, OutgoingMessage>(), default, TimeSpan.Zero);

    /// <summary>
    /// This viewer when it has these settings, else a new one with them (the callback is the transcript's own, made once,
    /// so it is not compared).
    /// </summary>
    public TranscriptViewer With(string? ownUserId, IReadOnlyDictionary<Guid, OutgoingMessage> outgoing, EventCallback<Guid> onRetry, TimeSpan utcOffset) =>
        OwnUserId == ownUserId && ReferenceEquals(Outgoing, outgoing) && UtcOffset == utcOffset
            ? this
            : new TranscriptViewer(ownUserId, outgoing, onRetry, utcOffset);
}
