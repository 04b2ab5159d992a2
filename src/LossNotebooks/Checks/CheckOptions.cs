using LossNotebooks.Differentiation;
using LossNotebooks.Validation;

using static LossNotebooks.Differentiation.TextTable;

namespace LossNotebooks.Checks;

/// <summary>
/// Pass/fail tolerances in torch's allclose form: an entry passes when |analytic − numeric| ≤ Atol + Rtol·|numeric|.
/// <para>
/// Defaults follow the error model of <see cref="StepSize"/> with the theory step, for a function whose values and
/// derivatives are O(1)–O(10²) (a loss summed over up to ~100 rows):
/// central / five-point: error ≲ 1e-10·(|f| + |f'''|) → Atol 1e-6, Rtol 1e-4 (≥ 100× margin; torch's gradcheck uses
/// Rtol 1e-3 with a fixed h = 1e-6, cs231n calls a relative error of 1e-7 good and 1e-2 wrong — 1e-4 sits between,
/// so a formula slip of ≳ 0.01% still fails);
/// forward / backward: error ≈ 2√ε·√(|f||f''|) ≈ 3e-8·scale → Atol 1e-4, Rtol 1e-3 (torch's Rtol);
/// complex step: no cancellation, error ≈ ε·|f'| plus the rounding of the analytic gradient → Atol 1e-12, Rtol 1e-10;
/// Hessian from differences of the gradient: as central (Atol 1e-6, Rtol 1e-4);
/// Hessian from second differences of the value: error ≈ 8ε|f|/h² ≈ 2e-8·|f| → Atol 1e-4, Rtol 1e-3.
/// </para>
/// </summary>
public readonly record struct CheckTolerance(double Atol, double Rtol)
{
    public static CheckTolerance For(DifferenceRule rule) => rule switch
    {
        DifferenceRule.Forward or DifferenceRule.Backward => new(1e-4, 1e-3),
        _ => new(1e-6, 1e-4),
    };

    public static CheckTolerance ComplexStep => new(1e-12, 1e-10);

    public static CheckTolerance SecondDifference => new(1e-4, 1e-3);

    public bool Accepts(double analytic, double numeric) => Math.Abs(analytic - numeric) <= Atol + Rtol * Math.Abs(numeric);

    public override string ToString() => Inv($"atol {Atol:G2}, rtol {Rtol:G2}");
}

/// <summary>How entries whose perturbation may cross a kink are recognised.</summary>
public enum KinkDetection
{
    /// <summary>Piecewise-linear detection for losses that say <c>IsSmooth == false</c>; off for plain functions.</summary>
    Auto,
    /// <summary>Never (a smooth function: forward and backward differences differ by h·f'' there, which is not a kink).</summary>
    Off,
    /// <summary>
    /// The function is piecewise linear: forward and backward differences agree to rounding unless a kink lies in
    /// [x − h, x + h], so an entry where they disagree by more than rounding straddles a kink.
    /// </summary>
    PiecewiseLinear,
}

/// <summary>Options shared by <see cref="GradientCheck"/> and <see cref="HessianCheck"/>.</summary>
public sealed record CheckOptions
{
    /// <summary>The difference rule (ignored when <see cref="UseComplexStep"/>).</summary>
    public DifferenceRule Rule { get; init; } = DifferenceRule.Central;

    /// <summary>How h is chosen per entry (default: theory, ε^(1/(p+1))·max(|x|,1)).</summary>
    public StepSize Step { get; init; } = StepSize.Theory;

    /// <summary>Complex step instead of a difference rule (needs a complex evaluation: IComplexScoreLoss / ComplexScalarFunction).</summary>
    public bool UseComplexStep { get; init; }

    /// <summary>Overrides the default tolerance of the method (<see cref="CheckTolerance"/>).</summary>
    public CheckTolerance? Tolerance { get; init; }

    /// <summary>Check only this many entries, sampled with <see cref="Seed"/> (cs231n's sparse check); null = all.</summary>
    public int? SampleSize { get; init; }

    public int Seed { get; init; }

    /// <summary>How many of the worst entries the report lists.</summary>
    public int WorstCount { get; init; } = 10;

    /// <summary>Columns for (row, col) indices of a flattened row-major matrix; 0 = infer (loss.Classes) or flat.</summary>
    public int Columns { get; init; }

    public KinkDetection KinkDetection { get; init; } = KinkDetection.Auto;

    /// <summary>Caller's knowledge: (flat index, step h) → the perturbation of that entry crosses a kink.</summary>
    public Func<int, double, bool>? IsKink { get; init; }

    /// <summary>The denominator floor of the relative error |a − n| / max(|a|, |n|, Tiny): only guards 0/0.</summary>
    public double Tiny { get; init; } = 1e-300;

    internal void Validate(int entries)
    {
        if (SampleSize is { } k && (k < 1 || k > entries))
            throw new ArgumentOutOfRangeException(nameof(SampleSize), k, $"SampleSize must be in [1, {entries}] (the number of entries), got {k}.");
        if (WorstCount < 0) throw new ArgumentOutOfRangeException(nameof(WorstCount), WorstCount, "WorstCount must be ≥ 0.");
        if (Columns < 0) throw new ArgumentOutOfRangeException(nameof(Columns), Columns, "Columns must be ≥ 0.");
        Guard.Positive(Tiny, nameof(Tiny));
        if (Tolerance is { } t)
        {
            Guard.NonNegative(t.Atol, nameof(Tolerance) + ".Atol");
            Guard.NonNegative(t.Rtol, nameof(Tolerance) + ".Rtol");
        }
    }
}
