using Microsoft.Extensions.Options;

namespace BlazorChat.Accounts;

/// <summary>
/// Counts each person's chat tabs (interactive circuits) across the server, up to <see cref="AccountOptions.MaxCircuitsPerPerson"/>.
/// A tab takes a place when its circuit opens and gives it back when the circuit closes; prerendering never counts.
/// </summary>
public sealed class CircuitLimiter(IOptionsMonitor<AccountOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    public int Max => Math.Max(1, options.CurrentValue.MaxCircuitsPerPerson);

    /// <summary>What a tab over the cap shows.</summary>
    public string RefusalMessage => Max == 1
        ? "You already have a BlazorChat tab open. Close it to chat here."
        : $"You already have {Max} BlazorChat tabs open. Close one to chat here.";

    /// <summary>Takes a place for one more tab of <paramref name="userId"/>; false when they have <see cref="Max"/> already.</summary>
    public bool TryAcquire(string userId)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(userId);
            if (open >= Max)
                return false;
            _open[userId] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back one place of <paramref name="userId"/>; call once per successful <see cref="TryAcquire"/>.</summary>
    public void Release(string userId)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(userId, out var open))
                return;
            if (open <= 1)
                _open.Remove(userId);
            else
                _open[userId] = open - 1;
        }
    }

    public int CountOf(string userId)
    {
        lock (_gate)
            return _open.GetValueOrDefault(userId);
    }
}
