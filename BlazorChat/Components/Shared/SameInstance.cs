using System.Runtime.CompilerServices;

namespace BlazorChat.Components.Shared;

/// <summary>
/// A part of a render key compared by reference: a list that is replaced rather than changed, or one whose changes a
/// version beside it stands for. Comparing its items would cost what not rendering saves.
/// </summary>
public readonly struct SameInstance<T>(T value) : IEquatable<SameInstance<T>>
    where T : class
{
    private readonly T? _value = value;

    public bool Equals(SameInstance<T> other) => ReferenceEquals(_value, other._value);

    public override bool Equals(object? obj) => obj is SameInstance<T> other && Equals(other);

    public override int GetHashCode() => RuntimeHelpers.GetHashCode(_value);
}
