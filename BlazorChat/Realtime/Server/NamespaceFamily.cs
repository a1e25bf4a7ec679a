namespace BlazorChat.Realtime.Server;

/// <summary>
/// A dynamic namespace family, like socket.io's parent namespace (<c>io.of(/^\/tenant-\w+$/)</c>): namespaces
/// whose names it matches are created on first use, and all of them, including any created before anyone
/// connects, share the family's middleware and handlers. Empty ones are removed.
/// </summary>
public sealed class NamespaceFamily : HandlerRegistry<NamespaceFamily>
{
    private readonly Func<string, bool> _matches;
    private readonly ChatServer _server;

    internal NamespaceFamily(ChatServer server, string description, Func<string, bool> matches)
    {
        _server = server;
        Description = description;
        _matches = matches;
    }

    /// <summary>How the family is described in logs and errors, for example <c>/tenant-{name}</c>.</summary>
    public string Description { get; }

    public override string Label => Description;

    public bool Matches(string name) => _matches(name);

    /// <summary>The family's namespaces that exist now.</summary>
    public IReadOnlyList<ChatNamespace> Children => [.. _server.Namespaces.Where(n => n.Family == this)];

    /// <summary>Emits to every connection of every namespace of the family (socket.io's parent namespace emit).</summary>
    public async Task EmitAsync(string eventName, EventData? data = null, CancellationToken cancellationToken = default)
    {
        foreach (var child in Children)
            await child.EmitAsync(eventName, data, cancellationToken);
    }
}
