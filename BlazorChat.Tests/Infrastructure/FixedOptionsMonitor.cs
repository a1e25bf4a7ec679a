using Microsoft.Extensions.Options;

namespace BlazorChat.Tests.Infrastructure;

/// <summary>Options a test can change while the code under test runs (as a reloaded configuration would).</summary>
public sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue { get; set; } = value;

    public T Get(string? name) => CurrentValue;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
