using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// L(z) = Σ_k |z_k| on one row of c scores, written here so a test controls what the checker is told:
/// whether the loss calls itself smooth, an error added to its analytic gradient, and (in
/// <see cref="KinkedAbsTestLoss"/>) the kink distances it reports, independent of where its real kink (z_k = 0) is.
/// Gradient sign(z_k) with sign(0) = +1; Hessian 0 (diagonal and row block).
/// </summary>
internal class AbsTestLoss(int classes, bool isSmooth, double[]? gradientError = null) : IScoreLoss
{
    public string Name => "abs";
    public int Rows => 1;
    public int Classes => classes;
    public bool IsSmooth => isSmooth;

    public double Value(ReadOnlySpan<double> scores)
    {
        double s = 0;
        foreach (double z in scores) s += Math.Abs(z);
        return s;
    }

    public double Gradient(ReadOnlySpan<double> scores, Span<double> gradient)
    {
        for (int k = 0; k < scores.Length; k++) gradient[k] = (scores[k] >= 0 ? 1 : -1) + (gradientError?[k] ?? 0);
        return Value(scores);
    }

    public void DiagonalHessian(ReadOnlySpan<double> scores, Span<double> diagonal) => diagonal.Clear();

    public void RowHessian(ReadOnlySpan<double> scores, int row, Span<double> block) => block.Clear();
}

internal sealed class KinkedAbsTestLoss(int classes, bool isSmooth, double[] distances, double[]? gradientError = null)
    : AbsTestLoss(classes, isSmooth, gradientError), IKinkedScoreLoss
{
    public void KinkDistances(ReadOnlySpan<double> scores, Span<double> d) => distances.CopyTo(d);
}
