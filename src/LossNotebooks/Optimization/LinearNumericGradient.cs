using LossNotebooks.Differentiation;
using LossNotebooks.Validation;

namespace LossNotebooks.Optimization;

/// <summary>
/// Numeric gradients of a <see cref="LinearClassifier"/>'s objective wrt W, two ways.
/// <para>
/// <see cref="Plain"/> is the seeds' every-entry method: each partial derivative re-evaluates the whole loss, so the
/// (d+1)·c entries cost O(n·d·c) each. <see cref="Incremental"/> uses the structure of Z = X̃·W: perturbing W[i,k] by o
/// changes only column k of Z, by o·X̃[:,i]. So Z is computed once and each evaluation costs O(n), independent of d: for
/// the hinge only the margins in column k (or, for rows labelled k, that row's margins) move, and their change is summed
/// directly; for the softmax losses the column is shifted and the library's loss kernel re-run on the scores (O(n·c)).
/// Values are formed as differences L(W + o·e) − L(W), which only removes cancellation relative to the plain method.
/// </para>
/// <para>
/// Kinks (hinge): nothing special is done. Both methods apply the same difference rule with the same step h
/// (<see cref="StepSize.At"/> at the same W entry) to the same function, so an entry whose ±h step crosses a kink gets the
/// same (secant) value from both; where it crosses one, that value is not the subgradient, in either method.
/// </para>
/// </summary>
public static class LinearNumericGradient
{
    /// <summary>
    /// Σ_r [ℓ_r(z_r + o·X̃[r,i]·e_k) − ℓ_r(z_r)] for the hinge, O(1) per row when k ≠ y_r (only the margin m_rk moves) and
    /// O(c) when k = y_r (every margin of the row moves by −δ). Same function values as re-evaluating the loss, up to rounding.
    /// </summary>
    private static double HingeDelta(double[] z, ReadOnlySpan<double> xi, int[] y, int c, int k, double offset, double margin)
    {
        double total = 0;
        for (int r = 0; r < xi.Length; r++)
        {
            double delta = offset * xi[r];
            if (delta == 0) continue;
            int yr = y[r];
            double correct = z[r * c + yr];
            if (k != yr)
            {
                double m = margin + z[r * c + k] - correct;
                total += Math.Max(0, m + delta) - Math.Max(0, m);
            }
            else
            {
                for (int j = 0; j < c; j++)
                {
                    if (j == yr) continue;
                    double m = margin + z[r * c + j] - correct;
                    total += Math.Max(0, m - delta) - Math.Max(0, m);
                }
            }
        }
        return total;
    }

    /// <summary>Every entry by re-evaluating the whole loss (<c>FiniteDifference.Gradient</c> on <see cref="LinearClassifier.Value"/>).</summary>
    public static void Plain(LinearClassifier model, ReadOnlySpan<double> weights, Span<double> gradient,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckWeights(weights);
        Guard.Length(gradient.Length, model.Parameters, "(d+1)×c like the weights", nameof(gradient));
        FiniteDifference.Gradient(model.Value, weights, gradient, rule, step);
    }

    /// <summary>
    /// Same rule, same steps, same function as <see cref="Plain"/>, by incremental score updates. Parallel over fixed
    /// groups of W rows, each entry computed independently, so the result does not depend on the thread count.
    /// </summary>
    public static void Incremental(LinearClassifier model, ReadOnlySpan<double> weights, Span<double> gradient,
        DifferenceRule rule = DifferenceRule.Central, StepSize? step = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.CheckWeights(weights);
        Guard.Length(gradient.Length, model.Parameters, "(d+1)×c like the weights", nameof(gradient));
        if (!Enum.IsDefined(rule)) throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule.");
        var s = step ?? StepSize.Theory;
        int n = model.Rows, c = model.Classes, D = model.Width;
        var w = weights.ToArray();
        var z0 = new double[n * c];
        model.Scores(w, z0);
        double lambda = model.Regularization, penalty0 = model.Penalty(w);
        double f0 = model.DataFromScores(z0) + penalty0;
        var result = new double[w.Length];
        // X̃ᵀ (D×n): the column X̃[:, i] every entry of W row i needs is then contiguous (row-major X̃ would stride by D).
        var xt = new double[D * n];
        LinearClassifier.Transpose(model.Design, n, D, xt);
        var y = model.Labels.ToArray();
        bool hinge = model.Loss == LinearLoss.Hinge;
        double margin = model.Margin, scale = 1.0 / n;
        int groups = Math.Min(D, 16);
        void Group(int g)
        {
            var z = (double[])z0.Clone();
            var column = new double[n];
            for (int i = (int)((long)D * g / groups); i < (int)((long)D * (g + 1) / groups); i++)
                for (int k = 0; k < c; k++)
                {
                    int e = i * c + k;
                    double we = w[e], h = s.At(we, rule);
                    bool penalised = i < model.Features && lambda != 0;
                    // F(o) = L(W + o·e_ik) − L(W). Differences are formed directly (no f0 to cancel against).
                    double F(double offset)
                    {
                        double dp = penalised ? lambda * ((we + offset) * (we + offset) - we * we) : 0;
                        return (hinge ? HingeDelta(z0, xt.AsSpan(i * n, n), y, c, k, offset, margin) * scale : KernelDelta(offset)) + dp;
                    }
                    double KernelDelta(double offset)
                    {
                        for (int r = 0; r < n; r++) z[r * c + k] = column[r] + offset * xt[i * n + r];
                        double v = model.DataFromScores(z) - (f0 - penalty0);
                        for (int r = 0; r < n; r++) z[r * c + k] = column[r];
                        return v;
                    }
                    if (!hinge) for (int r = 0; r < n; r++) column[r] = z[r * c + k];
                    // The same formulas as FiniteDifference.PartialDerivative, with f0 ↦ 0.
                    result[e] = rule switch
                    {
                        DifferenceRule.Forward => F(h) / h,
                        DifferenceRule.Backward => -F(-h) / h,
                        DifferenceRule.Central => (F(h) - F(-h)) / (2 * h),
                        _ => (-F(2 * h) + 8 * F(h) - 8 * F(-h) + F(-2 * h)) / (12 * h),
                    };
                }
        }
        if (Environment.ProcessorCount == 1 || (long)n * c * D < 1 << 14)
            for (int g = 0; g < groups; g++) Group(g);
        else
            Parallel.For(0, groups, Group);
        result.CopyTo(gradient);
    }
}
