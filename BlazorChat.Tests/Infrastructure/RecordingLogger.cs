namespace BlazorChat.Tests.Infrastructure;

/// <summary>
/// Keeps every log entry at <see cref="LogLevel.Warning"/> or above, so a test can assert nothing went wrong quietly,
/// and every message (<see cref="Messages"/>) for tests of what the server says in its log.
/// </summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Lock _gate = new();
    private readonly List<string> _warnings = [];
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_gate)
                return [.. _messages];
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
                return [.. _warnings];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
            _messages.Add(formatter(state, exception));
        if (logLevel < LogLevel.Warning)
            return;
        lock (_gate)
            _warnings.Add($"{formatter(state, exception)} {exception?.GetType().Name}: {exception?.Message}");
    }
}
