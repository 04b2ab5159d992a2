using LossNotebooks.Differentiation;
using LossNotebooks.Validation;

namespace LossNotebooks.Optimization;

/// <summary>
/// Numeric gradients of a <see cref="LinearClassifier"/>'s objective wrt W, two ways.
/// <para>
/// <see cref="Plain"/> is the seeds' every-entry method: each partial derivative re-evaluates the whole loss, so the
/// (d+1)·c entries cost O(n·d·c) each. <see cref="Incremental"/> uses the structure of Z = X̃·W: perturbing W[i,k] by o
/// changes only column k of Z, by o·X̃[:,i]. So Z is computed once, and each evaluation shifts one column (O(n)) and
/// re-runs the loss kernel on the scores (O(n·c), no product with X) — independent of d.
/// </para>
/// <para>
/// Kinks (hinge): nothing special is done. Both methods apply the same difference rule with the same step h
/// (<see cref="StepSize.At"/> at the same W entry) to the same function, so an entry whose ±h step crosses a kink gets the
/// same (secant) value from both; where it crosses one, that value is not the subgradient, in either method.
/// </para>
/// </summary>
public static class LinearNumericGradient
{
    /// <summary>Every entry by re-evaluating the whole loss (<see cref="FiniteDifference.Gradient"/> on <see cref="LinearClassifier.Value"/>).</summary>
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
        var x = model.Design.ToArray(); // captured by the worker lambda (spans cannot be)
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
                    bool penalised = i < model.Features;
                    for (int r = 0; r < n; r++) column[r] = z[r * c + k];
                    double F(double offset)
                    {
                        for (int r = 0; r < n; r++) z[r * c + k] = column[r] + offset * x[r * D + i];
                        double p = penalised && lambda != 0 ? penalty0 - lambda * we * we + lambda * (we + offset) * (we + offset) : penalty0;
                        return model.DataFromScores(z) + p;
                    }
                    // The same formulas as FiniteDifference.PartialDerivative.
                    result[e] = rule switch
                    {
                        DifferenceRule.Forward => (F(h) - f0) / h,
                        DifferenceRule.Backward => (f0 - F(-h)) / h,
                        DifferenceRule.Central => (F(h) - F(-h)) / (2 * h),
                        _ => (-F(2 * h) + 8 * F(h) - 8 * F(-h) + F(-2 * h)) / (12 * h),
                    };
                    for (int r = 0; r < n; r++) z[r * c + k] = column[r];
                }
        }
        if (Environment.ProcessorCount == 1 || (long)n * c * D < 1 << 14)
            for (int g = 0; g < groups; g++) Group(g);
        else
            Parallel.For(0, groups, Group);
        result.CopyTo(gradient);
    }
}
