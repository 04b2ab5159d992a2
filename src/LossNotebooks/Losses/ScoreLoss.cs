using System.Numerics;
using System.Numerics.Tensors;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// Shared plumbing of every loss: shape and finiteness checks on each public call, the <see cref="Reduction"/> scale,
/// and the fused entry point <see cref="GradientAndDiagonalHessian"/>. Subclasses supply one fused kernel call
/// (value, optional gradient, optional diagonal) and the row block.
/// </summary>
public abstract class ScoreLoss : IScoreLoss
{
    protected ScoreLoss(int rows, int classes, Reduction reduction)
    {
        Guard.Positive(rows, "rows");
        Guard.Positive(classes, nameof(classes));
        if (reduction is not (Reduction.Sum or Reduction.Mean))
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction.");
        Rows = rows;
        Classes = classes;
        Reduction = reduction;
    }

    public abstract string Name { get; }
    public int Rows { get; }
    public int Classes { get; }
    public Reduction Reduction { get; }
    public abstract bool IsSmooth { get; }

    /// <summary>The factor applied to value and derivatives: 1 for Sum, 1/n for Mean.</summary>
    public double Scale => Reduction == Reduction.Mean ? 1.0 / Rows : 1.0;

    public double Value(ReadOnlySpan<double> scores)
    {
        CheckScores(scores);
        return Evaluate(scores, Span<double>.Empty, Span<double>.Empty);
    }

    public double Gradient(ReadOnlySpan<double> scores, Span<double> gradient)
    {
        CheckScores(scores);
        Guard.Length(gradient.Length, Rows * Classes, "n×c, row-major", nameof(gradient));
        return Evaluate(scores, gradient, Span<double>.Empty);
    }

    public void DiagonalHessian(ReadOnlySpan<double> scores, Span<double> diagonal)
    {
        CheckScores(scores);
        Guard.Length(diagonal.Length, Rows * Classes, "n×c, row-major", nameof(diagonal));
        Evaluate(scores, Span<double>.Empty, diagonal);
    }

    /// <summary>
    /// Value, gradient and diagonal Hessian in one fused pass (what a gradient-boosting objective needs);
    /// returns L(Z). Either output may be empty to skip it.
    /// </summary>
    public double GradientAndDiagonalHessian(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal)
    {
        CheckScores(scores);
        if (!gradient.IsEmpty) Guard.Length(gradient.Length, Rows * Classes, "n×c, row-major, or empty to skip", nameof(gradient));
        if (!diagonal.IsEmpty) Guard.Length(diagonal.Length, Rows * Classes, "n×c, row-major, or empty to skip", nameof(diagonal));
        return Evaluate(scores, gradient, diagonal);
    }

    public void RowHessian(ReadOnlySpan<double> scores, int row, Span<double> block)
    {
        CheckScores(scores);
        if ((uint)row >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"row must be in [0, {Rows}).");
        Guard.Length(block.Length, Classes * Classes, "c×c, row-major", nameof(block));
        RowBlock(scores.Slice(row * Classes, Classes), row, block);
    }

    /// <summary>Fused kernel: returns the (scaled) value; fills gradient / diagonal when they are non-empty.</summary>
    protected abstract double Evaluate(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal);

    /// <summary>The (scaled) c×c Hessian block of row <paramref name="row"/>, given that row's scores.</summary>
    protected abstract void RowBlock(ReadOnlySpan<double> rowScores, int row, Span<double> block);

    /// <summary>Length n·c and every entry finite. MaxMagnitude is one vectorised pass and is NaN/∞ iff some entry is.</summary>
    protected void CheckScores(ReadOnlySpan<double> scores)
    {
        // The message is built only on failure: this check runs on every call of the hot path.
        if (scores.Length != Rows * Classes) Guard.Length(scores.Length, Rows * Classes, $"n×c = {Rows}×{Classes}, row-major", nameof(scores));
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(scores))) Guard.AllFinite(scores, nameof(scores));
    }

    protected void CheckComplexScores(ReadOnlySpan<Complex> scores)
    {
        Guard.Length(scores.Length, Rows * Classes, $"n×c = {Rows}×{Classes}, row-major", nameof(scores));
        for (int i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i].Real) || !double.IsFinite(scores[i].Imaginary))
                throw new ArgumentException($"scores must contain only finite values; entry {i} is {scores[i]}.", nameof(scores));
    }

    public override string ToString() => $"{Name} (n = {Rows}, c = {Classes}, {Reduction})";
}
