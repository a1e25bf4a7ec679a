using BlazorChat.Chat;

namespace BlazorChat.Realtime;

/// <summary>One connected tab. Disposing it disconnects: its rooms are left and its deliveries stop.</summary>
public sealed class ChatConnection : IDisposable
{
    private readonly ChatRegistry _registry;
    private int _disposed;

    internal ChatConnection(ChatRegistry registry, string id, Person person)
    {
        _registry = registry;
        Id = id;
        Person = person;
    }

    public string Id { get; }

    public Person Person { get; }

    /// <inheritdoc cref="ChatRegistry.Send"/>
    public ChatMessage Send(string room, string text) => _registry.Send(Id, room, text);

    public void Disconnect(string reason)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _registry.Disconnect(Id, reason);
    }

    public void Dispose() => Disconnect("disposed");
}
