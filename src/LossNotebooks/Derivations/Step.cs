namespace LossNotebooks.Derivations;

/// <summary>What the author claims about a step: the line holds, or it is wrong on purpose (a seed's slip, a teacher's planted error).</summary>
public enum ExpectedVerdict
{
    /// <summary>The line is right: it holds within tolerance on every random input.</summary>
    Correct,
    /// <summary>The line is stated on purpose as wrong: some input breaks it, far beyond the tolerance. Name its correction.</summary>
    Wrong,
}

/// <summary>What kind of statement a step makes about its two sides.</summary>
public enum StepKind
{
    /// <summary>Left = Right, entry by entry, within the tolerance.</summary>
    Equal,
    /// <summary>Left ≥ Right (value ≥ bound) on every entry, allowing the tolerance; a pass reports the smallest slack.</summary>
    AtLeast,
    /// <summary>Left ≤ Right (value ≤ bound) on every entry, allowing the tolerance; a pass reports the smallest slack.</summary>
    AtMost,
    /// <summary>A property is true on every input (Left is 1 where it holds, 0 where not).</summary>
    Holds,
}

/// <summary>One side of an identity over the library's <see cref="StepInput"/> (kept for exercise answers declared by type).</summary>
public delegate double StepFunction(StepInput input);

/// <summary>One side of an identity that holds entry by entry, over <see cref="StepInput"/>.</summary>
public delegate double[] VectorStepFunction(StepInput input);

/// <summary>One named term of a side written as a sum: what the diagnosis matches between two lines.</summary>
public sealed record Term<TInput>(string Name, Func<TInput, double[]> Value);

/// <summary>
/// A side written as a sum of named terms (<see cref="Derivation{TInput}.Terms"/>). Its value is the sum; when the line
/// fails and the line it follows passes, the engine matches these terms against that line's and names the ones
/// without a counterpart.
/// </summary>
public sealed class Terms<TInput>
{
    internal Terms(IReadOnlyList<Term<TInput>> items)
    {
        if (items.Count == 0) throw new ArgumentException("A sum needs at least one term.", nameof(items));
        Items = items;
    }

    public IReadOnlyList<Term<TInput>> Items { get; }
}

/// <summary>What every step says about itself, whatever its input type: what the results, the record and the audit show.</summary>
public abstract class StepInfo
{
    private protected StepInfo(string id, string claim, StepKind kind, double? tolerance, double? relativeTolerance, string? toleranceReason,
        ExpectedVerdict expected, string? correctedBy, string? formula, string? from, int? samples)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        if (tolerance is { } a) Validation.Guard.NonNegative(a, nameof(tolerance));
        if (relativeTolerance is { } r) Validation.Guard.NonNegative(r, nameof(relativeTolerance));
        if (tolerance == 0 && (relativeTolerance ?? 0) == 0)
            throw new ArgumentOutOfRangeException(nameof(tolerance), "At least one tolerance must be positive.");
        if (expected == ExpectedVerdict.Correct && correctedBy is not null)
            throw new ArgumentException("Only a step expected to be Wrong has a correction.", nameof(correctedBy));
        if (samples is { } n) Validation.Guard.Positive(n, nameof(samples));
        if (formula is not null) ArgumentException.ThrowIfNullOrWhiteSpace(formula);
        (Id, Claim, Kind, Tolerance, RelativeTolerance, ToleranceReason, Expected, CorrectedBy, Formula, From, Samples) =
            (id, claim, kind, tolerance, relativeTolerance, toleranceReason, expected, correctedBy, formula, from, samples);
    }

    /// <summary>Unique within its derivation, e.g. "ce.grad.3".</summary>
    public string Id { get; }
    /// <summary>What the line says, in a few words.</summary>
    public string Claim { get; }
    public StepKind Kind { get; }
    /// <summary>Absolute tolerance; null: from the numeric method the sides used (<see cref="Tolerances"/>).</summary>
    public double? Tolerance { get; }
    /// <summary>Relative tolerance; null: the default's when <see cref="Tolerance"/> is null too, otherwise 0 (the absolute tolerance alone).</summary>
    public double? RelativeTolerance { get; }
    /// <summary>Why the tolerance is what it is; null: the default method's reason, or "set by the step".</summary>
    public string? ToleranceReason { get; }
    public ExpectedVerdict Expected { get; }
    /// <summary>For a Wrong step: the Id of the step holding the corrected form.</summary>
    public string? CorrectedBy { get; }
    /// <summary>The line in LaTeX (no $ delimiters), shown rendered above the verdict.</summary>
    public string? Formula { get; }
    /// <summary>The step this line is derived from, for the diagnosis; null: the nearest earlier passing line with the same left side.</summary>
    public string? From { get; }
    /// <summary>Inputs to use instead of the derivation's default (expensive steps).</summary>
    public int? Samples { get; }
    /// <summary>The names of the right side's terms, when it is written as a sum of terms.</summary>
    public abstract IReadOnlyList<string>? TermNames { get; }
}

