using System.Numerics;
using LossNotebooks.Losses;
using LossNotebooks.Validation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Differentiation;

/// <summary>
/// The complex-step derivative f'(x) ≈ Im f(x + ih) / h for f analytic near x. There is no difference of nearby
/// values, so no cancellation: the truncation error is h²|f'''|/6 and the rounding error ε|f'|, and any h ≤ √(6ε)
/// (default 1e-20) gives f' to machine precision. Requires f written with operations that are analytic in z
/// (no Abs, no comparisons on the real part that branch, no Conjugate).
/// </summary>
public static class ComplexStep
{
    /// <summary>The default step: far below √(6ε) ≈ 3.7e-8, far above the subnormal range.</summary>
    public const double DefaultStep = 1e-20;

    /// <summary>f'(x) = Im f(x + ih) / h.</summary>
    public static double Derivative(Func<Complex, Complex> f, double x, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        CheckStep(h);
        return f(new Complex(x, h)).Imaginary / h;
    }

    /// <summary>∂f/∂x_k for every k, perturbing one imaginary part at a time.</summary>
    public static void Gradient(ComplexScalarFunction f, ReadOnlySpan<double> x, Span<double> gradient, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(gradient.Length, x.Length, "one entry per entry of x", nameof(gradient));
        Guard.AllFinite(x);
        CheckStep(h);
        var work = new Complex[x.Length];
        for (int k = 0; k < x.Length; k++) work[k] = x[k];
        for (int k = 0; k < x.Length; k++) gradient[k] = Partial(f, work, k, h);
    }

    /// <summary>∂f/∂x_k for the listed entries only.</summary>
    public static void GradientAt(ComplexScalarFunction f, ReadOnlySpan<double> x, ReadOnlySpan<int> indices, Span<double> values,
        double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Length(values.Length, indices.Length, "one value per index", nameof(values));
        Guard.AllFinite(x);
        CheckStep(h);
        var work = new Complex[x.Length];
        for (int k = 0; k < x.Length; k++) work[k] = x[k];
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i];
            if ((uint)k >= (uint)x.Length)
                throw new ArgumentOutOfRangeException(nameof(indices), k, $"indices[{i}] = {k} is not an index of x (length {x.Length}).");
            values[i] = Partial(f, work, k, h);
        }
    }

    /// <summary>∂L/∂Z of a smooth loss to machine precision, from its complex evaluation (n×c, row-major).</summary>
    public static void LossGradient(IComplexScoreLoss loss, ReadOnlySpan<double> scores, Span<double> gradient, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Guard.Length(scores.Length, loss.Rows * loss.Classes, "n×c scores of the loss", nameof(scores));
        Gradient(loss.Value, scores, gradient, h);
    }

    /// <summary>∂L/∂Z as an n×c matrix (notebook form).</summary>
    public static Matrix<double> LossGradient(IComplexScoreLoss loss, Matrix<double> scores, double h = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.RowCount != loss.Rows || scores.ColumnCount != loss.Classes)
            throw new ArgumentException($"scores is {scores.RowCount}×{scores.ColumnCount}, the loss expects {loss.Rows}×{loss.Classes}.", nameof(scores));
        var g = new double[loss.Rows * loss.Classes];
        LossGradient(loss, scores.ToRowMajorArray(), g, h);
        return Matrix<double>.Build.Dense(loss.Rows, loss.Classes, (i, j) => g[i * loss.Classes + j]);
    }

    internal static double Partial(ComplexScalarFunction f, Complex[] work, int k, double h)
    {
        var saved = work[k];
        work[k] = new Complex(saved.Real, h);
        double v = f(work).Imaginary / h;
        work[k] = saved;
        return v;
    }

    internal static void CheckStep(double h, string name = "h")
    {
        // Below ~1e-290 Im f / h loses bits to subnormals; above √(6ε) the h² truncation shows (allowed: sweeps show it).
        if (!(h >= 1e-290) || double.IsInfinity(h))
            throw new ArgumentOutOfRangeException(name, h, $"{name} must be finite and ≥ 1e-290 for the complex step, got {h}.");
    }
}
