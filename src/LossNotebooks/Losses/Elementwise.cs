using System.Numerics;
using System.Numerics.Tensors;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// One entry's loss ℓ(z, t) and its first two z-derivatives. Losses that act entry by entry (logistic, squared,
/// Huber, focal) are a struct implementing this, so the generic kernel <see cref="Elementwise.Kernel{T}"/> is
/// specialised and inlined per loss (no virtual call per entry).
/// </summary>
public interface IElementLoss
{
    double Value(double z, double t);
    /// <summary>∂ℓ/∂z.</summary>
    double First(double z, double t);
    /// <summary>∂²ℓ/∂z².</summary>
    double Second(double z, double t);
    /// <summary>ℓ over complex z (analytic in z where ℓ is smooth), for complex-step checks.</summary>
    Complex Value(Complex z, double t);
}

/// <summary>Span kernels shared by entry-wise losses; their row Hessian block is diagonal.</summary>
public static class Elementwise
{
    /// <summary>
    /// Returns scale·Σ w·ℓ(z, t); writes scale·w·ℓ' and scale·w·ℓ'' into non-empty <paramref name="gradient"/> /
    /// <paramref name="diagonal"/>. <paramref name="weights"/>: empty (ones), one per row (length n) or one per entry (n·c).
    /// </summary>
    public static double Kernel<T>(T loss, ReadOnlySpan<double> scores, ReadOnlySpan<double> targets, int classes,
        ReadOnlySpan<double> weights, Span<double> gradient, Span<double> diagonal, double scale = 1.0) where T : struct, IElementLoss
    {
        CheckKernel(scores, targets, classes, weights, gradient, diagonal, scale);
        return Core(loss, scores, targets, classes, weights, gradient, diagonal, scale);
    }

    internal static void CheckKernel(ReadOnlySpan<double> scores, ReadOnlySpan<double> targets, int classes,
        ReadOnlySpan<double> weights, Span<double> gradient, Span<double> diagonal, double scale)
    {
        Guard.Length(targets.Length, scores.Length, "n×c like scores", nameof(targets));
        Targets.KernelShape(scores.Length, classes, targets.Length / Math.Max(classes, 1));
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(scores))) Guard.AllFinite(scores, nameof(scores));
        Guard.AllFinite(targets, nameof(targets));
        int n = scores.Length / classes;
        if (!weights.IsEmpty)
        {
            if (weights.Length != n && weights.Length != scores.Length)
                throw new ArgumentException($"weights has length {weights.Length}, expected {n} (per row) or {scores.Length} (per entry).", nameof(weights));
            Guard.AllNonNegative(weights, nameof(weights));
        }
        if (!gradient.IsEmpty) Guard.Length(gradient.Length, scores.Length, "n×c, or empty to skip", nameof(gradient));
        if (!diagonal.IsEmpty) Guard.Length(diagonal.Length, scores.Length, "n×c, or empty to skip", nameof(diagonal));
        Guard.NonNegative(scale, nameof(scale));
    }

    internal static double Core<T>(T loss, ReadOnlySpan<double> scores, ReadOnlySpan<double> targets, int classes,
        ReadOnlySpan<double> weights, Span<double> gradient, Span<double> diagonal, double scale) where T : struct, IElementLoss
    {
        bool perEntry = weights.Length == scores.Length, wantG = !gradient.IsEmpty, wantD = !diagonal.IsEmpty;
        double total = 0;
        for (int k = 0; k < scores.Length; k++)
        {
            double w = scale * (weights.IsEmpty ? 1.0 : perEntry ? weights[k] : weights[k / classes]);
            double z = scores[k], t = targets[k];
            total += w * loss.Value(z, t);
            if (wantG) gradient[k] = w * loss.First(z, t);
            if (wantD) diagonal[k] = w * loss.Second(z, t);
        }
        return total;
    }
}

/// <summary>A loss built from an <see cref="IElementLoss"/>: validation, reduction, complex value and diagonal row block.</summary>
public abstract class ElementwiseLoss<T> : ScoreLoss, IComplexScoreLoss where T : struct, IElementLoss
{
    private readonly double[] _targets;
    private readonly double[]? _weights;

    private protected ElementwiseLoss(T loss, double[] targets, int classes, double[]? weights, Reduction reduction, bool unitInterval)
        : base(RowsOf(targets, classes, unitInterval), classes, reduction)
    {
        Loss = loss;
        _targets = Targets.Matrix(targets, classes, nameof(targets), out _, unitInterval: unitInterval);
        _weights = Targets.Weights(weights, "one per row or one per entry", Rows, Rows * Classes);
    }

    private static int RowsOf(double[] targets, int classes, bool unitInterval)
    {
        Targets.Matrix(targets, classes, nameof(targets), out int rows, unitInterval: unitInterval);
        return rows;
    }

    /// <summary>The per-entry loss (its parameters included).</summary>
    public T Loss { get; }

    protected override double Evaluate(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal) =>
        Elementwise.Core(Loss, scores, _targets, Classes, _weights, gradient, diagonal, Scale);

    /// <summary>The target of entry k (row-major).</summary>
    public double TargetAt(int k) => _targets[k];

    private double WeightAt(int k) => _weights is null ? 1.0 : _weights.Length == _targets.Length ? _weights[k] : _weights[k / Classes];

    protected override void RowBlock(ReadOnlySpan<double> z, int row, Span<double> block)
    {
        block.Clear();
        for (int j = 0; j < Classes; j++)
        {
            int k = row * Classes + j;
            block[j * Classes + j] = Scale * WeightAt(k) * Loss.Second(z[j], _targets[k]);
        }
    }

    Complex IComplexScoreLoss.Value(ReadOnlySpan<Complex> scores) => ComplexValue(scores);

    /// <summary>L(Z) for complex Z (complex-step checks). Named apart from Value so that collection expressions like Value([1.0, 2.0]) bind to the real overload.</summary>
    public Complex ComplexValue(ReadOnlySpan<Complex> scores)
    {
        CheckComplexScores(scores);
        Complex total = Complex.Zero;
        for (int k = 0; k < scores.Length; k++) total += WeightAt(k) * Loss.Value(scores[k], _targets[k]);
        return Scale * total;
    }

    /// <summary>log(1 + e^z) without overflow: max(z, 0) + log1p(e^−|z|).</summary>
    internal static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    internal static Complex Softplus(Complex z) => z.Real > 0 ? z + Complex.Log(1 + Complex.Exp(-z)) : Complex.Log(1 + Complex.Exp(z));

    /// <summary>σ(z) = 1/(1 + e^−z), evaluated on the side where the exponential cannot overflow.</summary>
    internal static double Sigmoid(double z)
    {
        if (z >= 0) return 1 / (1 + Math.Exp(-z));
        double e = Math.Exp(z);
        return e / (1 + e);
    }
}
