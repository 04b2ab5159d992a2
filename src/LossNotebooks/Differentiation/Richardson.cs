using LossNotebooks.Validation;

using static LossNotebooks.Differentiation.TextTable;

namespace LossNotebooks.Differentiation;

/// <summary>An extrapolated value with its error estimate, the first step used and the number of halvings.</summary>
public readonly record struct Extrapolation(double Value, double ErrorEstimate, double Step, int Levels)
{
    public override string ToString() => Inv($"{Value:R} ± {ErrorEstimate:E1} (h₀ = {Step:G3}, {Levels} levels)");
}

/// <summary>
/// Richardson extrapolation, the layer above the difference rules. An estimate D(h) = D + a₁h^p + a₂h^(p+q) + …
/// is evaluated at h, h/r, h/r², … and the Neville tableau
/// T[i,j] = T[i,j−1] + (T[i,j−1] − T[i−1,j−1]) / (r^(p+(j−1)q) − 1) cancels one error term per column.
/// <para>
/// Error estimate = |T[L,L] − T[L,L−1]| (the last correction — conservative because each column converges faster
/// than the one before) plus a rounding bound carried through the same tableau:
/// noise[i,j] = noise[i,j−1] + (noise[i,j−1] + noise[i−1,j−1]) / (r^e − 1), starting from the caller's rounding
/// bound of each D(h). For the difference rules that start is 10·R·ε·max|f|/h (R as in <see cref="StepSize"/>;
/// 10 allows f a few ulps of error, not just correct rounding).
/// </para>
/// </summary>
public static class Richardson
{
    /// <summary>
    /// Extrapolates any estimator of known error expansion. <paramref name="order"/> = p, <paramref name="orderStep"/>
    /// = q (1 for one-sided rules, 2 for symmetric ones), <paramref name="levels"/> halvings (ratio r = 2).
    /// <paramref name="roundoff"/> (optional) bounds the rounding error of estimate(h).
    /// </summary>
    public static Extrapolation Extrapolate(Func<double, double> estimate, double h, int order, int orderStep, int levels = 3,
        Func<double, double>? roundoff = null)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        Guard.Positive(h);
        Guard.Positive(order);
        Guard.Positive(orderStep);
        if (levels < 1 || levels > 20)
            throw new ArgumentOutOfRangeException(nameof(levels), levels, "levels must be in [1, 20] (each level halves h).");
        const double ratio = 2;
        var t = new double[levels + 1][];
        var noise = new double[levels + 1][];
        for (int i = 0; i <= levels; i++)
        {
            double hi = h / Math.Pow(ratio, i);
            t[i] = new double[i + 1];
            noise[i] = new double[i + 1];
            t[i][0] = estimate(hi);
            noise[i][0] = roundoff?.Invoke(hi) ?? 0;
            if (!double.IsFinite(t[i][0]))
                throw new ArgumentException($"estimate({hi:G6}) = {t[i][0]}: the function is not finite near the point.", nameof(estimate));
            for (int j = 1; j <= i; j++)
            {
                double factor = Math.Pow(ratio, order + (j - 1) * orderStep) - 1;
                t[i][j] = t[i][j - 1] + (t[i][j - 1] - t[i - 1][j - 1]) / factor;
                noise[i][j] = noise[i][j - 1] + (noise[i][j - 1] + noise[i - 1][j - 1]) / factor;
            }
        }
        double best = t[levels][levels];
        // |T[L,L] − T[L,L−1]| ≈ the error of T[L,L−1], which converges one order slower than T[L,L]: an upper estimate.
        double change = Math.Abs(best - t[levels][levels - 1]);
        return new Extrapolation(best, change + noise[levels][levels], h, levels);
    }

    /// <summary>
    /// f'(x) by <paramref name="rule"/> extrapolated over <paramref name="levels"/> halvings of h
    /// (default h = 2⁻³·max(|x|, 1): large enough that rounding stays small, the extrapolation removes truncation).
    /// </summary>
    public static Extrapolation Derivative(Func<double, double> f, double x, DifferenceRule rule = DifferenceRule.Central,
        double? h = null, int levels = 3)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        double h0 = h ?? 0.125 * Math.Max(Math.Abs(x), 1);
        StepSize.Checked(x, h0 / Math.Pow(2, Math.Clamp(levels, 0, 20)));
        double scale = 0;
        double F(double t) { double v = f(t); scale = Math.Max(scale, Math.Abs(v)); return v; }
        double r = rule switch
        {
            DifferenceRule.Forward or DifferenceRule.Backward => 2,
            DifferenceRule.Central => 1,
            DifferenceRule.FivePointCentral => 1.5,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
        };
        int p = StepSize.Order(rule), q = rule is DifferenceRule.Central or DifferenceRule.FivePointCentral ? 2 : 1;
        return Extrapolate(hi => FiniteDifference.Apply(F, x, rule, hi), h0, p, q, levels,
            hi => 10 * r * StepSize.MachineEpsilon * scale / hi);
    }

    /// <summary>f''(x) by the central second difference (order 2, even expansion) extrapolated over halvings of h.</summary>
    public static Extrapolation SecondDerivative(Func<double, double> f, double x, double? h = null, int levels = 3)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x);
        double h0 = h ?? 0.125 * Math.Max(Math.Abs(x), 1);
        StepSize.Checked(x, h0 / Math.Pow(2, Math.Clamp(levels, 0, 20)));
        double scale = 0;
        double F(double t) { double v = f(t); scale = Math.Max(scale, Math.Abs(v)); return v; }
        return Extrapolate(hi => (F(x + hi) - 2 * F(x) + F(x - hi)) / (hi * hi), h0, 2, 2, levels,
            hi => 10 * 4 * StepSize.MachineEpsilon * scale / (hi * hi));
    }
}
