using System.Numerics;

namespace LossNotebooks.Losses;

/// <summary>
/// A loss of an n×c score matrix Z (row-major: rows are examples, columns classes), with its targets, weights and
/// parameters bound when it is constructed. Every loss here is a sum of per-row terms, so its full Hessian is block
/// diagonal and <see cref="RowHessian"/> gives all of it, one c×c block at a time.
/// </summary>
public interface IScoreLoss
{
    /// <summary>A short name for tables and figure legends.</summary>
    string Name { get; }

    /// <summary>n, the number of rows (examples).</summary>
    int Rows { get; }

    /// <summary>c, the number of columns (classes or outputs).</summary>
    int Classes { get; }

    /// <summary>False for piecewise-linear losses (hinge, WARP): gradients are subgradients, Hessians zero off kinks.</summary>
    bool IsSmooth { get; }

    /// <summary>L(Z).</summary>
    double Value(ReadOnlySpan<double> scores);

    /// <summary>Writes ∂L/∂Z (n×c, row-major) into <paramref name="gradient"/> and returns L(Z).</summary>
    double Gradient(ReadOnlySpan<double> scores, Span<double> gradient);

    /// <summary>Writes the diagonal ∂²L/∂Z[i,j]² (n×c) into <paramref name="diagonal"/>.</summary>
    void DiagonalHessian(ReadOnlySpan<double> scores, Span<double> diagonal);

    /// <summary>Writes the c×c block ∂²L/∂Z[row,:]∂Z[row,:] (row-major) into <paramref name="block"/>.</summary>
    void RowHessian(ReadOnlySpan<double> scores, int row, Span<double> block);
}

/// <summary>
/// A smooth loss that can also be evaluated on complex scores, so its gradient can be checked with the
/// complex-step derivative to machine precision (Im f(z + ih·e) / h has no subtractive cancellation).
/// </summary>
public interface IComplexScoreLoss : IScoreLoss
{
    /// <summary>L(Z) for complex Z, analytic in each entry (the same formula as <see cref="IScoreLoss.Value"/>).</summary>
    Complex Value(ReadOnlySpan<Complex> scores);
}
