using System.Collections;

namespace BlazorChat.Monitoring;

/// <summary>
/// The logging scope of one tab: its connection id and its person's id (read when a log is written, so the id a tab
/// joins under shows from then on). Made once per circuit, and pushed around everything the circuit handles
/// (<see cref="Session.ChatCircuitHandler"/>), so every log written meanwhile carries <c>ChatConnectionId</c> and
/// <c>PersonId</c> as structured properties.
/// </summary>
public sealed class ConnectionLogScope(string connectionId, Func<string?> personId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    // Not "ConnectionId": ASP.NET Core's request scope already names the HTTP connection so, and both reach the same log.
    public const string ConnectionIdKey = "ChatConnectionId", PersonIdKey = "PersonId";

    public string ConnectionId => connectionId;

    public string? PersonId => personId();

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new(ConnectionIdKey, connectionId),
        1 => new(PersonIdKey, personId()),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // What the console and debug loggers print for a scope.
    public override string ToString() => $"{ConnectionIdKey}:{connectionId} {PersonIdKey}:{personId() ?? "(not joined)"}";
}
