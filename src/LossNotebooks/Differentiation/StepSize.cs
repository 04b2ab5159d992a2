using LossNotebooks.Validation;

namespace LossNotebooks.Differentiation;

/// <summary>
/// How the step h is chosen at a point x. Absolute: h as given. Relative: h·max(|x|, 1), so large x get a step
/// that still changes x in floating point. Theory: the step that balances truncation against rounding error for
/// the rule (ε^(1/2) forward, ε^(1/3) central, ε^(1/5) five-point, ε^(1/4) second derivative), scaled relatively.
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

    private static double Checked(double x, double h)
    {
        // A step that vanishes against x makes every difference 0/h: say so instead of returning 0 or NaN.
        if (x + h == x || x - h == x)
            throw new ArgumentOutOfRangeException(nameof(h), h, $"step h = {h} underflows against x = {x}: x ± h == x in double precision.");
        return h;
    }
}

public enum StepKind { Absolute, Relative, Theory }

