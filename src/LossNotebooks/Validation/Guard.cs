using System.Runtime.CompilerServices;

namespace LossNotebooks.Validation;

/// <summary>
/// Argument checks shared by every public entry point: each failure names the parameter and says what is wrong,
/// so bad input never turns into a silent NaN further down.
/// </summary>
public static class Guard
{
    public static void Positive(int value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, got {value}.");
    }

    public static void Positive(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite positive number, got {value}.");
    }

    public static void NonNegative(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative, got {value}.");
    }

    public static void Finite(double value, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"{name} must be finite, got {value}.", name);
    }

    /// <summary>Every entry finite; the message gives the first bad index.</summary>
    public static void AllFinite(ReadOnlySpan<double> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name} must contain only finite values; entry {i} is {values[i]}.", name);
    }

    public static void AllNonNegative(ReadOnlySpan<double> values, [CallerArgumentExpression(nameof(values))] string? name = null)
    {
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] >= 0) || double.IsInfinity(values[i]))
                throw new ArgumentException($"{name} must contain finite non-negative values; entry {i} is {values[i]}.", name);
    }

    public static void Length(int actual, int expected, string what, [CallerArgumentExpression(nameof(actual))] string? name = null)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has length {actual}, expected {expected} ({what}).", name);
    }

    /// <summary>Class labels in [0, classes).</summary>
    public static void Labels(ReadOnlySpan<int> labels, int classes, [CallerArgumentExpression(nameof(labels))] string? name = null)
    {
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(name, labels[i], $"{name}[{i}] = {labels[i]} is not a class index in [0, {classes}).");
    }
}
