namespace BlazorChat.Accounts;

/// <summary>
/// A handler of <see cref="IAccessChecker.AccessChanged"/> until disposed (see
/// <see cref="IAccessChecker.SubscribeAccessChanged"/>): the checker is a singleton, so a handler left on it would hold
/// its circuit for as long as the app runs.
/// </summary>
public sealed class AccessChangedSubscription : IDisposable
{
    private IAccessChecker? _checker;
    private readonly Action<string> _handler;

    public AccessChangedSubscription(IAccessChecker checker, Action<string> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _checker = checker;
        checker.AccessChanged += handler;
    }

    /// <summary>Removes the handler; a second dispose does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _checker, null) is { } checker)
            checker.AccessChanged -= _handler;
    }
}
