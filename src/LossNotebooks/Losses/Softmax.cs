using System.Numerics;
using System.Numerics.Tensors;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// Row softmax and log-sum-exp with the max shift: exp(z − max z) ∈ [0, 1] with at least one 1, so nothing overflows
/// and the sum is ≥ 1 (its log never sees 0) — finite for logits of any finite size (tested at ±1e4).
/// </summary>
public static class Softmax
{
    /// <summary>log Σ_j exp(z_j), stable.</summary>
    public static double LogSumExp(ReadOnlySpan<double> row)
    {
        if (row.IsEmpty) throw new ArgumentException("row is empty.", nameof(row));
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(row))) Guard.AllFinite(row, nameof(row));
        double m = TensorPrimitives.Max(row);
        double s = 0;
        for (int j = 0; j < row.Length; j++) s += Math.Exp(row[j] - m);
        return m + Math.Log(s);
    }

    /// <summary>log Σ_j exp(z_j) for complex z, shifted by max Re z (analytic in each z_j, for the complex step).</summary>
    public static Complex LogSumExp(ReadOnlySpan<Complex> row)
    {
        if (row.IsEmpty) throw new ArgumentException("row is empty.", nameof(row));
        double m = double.NegativeInfinity;
        foreach (var z in row)
        {
            if (!double.IsFinite(z.Real) || !double.IsFinite(z.Imaginary)) throw new ArgumentException($"row must be finite; it contains {z}.", nameof(row));
            m = Math.Max(m, z.Real);
        }
        Complex s = Complex.Zero;
        foreach (var z in row) s += Complex.Exp(z - m);
        return m + Complex.Log(s);
    }

    /// <summary>p = softmax(z) of one row into <paramref name="probabilities"/> (may alias <paramref name="row"/>); returns log Σ exp z.</summary>
    public static double Row(ReadOnlySpan<double> row, Span<double> probabilities)
    {
        if (row.IsEmpty) throw new ArgumentException("row is empty.", nameof(row));
        if (probabilities.Length != row.Length)
            throw new ArgumentException($"probabilities has length {probabilities.Length}, expected {row.Length}.", nameof(probabilities));
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(row))) Guard.AllFinite(row, nameof(row));
        return RowUnchecked(row, probabilities);
    }

    /// <summary>The kernels' version: shapes and finiteness already checked by the caller.</summary>
    internal static double RowUnchecked(ReadOnlySpan<double> row, Span<double> probabilities)
    {
        double m = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, m, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        double s = TensorPrimitives.Sum(probabilities);
        TensorPrimitives.Multiply(probabilities, 1.0 / s, probabilities);
        return m + Math.Log(s);
    }

    /// <summary>Softmax of every row of an n×c row-major matrix.</summary>
    public static void Rows(ReadOnlySpan<double> scores, int classes, Span<double> probabilities)
    {
        Targets.KernelShape(scores.Length, classes, scores.Length / Math.Max(classes, 1));
        if (probabilities.Length != scores.Length)
            throw new ArgumentException($"probabilities has length {probabilities.Length}, expected {scores.Length}.", nameof(probabilities));
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(scores))) Guard.AllFinite(scores, nameof(scores));
        for (int i = 0; i < scores.Length; i += classes)
            RowUnchecked(scores.Slice(i, classes), probabilities.Slice(i, classes));
    }

    /// <summary>Complex softmax of one row (for complex-step checks of softmax-based losses).</summary>
    public static void Row(ReadOnlySpan<Complex> row, Span<Complex> probabilities)
    {
        if (probabilities.Length != row.Length)
            throw new ArgumentException($"probabilities has length {probabilities.Length}, expected {row.Length}.", nameof(probabilities));
        Complex lse = LogSumExp(row);
        for (int j = 0; j < row.Length; j++) probabilities[j] = Complex.Exp(row[j] - lse);
    }
}