/// <summary>
/// One checkable line of a derivation over inputs of type <typeparamref name="TInput"/>: an id, the claim, and two
/// sides whose values must satisfy <see cref="StepKind"/> on every seeded random input. For Equal:
/// |Left − Right| ≤ atol + rtol·max(|Left|, |Right|), entry by entry. Tolerances left out (null) follow from the
/// numeric method the sides used (see <see cref="Tolerances"/>).
/// </summary>
public sealed class Step<TInput> : StepInfo
{
    public Step(string id, string claim, Func<TInput, double[]> left, Func<TInput, double[]> right, StepKind kind = StepKind.Equal,
        double? tolerance = null, double? relativeTolerance = null, string? toleranceReason = null,
        ExpectedVerdict expected = ExpectedVerdict.Correct, string? correctedBy = null, string? formula = null, string? from = null,
        int? samples = null, Terms<TInput>? terms = null)
        : base(id, claim, kind, tolerance, relativeTolerance, toleranceReason, expected, correctedBy, formula, from, samples)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        (Left, Right, Terms) = (left, right, terms?.Items);
    }

    /// <summary>The reference side (the definition, a numeric derivative; for inequalities the value), one value per entry.</summary>
    public Func<TInput, double[]> Left { get; }
    /// <summary>The side under test (for inequalities the bound); with terms, their sum.</summary>
    public Func<TInput, double[]> Right { get; }
    /// <summary>The right side's terms, or null when it is one expression.</summary>
    public IReadOnlyList<Term<TInput>>? Terms { get; }

    public override IReadOnlyList<string>? TermNames => Terms?.Select(t => t.Name).ToList();
}

/// <summary>
/// The default tolerances, chosen by the most demanding numeric method either side of a step called
/// (<see cref="Numeric"/> records it): closed forms agree to rounding; a Richardson first derivative is accurate to
/// ~4e-13 on the O(1) logits of <see cref="StepInput.Random"/>, a second derivative to ~8e-11 (measured over every
/// seed step). Each default keeps ≥ 100× headroom and stays ≥ 1e6× below the seed errors the steps reveal.
/// A numeric approximation written by hand (a forward difference, a Monte Carlo estimate) is invisible to this rule:
/// such a step must set its own tolerance.
/// </summary>
public static class Tolerances
{
    public const double ClosedForm = 1e-10;
    public const double FirstDerivative = 1e-9;
    public const double SecondDerivative = 1e-8;

    /// <summary>The default (atol = rtol) and its reason for the highest derivative order used (0, 1 or 2).</summary>
    public static (double Tolerance, string Reason) For(int derivativeOrder) => derivativeOrder switch
    {
        <= 0 => (ClosedForm, "default for closed forms: rounding only (~1e-14 at these sizes)"),
        1 => (FirstDerivative, "default for a Richardson first derivative (Numeric.*, O(h⁶), h = 0.05): measured error ≤ 4e-13"),
        _ => (SecondDerivative, "default for a Richardson second/cross derivative (Numeric.*, O(h⁶) + ε|L|·40/h² rounding): measured error ≤ 8e-11"),
    };
}
