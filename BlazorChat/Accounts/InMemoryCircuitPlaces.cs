using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>The open tabs of one node (<see cref="ICircuitPlaces"/>), counted in its memory: the cap of a single node.</summary>
public sealed class InMemoryCircuitPlaces(IOptionsMonitor<AccountOptions> options) : ICircuitPlaces
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public int Max => Math.Max(1, options.CurrentValue.MaxCircuitsPerPerson);

    public Task<bool> TryTakeAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(userId);
            if (open >= Max)
                return Task.FromResult(false);
            _open[userId] = open + 1;
            return Task.FromResult(true);
        }
    }

    public Task ReleaseAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(userId, out var open))
            {
                if (open <= 1)
                    _open.Remove(userId);
                else
                    _open[userId] = open - 1;
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>How many places <paramref name="userId"/> holds now.</summary>
    public int CountOf(string userId)
    {
        lock (_gate)
            return _open.GetValueOrDefault(userId);
    }
}
