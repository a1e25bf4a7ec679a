namespace BlazorChat.Accounts;

/// <summary>
/// Each person's open chat tabs (interactive circuits), up to <see cref="AccountOptions.MaxCircuitsPerPerson"/>. A tab
/// takes a place when its circuit opens and gives it back when the circuit closes; prerendering never counts. One seam,
/// two engines: <see cref="InMemoryCircuitPlaces"/> counts the tabs of one node, <c>PostgresCircuitPlaces</c> those of
/// every node of a cluster, so a person cannot open the cap on each node.
/// </summary>
public interface ICircuitPlaces
{
    /// <summary>How many tabs one person may have open at once: the configured cap, at least 1.</summary>
    int Max { get; }

    /// <summary>Takes a place for one more tab of <paramref name="userId"/>; false when they have <see cref="Max"/> open already.</summary>
    Task<bool> TryTakeAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back one place of <paramref name="userId"/> on this node; call once per successful <see cref="TryTakeAsync"/>.
    /// A closing tab must not fail, so this never throws: a place the engine cannot give back now it gives back later.
    /// </summary>
    Task ReleaseAsync(string userId, CancellationToken cancellationToken = default);
}

/// <summary>What a tab over the cap shows, the same whichever engine refused it.</summary>
public static class CircuitPlaceRefusal
{
    public static string For(int max) => max == 1
        ? "You already have a BlazorChat tab open. Close it to chat here."
        : $"You already have {max} BlazorChat tabs open. Close one to chat here.";
}
