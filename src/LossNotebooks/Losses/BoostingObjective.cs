using MathNet.Numerics.LinearAlgebra;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// What a gradient-boosting custom objective exchanges with the library, and how good its diagonal curvature is.
/// <para>
/// Layout. Our kernels write n×c row-major arrays (entry (i, j) at i·c + j). XGBoost's custom multiclass objective
/// takes and returns (rows, classes) arrays, flattened row-major: the same layout. LightGBM's C API, and its Python
/// package before 4.0, flatten class-major (entry (i, j) at j·n + i); since 4.0 the Python package passes 2-D
/// (n_samples, n_classes) arrays and converts itself. <see cref="ToClassMajor"/> / <see cref="FromClassMajor"/> convert.
/// </para>
/// <para>
/// Curvature. A tree leaf takes the diagonal Newton step d = −g/D per class. How D compares with the true row block H
/// is measured by the eigenvalues of D^{-1/2} H D^{-1/2} (<see cref="CurvatureRatios"/>): the largest is the most the
/// true curvature exceeds the diagonal model along any direction. ≤ 1 means D ⪰ H (a majorizer: the step never
/// overshoots the local quadratic); between 1 and 2 the quadratic still decreases but overshoots along some direction;
/// ≥ 2 the step can increase it. <see cref="StepCurvatureRatio"/> gives the same ratio along the step actually taken.
/// These allocate (an eigendecomposition): they are for notebooks and tests, not the training loop.
/// </para>
/// </summary>
public static class BoostingObjective
{
    /// <summary>Row-major n×c → class-major (entry (i, j) moves from i·c + j to j·n + i).</summary>
    public static void ToClassMajor(ReadOnlySpan<double> rowMajor, int classes, Span<double> classMajor)
    {
        int n = CheckLayout(rowMajor.Length, classes, classMajor.Length, nameof(classMajor));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < classes; j++)
                classMajor[j * n + i] = rowMajor[i * classes + j];
    }

    /// <summary>Class-major → row-major n×c (the inverse of <see cref="ToClassMajor"/>).</summary>
    public static void FromClassMajor(ReadOnlySpan<double> classMajor, int classes, Span<double> rowMajor)
    {
        int n = CheckLayout(classMajor.Length, classes, rowMajor.Length, nameof(rowMajor));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < classes; j++)
                rowMajor[i * classes + j] = classMajor[j * n + i];
    }

    /// <summary>
    /// Smallest and largest eigenvalue of D^{-1/2} H D^{-1/2} for a c×c row block H (row-major, symmetric) and a
    /// positive diagonal curvature D (length c). Max ≤ 1 ⇔ D ⪰ H; Min &lt; 0 ⇔ H is indefinite.
    /// </summary>
    public static (double Min, double Max) CurvatureRatios(ReadOnlySpan<double> rowHessian, ReadOnlySpan<double> diagonal)
    {
        int c = diagonal.Length;
        CheckBlock(rowHessian, diagonal);
        var scaled = Matrix<double>.Build.Dense(c, c);
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++)
                // Average the two triangles: H is symmetric in exact arithmetic, and Evd needs it symmetric to use the real path.
                scaled[a, b] = 0.5 * (rowHessian[a * c + b] + rowHessian[b * c + a]) / Math.Sqrt(diagonal[a] * diagonal[b]);
        var eig = scaled.Evd(Symmetricity.Symmetric).EigenValues;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var e in eig) { min = Math.Min(min, e.Real); max = Math.Max(max, e.Real); }
        return (min, max);
    }

    /// <summary>
    /// For the diagonal Newton step d = −g/D: dᵀHd / dᵀDd, the true curvature along the step in units of the curvature
    /// the step assumed. The step is the exact minimiser of the local quadratic along its own direction iff this is 1;
    /// above 1 it overshoots (by that factor), below 1 it stops short.
    /// </summary>
    public static double StepCurvatureRatio(ReadOnlySpan<double> rowHessian, ReadOnlySpan<double> diagonal, ReadOnlySpan<double> gradient)
    {
        int c = diagonal.Length;
        CheckBlock(rowHessian, diagonal);
        Guard.Length(gradient.Length, c, "one entry per class, like diagonal", nameof(gradient));
        Guard.AllFinite(gradient);
        double dHd = 0, dDd = 0;
        for (int a = 0; a < c; a++)
        {
            double da = -gradient[a] / diagonal[a];
            dDd += da * da * diagonal[a];
            for (int b = 0; b < c; b++) dHd += da * rowHessian[a * c + b] * (-gradient[b] / diagonal[b]);
        }
        if (dDd == 0) throw new ArgumentException("gradient is zero: there is no step to measure.", nameof(gradient));
        return dHd / dDd;
    }

    private static int CheckLayout(int length, int classes, int outputLength, string outputName)
    {
        Guard.Positive(classes);
        if (length == 0 || length % classes != 0)
            throw new ArgumentException($"input has {length} entries, which is not a positive multiple of classes = {classes} (n×c).", "rowMajor");
        Guard.Length(outputLength, length, "the same n×c as the input", outputName);
        return length / classes;
    }

    private static void CheckBlock(ReadOnlySpan<double> rowHessian, ReadOnlySpan<double> diagonal)
    {
        int c = diagonal.Length;
        if (c == 0) throw new ArgumentException("diagonal must not be empty.", nameof(diagonal));
        Guard.Length(rowHessian.Length, c * c, "c×c, row-major, for c = diagonal.Length", nameof(rowHessian));
        Guard.AllFinite(rowHessian);
        for (int a = 0; a < c; a++)
            if (!(diagonal[a] > 0) || !double.IsFinite(diagonal[a]))
                throw new ArgumentOutOfRangeException(nameof(diagonal), diagonal[a], $"diagonal[{a}] must be finite and positive (a Newton step divides by it).");
    }
}
