namespace BlazorChat.Tests.Infrastructure;

/// <summary>Reads what a conversation's lines say, for assertions.</summary>
public static class ChatLines
{
    /// <summary>The message a line carries (a room or a private message), or null for a notice.</summary>
    public static ChatMessage? MessageOf(ChatEvent line) => line switch
    {
        MessagePosted m => m.Message,
        DirectPosted d => d.Message,
        _ => null,
    };

    /// <summary>The texts of the messages among <paramref name="lines"/>, in order.</summary>
    public static IReadOnlyList<string> Texts(IEnumerable<ChatEvent> lines) => [.. lines.Select(MessageOf).OfType<ChatMessage>().Select(m => m.Text)];

    /// <summary>The sequence numbers of the messages among <paramref name="lines"/>, in order.</summary>
    public static IReadOnlyList<long> Sequences(IEnumerable<ChatEvent> lines) => [.. lines.Select(MessageOf).OfType<ChatMessage>().Select(m => m.Sequence)];
}
