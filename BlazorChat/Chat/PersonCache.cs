namespace BlazorChat.Chat;

/// <summary>
/// One <see cref="Person"/> object per person online on this node, whatever tells of them: every welcome lists everyone
/// in the namespace, and made afresh, a thousand welcomes each held their own thousand copies (a tab's online list
/// keeps them), and each copy got its own row markup (PersonMarkup is kept per object). The cache holds them weakly: a
/// person nobody lists any more is collected, and their entry swept out after a while.
/// </summary>
public sealed class PersonCache
{
    /// <summary>How many people are added between two sweeps of entries whose person was collected.</summary>
    public const int SweepEvery = SharedInstances<string, Person>.SweepEvery;

    private readonly SharedInstances<string, Person> _people = new(StringComparer.Ordinal);

    /// <summary>The person with this id and name: the one already handed out while it lives, else a new one.</summary>
    public Person Of(string userId, string displayName) =>
        _people.Of(userId, displayName, static (known, name) => string.Equals(known.DisplayName, name, StringComparison.Ordinal),
            static (id, name) => new Person(id, name));

    /// <summary>Entries held now (alive or not yet swept).</summary>
    public int Count => _people.Count;
}
