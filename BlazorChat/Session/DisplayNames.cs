using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// Display names for the tabs of this node: the names in use (<see cref="INameClaims"/>: this node's memory, or every
/// node's through PostgreSQL on a cluster), and the name each person last joined under here, so their next tab joins
/// under it by itself.
/// </summary>
public sealed class DisplayNames(INameClaims claims)
{
    /// <summary>On one node, in its memory.</summary>
    public DisplayNames()
        : this(new InMemoryNameClaims())
    {
    }

    /// <summary>Claims <paramref name="name"/> for one more tab of <paramref name="userId"/>; returns why not, or null.</summary>
    public Task<string?> ClaimAsync(string userId, string name) => claims.ClaimAsync(userId, name);

    /// <summary>Releases one tab's claim; the name is free once the person's last tab released it.</summary>
    public Task ReleaseAsync(string userId) => claims.ReleaseAsync(userId);

    /// <summary>The name a person uses now, if any of their tabs is in the chat.</summary>
    public Task<string?> NameOfAsync(string userId) => claims.NameOfAsync(userId);

    // The last name each person chatted under on this node (bounded, first seen forgotten first): a person is one person
    // across tabs, so their next tab, a reload, or a new circuit after a restart of the circuit joins under it by itself.
    // (A tab that lands on another node of a cluster brings the name in its cookie: ChatSession.IdentifyAsync.)
    private readonly SeenPeople _lastNames = new(RememberedPeople);

    /// <summary>How many people's last names are kept.</summary>
    public const int RememberedPeople = 100_000;

    /// <summary>Remembers the name a person joined under, for their next tab.</summary>
    public void Remember(string userId, string name) => _lastNames.Remember(userId, name);

    /// <summary>Forgets a person's name: they asked to change it, so their next tab asks again.</summary>
    public void Forget(string userId) => _lastNames.Forget(userId);

    /// <summary>The name a person last joined under (in any tab, while this server runs), or null.</summary>
    public string? LastNameOf(string userId) => _lastNames.TryGet(userId, out var name) ? name : null;
}
