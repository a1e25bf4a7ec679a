namespace BlazorChat.Chat;

/// <summary>The names in use on one node (<see cref="INameClaims"/>), in its memory.</summary>
public sealed class InMemoryNameClaims : INameClaims
{
    private readonly Lock _gate = new();
    // Each name's comparison key is computed once, when it is claimed, not again for every later claim.
    private readonly Dictionary<string, (string Name, int Tabs, UnicodeText.NameKey Key)> _byUser = new(StringComparer.Ordinal);

    public Task<string?> ClaimAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_byUser.TryGetValue(userId, out var mine))
            {
                if (!string.Equals(mine.Name, name, StringComparison.Ordinal))
                    return Task.FromResult<string?>(NameClaimRefusals.AlreadyYours(mine.Name));
                _byUser[userId] = mine with { Tabs = mine.Tabs + 1 };
                return Task.FromResult<string?>(null);
            }
            var key = UnicodeText.KeyOf(name);
            if (_byUser.Values.Any(v => v.Key.LooksLike(key)))
                return Task.FromResult<string?>(NameClaimRefusals.Taken(name));
            _byUser[userId] = (name, 1, key);
            return Task.FromResult<string?>(null);
        }
    }

    public Task ReleaseAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_byUser.TryGetValue(userId, out var mine))
                return Task.CompletedTask;
            if (mine.Tabs <= 1)
                _byUser.Remove(userId);
            else
                _byUser[userId] = mine with { Tabs = mine.Tabs - 1 };
        }
        return Task.CompletedTask;
    }

    public Task<string?> NameOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            return Task.FromResult(_byUser.TryGetValue(userId, out var mine) ? mine.Name : null);
    }
}
