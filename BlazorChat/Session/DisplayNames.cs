using BlazorChat.Chat;

namespace BlazorChat.Session;

/// <summary>
/// Display names in use across the server: one per person while any of their tabs is in the chat, unique
/// ignoring case, width and look-alike letters: compared on <see cref="UnicodeText.KeyOf"/> (UTS #39 confusable
/// skeletons), so "ALICE", "alice", full-width "ａｌｉｃｅ" and Cyrillic "аlice" are one name, and so are "Bill" and "BiIl",
/// "mary" and "rnary", "J0hn" and "JOhn". A person's tabs share their name; it is freed when their last tab leaves.
/// </summary>
public sealed class DisplayNames
{
    private readonly Lock _gate = new();
    // Each name's comparison key is computed once, when it is claimed, not again for every later claim.
    private readonly Dictionary<string, (string Name, int Tabs, UnicodeText.NameKey Key)> _byUser = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="name"/> for one more tab of <paramref name="userId"/>; returns why not, or null.</summary>
    public string? Claim(string userId, string name)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(userId, out var mine))
            {
                if (!string.Equals(mine.Name, name, StringComparison.Ordinal))
                    return $"You are already chatting as \"{mine.Name}\" in another tab; use that name here too.";
                _byUser[userId] = mine with { Tabs = mine.Tabs + 1 };
                return null;
            }
            var key = UnicodeText.KeyOf(name);
            if (_byUser.Values.Any(v => v.Key.LooksLike(key)))
                return $"Someone online is already called \"{name}\" (or a name that looks the same). Pick another name.";
            _byUser[userId] = (name, 1, key);
            return null;
        }
    }

    /// <summary>Releases one tab's claim; the name is free once the person's last tab released it.</summary>
    public void Release(string userId)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var mine))
                return;
            if (mine.Tabs <= 1)
                _byUser.Remove(userId);
            else
                _byUser[userId] = mine with { Tabs = mine.Tabs - 1 };
        }
    }

    /// <summary>The name a person uses now, if any of their tabs is in the chat.</summary>
    public string? NameOf(string userId)
    {
        lock (_gate)
            return _byUser.TryGetValue(userId, out var mine) ? mine.Name : null;
    }

    // The last name each person chatted under (bounded, first seen forgotten first): a person is one person across
    // tabs, so their next tab, a reload, or a new circuit after a restart of the circuit joins under it by itself.
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
