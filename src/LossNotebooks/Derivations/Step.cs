namespace LossNotebooks.Derivations;

/// <summary>What the project claims about a step: the seed's line holds, or the seed's line is wrong.</summary>
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
/// One checkable line of a derivation: the LaTeX the reader sees, the seed's claim in words, and two functions whose
/// values must agree (|Left − Right| ≤ AbsoluteTolerance + RelativeTolerance·max(|Left|, |Right|)) on every input.
/// A step marked <see cref="ExpectedVerdict.SeedError"/> names the step that corrects it in <see cref="CorrectedBy"/>.
/// </summary>
public sealed record Step
{
    public Step(string id, string latex, string claim, StepFunction left, StepFunction right,
        double absoluteTolerance, double relativeTolerance, string toleranceReason,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null)
        : this(id, latex, claim, Wrap(left, nameof(left)), Wrap(right, nameof(right)), absoluteTolerance, relativeTolerance, toleranceReason, expected, correctedBy)
    {
    }

    private static VectorStepFunction Wrap(StepFunction f, string name)
    {
        ArgumentNullException.ThrowIfNull(f, name);
        return s => [f(s)];
    }

    /// <summary>A step whose sides are vectors compared entry by entry (same length required).</summary>
    public Step(string id, string latex, string claim, VectorStepFunction left, VectorStepFunction right,
        double absoluteTolerance, double relativeTolerance, string toleranceReason,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        ArgumentNullException.ThrowIfNull(latex);
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentException.ThrowIfNullOrWhiteSpace(toleranceReason);
        Validation.Guard.NonNegative(absoluteTolerance);
        Validation.Guard.NonNegative(relativeTolerance);
        if (absoluteTolerance == 0 && relativeTolerance == 0)
            throw new ArgumentOutOfRangeException(nameof(absoluteTolerance), "At least one tolerance must be positive.");
        if (expected == ExpectedVerdict.Correct && correctedBy is not null)
            throw new ArgumentException("Only a SeedError step has a correction.", nameof(correctedBy));
        (Id, Latex, Claim, Left, Right, AbsoluteTolerance, RelativeTolerance, ToleranceReason, Expected, CorrectedBy) =
            (id, latex, claim, left, right, absoluteTolerance, relativeTolerance, toleranceReason, expected, correctedBy);
    }

    /// <summary>Unique within its derivation, e.g. "ce.grad.3".</summary>
    public string Id { get; init; }
    /// <summary>The equation for the reader (no surrounding $).</summary>
    public string Latex { get; init; }
    /// <summary>What the line says, in words (for a SeedError step: what the seed claims).</summary>
    public string Claim { get; init; }
    /// <summary>The reference side (usually numeric or the definition), one value per entry.</summary>
    public VectorStepFunction Left { get; init; }
    /// <summary>The side under test (the seed's line or its correction).</summary>
    public VectorStepFunction Right { get; init; }
    public double AbsoluteTolerance { get; init; }
    public double RelativeTolerance { get; init; }
    /// <summary>Why the tolerance is what it is (the error budget of the reference side).</summary>
    public string ToleranceReason { get; init; }
    public ExpectedVerdict Expected { get; init; }
    /// <summary>For a SeedError step: the Id of the step holding the corrected form.</summary>
    public string? CorrectedBy { get; init; }
    /// <summary>Optional: how many inputs to use instead of the derivation's default (expensive scenario steps).</summary>
    public int? Samples { get; init; }

    /// <summary>The allowed discrepancy for values a and b.</summary>
    public double Allowed(double a, double b) => AbsoluteTolerance + RelativeTolerance * Math.Max(Math.Abs(a), Math.Abs(b));
}
