using MathNet.Numerics.LinearAlgebra;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// MathNet convenience layer for notebooks over the span API. A Matrix is the n×c score matrix (copied to row-major);
/// a Vector is the same matrix flattened row-major (length n·c). Results come back as new n×c / c×c matrices.
/// (Not named MatrixExtensions: MathNet.Numerics.LinearAlgebra already has a class of that name.)
/// </summary>
public static class LossMatrixExtensions
{
    /// <summary>L(Z).</summary>
    public static double Value(this IScoreLoss loss, Matrix<double> scores) => loss.Value(RowMajor(loss, scores));

    public static double Value(this IScoreLoss loss, Vector<double> scores) => loss.Value(Flat(loss, scores));

    /// <summary>∂L/∂Z as an n×c matrix.</summary>
    public static Matrix<double> Gradient(this IScoreLoss loss, Matrix<double> scores) => Gradient(loss, scores, out _);

    /// <summary>∂L/∂Z as an n×c matrix, with L(Z).</summary>
    public static Matrix<double> Gradient(this IScoreLoss loss, Matrix<double> scores, out double value)
    {
        var g = new double[loss.Rows * loss.Classes];
        value = loss.Gradient(RowMajor(loss, scores), g);
        return FromRowMajor(loss.Rows, loss.Classes, g);
    }

    public static Matrix<double> Gradient(this IScoreLoss loss, Vector<double> scores)
    {
        var g = new double[loss.Rows * loss.Classes];
        loss.Gradient(Flat(loss, scores), g);
        return FromRowMajor(loss.Rows, loss.Classes, g);
    }

    /// <summary>The diagonal ∂²L/∂Z[i,j]² as an n×c matrix.</summary>
    public static Matrix<double> DiagonalHessian(this IScoreLoss loss, Matrix<double> scores)
    {
        var d = new double[loss.Rows * loss.Classes];
        loss.DiagonalHessian(RowMajor(loss, scores), d);
        return FromRowMajor(loss.Rows, loss.Classes, d);
    }

    public static Matrix<double> DiagonalHessian(this IScoreLoss loss, Vector<double> scores)
    {
        var d = new double[loss.Rows * loss.Classes];
        loss.DiagonalHessian(Flat(loss, scores), d);
        return FromRowMajor(loss.Rows, loss.Classes, d);
    }

    /// <summary>The c×c Hessian block of one row.</summary>
    public static Matrix<double> RowHessian(this IScoreLoss loss, Matrix<double> scores, int row)
    {
        var h = new double[loss.Classes * loss.Classes];
        loss.RowHessian(RowMajor(loss, scores), row, h);
        return FromRowMajor(loss.Classes, loss.Classes, h);
    }

    public static Matrix<double> RowHessian(this IScoreLoss loss, Vector<double> scores, int row)
    {
        var h = new double[loss.Classes * loss.Classes];
        loss.RowHessian(Flat(loss, scores), row, h);
        return FromRowMajor(loss.Classes, loss.Classes, h);
    }

    /// <summary>Builds an n×c MathNet matrix from a row-major array (the span layout).</summary>
    public static Matrix<double> FromRowMajor(int rows, int columns, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Guard.Positive(rows, nameof(rows));
        Guard.Positive(columns, nameof(columns));
        Guard.Length(values.Length, rows * columns, "rows×columns", nameof(values));
        return Matrix<double>.Build.Dense(rows, columns, (i, j) => values[i * columns + j]);
    }

    private static double[] RowMajor(IScoreLoss loss, Matrix<double> scores)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.RowCount != loss.Rows || scores.ColumnCount != loss.Classes)
            throw new ArgumentException($"scores is {scores.RowCount}×{scores.ColumnCount}, expected {loss.Rows}×{loss.Classes} (n×c).", nameof(scores));
        return scores.ToRowMajorArray();
    }

    private static double[] Flat(IScoreLoss loss, Vector<double> scores)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != loss.Rows * loss.Classes)
            throw new ArgumentException($"scores has {scores.Count} entries, expected n·c = {loss.Rows * loss.Classes} (row-major).", nameof(scores));
        return scores.ToArray();
    }
}
