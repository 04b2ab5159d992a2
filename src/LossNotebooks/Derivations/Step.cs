namespace LossNotebooks.Derivations;

/// <summary>What the project claims about a step: the line holds, or the seed's line is wrong.</summary>
public enum ExpectedVerdict
{
    /// <summary>The line is right: Left = Right within tolerance on every random input.</summary>
    Correct,
    /// <summary>The seed's line is wrong: some input breaks it, far beyond the tolerance.</summary>
    SeedError,
}

/// <summary>One side of an identity, evaluated on one random input.</summary>
public delegate double StepFunction(StepInput input);

/// <summary>One side of an identity that holds entry by entry (a gradient, a per-row quantity) on one input.</summary>
public delegate double[] VectorStepFunction(StepInput input);

/// <summary>
/// One checkable line of a derivation: an id, the claim in words, and two functions whose values must agree,
/// |Left − Right| ≤ atol + rtol·max(|Left|, |Right|), on every seeded random input. The tolerances may be left out
/// (null): they then follow from the numeric method the sides used (see <see cref="Tolerances"/>).
/// A step marked <see cref="ExpectedVerdict.SeedError"/> names the step that corrects it in <see cref="CorrectedBy"/>.
/// </summary>
public sealed record Step
{
    public Step(string id, string claim, StepFunction left, StepFunction right,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null)
        : this(id, claim, Wrap(left, nameof(left)), Wrap(right, nameof(right)), tolerance, relativeTolerance, toleranceReason, expected, correctedBy)
    {
    }

    private static VectorStepFunction Wrap(StepFunction f, string name)
    {
        ArgumentNullException.ThrowIfNull(f, name);
        return s => [f(s)];
    }

    /// <summary>A step whose sides are vectors compared entry by entry (same length required).</summary>
    public Step(string id, string claim, VectorStepFunction left, VectorStepFunction right,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (tolerance is { } a) Validation.Guard.NonNegative(a, nameof(tolerance));
        if (relativeTolerance is { } r) Validation.Guard.NonNegative(r, nameof(relativeTolerance));
        if (tolerance == 0 && (relativeTolerance ?? 0) == 0)
            throw new ArgumentOutOfRangeException(nameof(tolerance), "At least one tolerance must be positive.");
        if (expected == ExpectedVerdict.Correct && correctedBy is not null)
            throw new ArgumentException("Only a SeedError step has a correction.", nameof(correctedBy));
        (Id, Claim, Left, Right, Tolerance, RelativeTolerance, ToleranceReason, Expected, CorrectedBy) =
            (id, claim, left, right, tolerance, relativeTolerance, toleranceReason, expected, correctedBy);
    }

    /// <summary>Unique within its derivation, e.g. "ce.grad.3".</summary>
    public string Id { get; init; }
    /// <summary>What the line says, in words (for a SeedError step: what the seed claims).</summary>
    public string Claim { get; init; }
    /// <summary>The reference side (usually numeric or the definition), one value per entry.</summary>
    public VectorStepFunction Left { get; init; }
    /// <summary>The side under test (the seed's line or its correction).</summary>
    public VectorStepFunction Right { get; init; }
    /// <summary>Absolute tolerance; null: from the numeric method used.</summary>
    public double? Tolerance { get; init; }
    /// <summary>Relative tolerance; null: equal to the absolute one.</summary>
    public double? RelativeTolerance { get; init; }
    /// <summary>Why the tolerance is what it is; null: the default method's reason.</summary>
    public string? ToleranceReason { get; init; }
    public ExpectedVerdict Expected { get; init; }
    /// <summary>For a SeedError step: the Id of the step holding the corrected form.</summary>
    public string? CorrectedBy { get; init; }
    /// <summary>Optional: how many inputs to use instead of the derivation's default (expensive scenario steps).</summary>
    public int? Samples { get; init; }
}

/// <summary>
/// The default tolerances, chosen by the most demanding numeric method either side of a step called
/// (<see cref="Numeric"/> records it): closed forms agree to rounding; a Richardson first derivative is accurate to
/// ~4e-13 on the O(1) logits of <see cref="StepInput.Random"/>, a second derivative to ~8e-11 (measured over every
/// seed step). Each default keeps ≥ 100× headroom and stays ≥ 1e6× below the seed errors the steps reveal.
/// </summary>
public static class Tolerances
{
    public const double ClosedForm = 1e-10;
    public const double FirstDerivative = 1e-9;
    public const double SecondDerivative = 1e-8;

    /// <summary>The default (atol = rtol) and its reason for the highest derivative order used (0, 1 or 2).</summary>
    public static (double Tolerance, string Reason) For(int derivativeOrder) => derivativeOrder switch
    {
        <= 0 => (ClosedForm, "closed forms: rounding only (~1e-14 at these sizes)"),
        1 => (FirstDerivative, "Richardson central difference, O(h⁶), h = 0.05: measured error ≤ 4e-13"),
        _ => (SecondDerivative, "Richardson second/cross difference, O(h⁶) + ε|L|·40/h² rounding: measured error ≤ 8e-11"),
    };
}
