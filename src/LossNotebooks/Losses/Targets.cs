using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>Constructor-time checks of targets and weights, shared by the losses (each names the parameter).</summary>
public static class Targets
{
    /// <summary>
    /// Tolerance on |Σ_j y_ij − 1| for probability-row targets: 1e-5 admits rows normalised in float32
    /// (≈ c·6e-8 rounding for c ≲ 100) and anything normalised in double, while rejecting unnormalised rows.
    /// The losses use the actual row sum s_i in value and derivatives, so a tolerated deviation stays consistent.
    /// </summary>
    public const double RowSumTolerance = 1e-5;

    internal static int[] Labels(int[]? labels, int classes, int minClasses, string name)
    {
        if (labels is null) throw new ArgumentNullException(name);
        if (labels.Length == 0) throw new ArgumentException($"{name} is empty: need at least one row.", name);
        if (classes < minClasses)
            throw new ArgumentOutOfRangeException("classes", classes, $"classes must be at least {minClasses}, got {classes}.");
        Guard.Labels(labels, classes, name);
        return (int[])labels.Clone();
    }

    /// <summary>n×c row-major targets; returns n. <paramref name="probabilityRows"/> also demands y ≥ 0 and rows summing to 1.</summary>
    internal static double[] Matrix(double[]? targets, int classes, string name, out int rows, bool unitInterval = false, bool probabilityRows = false)
    {
        if (targets is null) throw new ArgumentNullException(name);
        if (classes <= 0) throw new ArgumentOutOfRangeException("classes", classes, $"classes must be positive, got {classes}.");
        if (targets.Length == 0) throw new ArgumentException($"{name} is empty: need at least one row.", name);
        if (targets.Length % classes != 0)
            throw new ArgumentException($"{name} has length {targets.Length}, not a multiple of classes = {classes} (n×c, row-major).", name);
        rows = targets.Length / classes;
        Guard.AllFinite(targets, name);
        if (unitInterval || probabilityRows)
            for (int k = 0; k < targets.Length; k++)
                if (targets[k] < 0 || (unitInterval && targets[k] > 1))
                    throw new ArgumentOutOfRangeException(name, targets[k],
                        $"{name}[{k / classes},{k % classes}] = {targets[k]} is outside {(unitInterval ? "[0, 1]" : "[0, ∞)")}.");
        if (probabilityRows)
            for (int i = 0; i < rows; i++)
            {
                double s = 0;
                for (int j = 0; j < classes; j++) s += targets[i * classes + j];
                if (Math.Abs(s - 1) > RowSumTolerance)
                    throw new ArgumentException($"{name} row {i} sums to {s}, not 1 (tolerance {RowSumTolerance}).", name);
            }
        return (double[])targets.Clone();
    }

    /// <summary>Optional non-negative finite weights of one of the allowed lengths (null = all ones).</summary>
    internal static double[]? Weights(double[]? weights, string what, params int[] allowedLengths)
    {
        if (weights is null) return null;
        if (Array.IndexOf(allowedLengths, weights.Length) < 0)
            throw new ArgumentException($"weights has length {weights.Length}, expected {string.Join(" or ", allowedLengths)} ({what}).", nameof(weights));
        Guard.AllNonNegative(weights, nameof(weights));
        return (double[])weights.Clone();
    }

    internal static void KernelShape(int scores, int classes, int rows)
    {
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be positive.");
        if (scores == 0) throw new ArgumentException("scores is empty: need at least one row.", nameof(scores));
        if (scores % classes != 0)
            throw new ArgumentException($"scores has length {scores}, not a multiple of classes = {classes}.", nameof(scores));
        if (rows != scores / classes)
            throw new ArgumentException($"the targets give {rows} rows but scores has {scores / classes}.", nameof(scores));
    }
}
