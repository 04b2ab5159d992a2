using LossNotebooks.Validation;

using static LossNotebooks.Differentiation.TextTable;

namespace LossNotebooks.Differentiation;

/// <summary>
/// How the step h is chosen at a point x. Absolute: h as given. Relative: h·max(|x|, 1), so large x get a step
/// that still changes x in floating point. Theory: the step that balances truncation against rounding error for
/// the rule (ε^(1/2) forward, ε^(1/3) central, ε^(1/5) five-point, ε^(1/4) second derivative), scaled relatively.
/// <para>
/// Derivation (ε = 2⁻⁵², each evaluation of f carries a rounding error ≈ ε|f|, M_k = |f⁽ᵏ⁾| near x):
/// a rule of order p with truncation C·h^p·M_(p+1) and rounding R·ε·M_0/h has total error
/// E(h) = C·h^p·M_(p+1) + R·ε·M_0/h, minimal at h* = (R·ε·M_0 / (p·C·M_(p+1)))^(1/(p+1)) ∝ ε^(1/(p+1)),
/// where E(h*) ∝ ε^(p/(p+1)). Per rule (C, R): forward/backward (1/2, 2) → h* = 2√(ε M_0/M_2);
/// central (1/6, 1) → h* = (3ε M_0/M_3)^(1/3); five-point (1/30, 3/2) → h* = (11.25 ε M_0/M_5)^(1/5);
/// second difference, truncation h²M_4/12 and rounding 4εM_0/h² → h* = (48 ε M_0/M_4)^(1/4).
/// With unit scales (M_k ≈ 1 around |x| ≲ 1) the constants are 2, 1.44, 1.62 and 2.6 times the bare power of ε,
/// so the bare powers used here are within a factor 3 of the optimum — the error curve is flat within that factor
/// (see <see cref="TheoreticalOptimum"/> for the exact unit-scale optimum that the step sweep shows). Scaling by
/// max(|x|, 1) keeps h/|x| fixed for large x, where the rounding of x + h itself is ε|x|.
/// </para>
/// </summary>
public readonly record struct StepSize(StepKind Kind, double H)
{
    /// <summary>2⁻⁵², the spacing of doubles at 1 (not <see cref="double.Epsilon"/>, the smallest subnormal).</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    public static StepSize Absolute(double h) { Guard.Positive(h); return new(StepKind.Absolute, h); }

    public static StepSize Relative(double h) { Guard.Positive(h); return new(StepKind.Relative, h); }

    /// <summary>The theory-based default for each rule (see the type's summary).</summary>
    public static StepSize Theory => new(StepKind.Theory, double.NaN);

    /// <summary>The optimal order-of-magnitude step for a rule, ε^(1/(p+1)) for a rule of order p.</summary>
    public static double TheoreticalStep(DifferenceRule rule) => rule switch
    {
        DifferenceRule.Forward or DifferenceRule.Backward => Math.Sqrt(MachineEpsilon),
        DifferenceRule.Central => Math.Cbrt(MachineEpsilon),
        DifferenceRule.FivePointCentral => Math.Pow(MachineEpsilon, 1.0 / 5.0),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
    };

    /// <summary>ε^(1/4): balances the O(h²) truncation of the central second difference against its ε/h² rounding.</summary>
    public static double TheoreticalSecondDerivativeStep => Math.Pow(MachineEpsilon, 0.25);

    /// <summary>The order p of a rule's truncation error O(h^p).</summary>
    public static int Order(DifferenceRule rule) => rule switch
    {
        DifferenceRule.Forward or DifferenceRule.Backward => 1,
        DifferenceRule.Central => 2,
        DifferenceRule.FivePointCentral => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown difference rule."),
    };

    /// <summary>
    /// The exact minimiser h* of the error model E(h) (type summary) and E(h*), for unit scales M_k = 1, |x| ≤ 1.
    /// Richardson is one extrapolation of central differences at h and h/2: truncation h⁴M_5/480, rounding 3εM_0/h →
    /// h* = (360ε)^(1/5). The complex step has no cancellation: its error is ε|f'| for every h ≤ √(6ε) (where the
    /// h²M_3/6 truncation falls below ε), so h* is reported as that edge.
    /// </summary>
    public static (double H, double Error) TheoreticalOptimum(SweepMethod method)
    {
        const double e = MachineEpsilon;
        return method switch
        {
            SweepMethod.Forward or SweepMethod.Backward => (2 * Math.Sqrt(e), 2 * Math.Sqrt(e)),
            SweepMethod.Central => (Math.Cbrt(3 * e), 0.5 * Math.Pow(3 * e, 2.0 / 3.0)),
            SweepMethod.FivePointCentral => Optimum(Math.Pow(11.25 * e, 0.2), h => Math.Pow(h, 4) / 30 + 1.5 * e / h),
            SweepMethod.Richardson => Optimum(Math.Pow(360 * e, 0.2), h => Math.Pow(h, 4) / 480 + 3 * e / h),
            SweepMethod.SecondCentral => Optimum(Math.Pow(48 * e, 0.25), h => h * h / 12 + 4 * e / (h * h)),
            SweepMethod.ComplexStep => (Math.Sqrt(6 * e), e),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown sweep method."),
        };
        static (double, double) Optimum(double h, Func<double, double> error) => (h, error(h));
    }

    /// <summary>The step to use at <paramref name="x"/> for <paramref name="rule"/>; checked to change x.</summary>
    public double At(double x, DifferenceRule rule) => Checked(x, Kind switch
    {
        StepKind.Absolute => H,
        StepKind.Relative => H * Math.Max(Math.Abs(x), 1.0),
        _ => TheoreticalStep(rule) * Math.Max(Math.Abs(x), 1.0),
    });

    /// <summary>The step for a central second difference at <paramref name="x"/>.</summary>
    public double ForSecondDerivativeAt(double x) => Checked(x, Kind switch
    {
        StepKind.Absolute => H,
        StepKind.Relative => H * Math.Max(Math.Abs(x), 1.0),
        _ => TheoreticalSecondDerivativeStep * Math.Max(Math.Abs(x), 1.0),
    });

    /// <summary>For reports: "h = 1e-05", "h = 1e-05·max(|x|,1)", "h = ε^(1/3)·max(|x|,1)".</summary>
    public string Describe(DifferenceRule rule) => Kind switch
    {
        StepKind.Absolute => Inv($"h = {H:G3}"),
        StepKind.Relative => Inv($"h = {H:G3}·max(|x|,1)"),
        _ => $"h = ε^(1/{Order(rule) + 1})·max(|x|,1)",
    };

    /// <summary>Throws when x ± h rounds back to x (the step underflows against x).</summary>
    public static double Checked(double x, double h)
    {
        Guard.Positive(h);
        // A step that vanishes against x makes every difference 0/h: say so instead of returning 0 or NaN.
        if (x + h == x || x - h == x)
            throw new ArgumentOutOfRangeException(nameof(h), h, $"step h = {h} underflows against x = {x}: x ± h == x in double precision.");
        return h;
    }

    public override string ToString() => Kind switch
    {
        StepKind.Absolute => Inv($"absolute h = {H:G3}"),
        StepKind.Relative => Inv($"relative h = {H:G3}·max(|x|,1)"),
        _ => "theory (ε^(1/(p+1))·max(|x|,1))",
    };
}

public enum StepKind { Absolute, Relative, Theory }
