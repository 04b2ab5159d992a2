using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LossNotebooks.Display;

namespace LossNotebooks.Derivations;

/// <summary>
/// The machine-readable form of an evaluated step: what a notebook cell displays under
/// <see cref="StepResult.MimeType"/> next to its text and HTML, and what <c>lossnb check</c> reads back out of executed
/// notebooks to build the seed audit. One record per step id and derivation.
/// </summary>
public sealed record StepRecord(
    string Derivation, string? Seed, string Id, string Claim, ExpectedVerdict Expected, string? CorrectedBy,
    bool Passed, int Samples, int Failures, double MaxAbsoluteError, double MaxRelativeError,
    double Tolerance, double RelativeTolerance, string ToleranceReason, string Evidence)
{
    /// <summary>What the step states (equality by default).</summary>
    public StepKind Kind { get; init; }
    /// <summary>The line in LaTeX, if the step has one.</summary>
    public string? Formula { get; init; }
    /// <summary>For a failing line: the term without a counterpart in the line it follows.</summary>
    public string? Diagnosis { get; init; }
    /// <summary>How many kinds of side problem (a throw, NaN, a wrong length) the evaluation met.</summary>
    public int Problems { get; init; }

    /// <summary>Passed for a Correct step, failed for a Wrong one.</summary>
    [JsonIgnore] public bool AsExpected => Passed == (Expected == ExpectedVerdict.Correct);

    internal static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses one record (as written by <see cref="ToJson"/>).</summary>
    public static StepRecord FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        return JsonSerializer.Deserialize<StepRecord>(json, Json)
            ?? throw new ArgumentException("The JSON holds no step record.", nameof(json));
    }
}

/// <summary>
/// A step evaluated on its inputs: the largest absolute and relative discrepancy, the largest discrepancy in units
/// of the tolerance (<see cref="MaxExcess"/>; ≤ 1 on every input means pass), and the input where it was worst; for
/// an inequality the smallest slack; any side that threw, returned NaN/±∞ or the wrong length, by name; and for a
/// failing line, the term that changed (<see cref="Diagnosis"/>). Shown short: one line when it passes.
/// The formula, when the step has one, is shown rendered above the verdict (text/markdown, which VS Code and Jupyter render).
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/markdown", "text/plain", MimeType])]
public sealed class StepResult : IRichDisplay, IMarkdownDisplay
{
    /// <summary>The extra MIME type a displayed step carries: its <see cref="StepRecord"/> as JSON.</summary>
    public const string MimeType = "application/vnd.lossnb.step+json";

    internal StepResult(IDerivation? derivation, StepInfo step, int samples, StepEvaluation.Measures m, double atol, double rtol,
        string reason, bool toleranceByDefault, IReadOnlyList<string> problems, string? hint, string? diagnosis)
    {
        (Derivation, Step, Samples, Evaluated, Failures, ComparedEntries) = (derivation, step, samples, m.Evaluated, m.Failures, m.Compared);
        (MaxAbsoluteError, MaxRelativeError, RelativeEntries, ExactZeroEntries) = (m.MaxAbsolute, m.MaxRelative, m.RelativeEntries, m.ExactZeroEntries);
        MaxExcess = problems.Count > 0 ? double.PositiveInfinity : Math.Max(m.MaxExcess, 0);
        (WorstInput, LeftAtWorst, RightAtWorst) = (m.Worst ?? "", m.LeftAtWorst, m.RightAtWorst);
        (MinSlack, MinSlackInput) = (m.MinSlack, m.MinSlackAt);
        (Tolerance, RelativeTolerance, ToleranceReason, ToleranceByDefault) = (atol, rtol, reason, toleranceByDefault);
        (Problems, Hint, Diagnosis) = (problems, hint, diagnosis);
    }

    /// <summary>The derivation the step belongs to (null for a step evaluated on its own).</summary>
    public IDerivation? Derivation { get; }
    public StepInfo Step { get; }
    public int Samples { get; }
    /// <summary>How many inputs both sides evaluated on (finite or not); the others threw or had the wrong shape.</summary>
    public int Evaluated { get; }
    /// <summary>How many entries (over all inputs) had finite values on both sides and were compared.</summary>
    public int ComparedEntries { get; }
    /// <summary>How many inputs broke the claim (a side that threw or was not finite on an input breaks it).</summary>
    public int Failures { get; }
    public double MaxAbsoluteError { get; }
    /// <summary>
    /// max |L − R| / max(|L|, |R|) over the entries where neither side is exactly 0 (where one side is an exact 0 the
    /// ratio is 1 for any discrepancy, however small, and says nothing; see <see cref="ExactZeroEntries"/>).
    /// </summary>
    public double MaxRelativeError { get; }
    /// <summary>How many entries (over all inputs) the relative error was measured on: both sides non-zero.</summary>
    public int RelativeEntries { get; }
    /// <summary>How many entries had one side exactly 0 and the other not (no relative error; judged by |Δ| alone).</summary>
    public int ExactZeroEntries { get; }
    /// <summary>The largest discrepancy in units of the allowed one; ∞ if a side threw, was not finite or had the wrong length.</summary>
    public double MaxExcess { get; }
    public string WorstInput { get; }
    public double LeftAtWorst { get; }
    public double RightAtWorst { get; }
    /// <summary>For AtLeast/AtMost: the smallest slack (value − bound, or bound − value) over every entry, and where.</summary>
    public double MinSlack { get; }
    public string? MinSlackInput { get; }
    /// <summary>Sides that threw, returned null, NaN or ±∞, or the wrong length: one line each, naming the side and the first input.</summary>
    public IReadOnlyList<string> Problems { get; }
    /// <summary>The first problem (kept for callers that show one line).</summary>
    public string? Error => Problems.Count > 0 ? Problems[0] : null;
    /// <summary>A suggestion when the failure looks like a tolerance question rather than a wrong line.</summary>
    public string? Hint { get; }
    /// <summary>For a failing line: which of its terms has no counterpart in the line it follows from.</summary>
    public string? Diagnosis { get; }
    /// <summary>The absolute tolerance used (the step's own, or the default for the numeric method its sides used).</summary>
    public double Tolerance { get; }
    public double RelativeTolerance { get; }
    public string ToleranceReason { get; }
    /// <summary>True when the tolerance came from the default rule (the numeric method the sides used), not from the step.</summary>
    public bool ToleranceByDefault { get; }
    public bool Passed => Failures == 0;
    /// <summary>Passed for a Correct step, failed for a Wrong one.</summary>
    public bool AsExpected => Passed == (Step.Expected == ExpectedVerdict.Correct);

    /// <summary>Evaluates <paramref name="step"/> on every input, on its own (no derivation, no diagnosis).</summary>
    public static StepResult Evaluate<TInput>(Step<TInput> step, ReadOnlySpan<TInput> inputs) =>
        StepEvaluation.Evaluate(step, inputs.ToArray(), x => x?.ToString() ?? "null", null, null);

    internal static string Num(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+∞" : double.IsNegativeInfinity(v) ? "−∞"
        : v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Enough digits to see a difference of 1e-3 relative (the forward-difference case).</summary>
    internal static string Precise(double v) => double.IsNaN(v) ? "NaN" : v.ToString("G7", CultureInfo.InvariantCulture);

    /// <summary>"rel 1e-9", or "rel n/a (exact 0)" when every discrepancy is against an exact 0, or both.</summary>
    private string Relative =>
        ExactZeroEntries == 0 ? $"rel {Num(MaxRelativeError)}"
        : RelativeEntries == 0 ? "rel n/a (exact 0)"
        : $"rel {Num(MaxRelativeError)}, n/a where one side is exactly 0";

    private string Tol => RelativeTolerance == 0 ? $"tol {Num(Tolerance)} absolute" : $"tol {Num(Tolerance)}+{Num(RelativeTolerance)}·|v|";

    /// <summary>Which rule chose the tolerance, in a few words.</summary>
    public string ToleranceRule => !ToleranceByDefault ? "set by the step"
        : Tolerance == Tolerances.ClosedForm ? "default: closed forms"
        : Tolerance == Tolerances.FirstDerivative ? "default: numeric 1st derivative" : "default: numeric 2nd derivative";

    private string Measured
    {
        get
        {
            string broken = Problems.Count == 0 ? "" : Evaluated == 0 ? "no input evaluated; "
                : Evaluated < Samples ? $"{Samples - Evaluated} of {Samples} inputs not evaluated; " : "";
            if (Problems.Count > 0 && ComparedEntries == 0 && Evaluated > 0) broken += "no finite entry to compare; ";
            bool none = ComparedEntries == 0;
            return Step.Kind switch
            {
                StepKind.Holds => $"{broken}holds on {Samples - Failures}/{Samples} inputs",
                StepKind.AtLeast or StepKind.AtMost =>
                    $"{broken}min slack {(Step.Kind == StepKind.AtLeast ? "value − bound" : "bound − value")} = {(none ? "n/a" : Num(MinSlack))}, " +
                    $"{Tol} ({ToleranceRule}), {Samples - Failures}/{Samples} inputs hold",
                _ => $"{broken}max |Δ| = {(none ? "n/a" : $"{Num(MaxAbsoluteError)} ({Relative})")}{(Problems.Count > 0 && !none ? " on the finite entries" : "")}, " +
                     $"{Tol} ({ToleranceRule}), {Samples - Failures}/{Samples} inputs pass",
            };
        }
    }

    private string WorstText => Problems.Count > 0 ? Problems[0]
        : Step.Kind == StepKind.Holds ? $"false at {WorstInput}"
        : Step.Kind is StepKind.AtLeast or StepKind.AtMost ? $"worst: value {Precise(LeftAtWorst)} vs bound {Precise(RightAtWorst)} at {WorstInput}"
        : $"worst: left {Precise(LeftAtWorst)} vs right {Precise(RightAtWorst)} at {WorstInput}";

    /// <summary>One line of evidence (the audit table's cell): the measured discrepancy and, on failure, where.</summary>
    public string Evidence => Passed ? Measured : $"{Measured}; {WorstText}";

    /// <summary>The machine-readable record (what <c>lossnb check</c> reads).</summary>
    public StepRecord ToRecord() => new(Derivation?.Title ?? "", Derivation?.Seed, Step.Id, Step.Claim, Step.Expected, Step.CorrectedBy,
        Passed, Samples, Failures, MaxAbsoluteError, MaxRelativeError, Tolerance, RelativeTolerance, ToleranceReason, Evidence)
    {
        Kind = Step.Kind, Formula = Step.Formula, Diagnosis = Diagnosis, Problems = Problems.Count,
    };

    private bool FromSeed => Derivation?.Seed is not null;

    /// <summary>The verdict word(s) of the first line.</summary>
    public string Verdict => (Passed, Step.Expected) switch
    {
        (true, ExpectedVerdict.Correct) => "PASS",
        (false, ExpectedVerdict.Wrong) => $"FAIL, as claimed: {(FromSeed ? "the seed's line is wrong" : "a line stated as wrong")}" +
            (Step.CorrectedBy is { } c ? $" (corrected in {c})" : ""),
        (false, _) => "FAIL",
        _ => "PASS, but this line is claimed to be wrong",
    };

    public override string ToString()
    {
        var sb = new StringBuilder($"{Step.Id}  {Verdict}  ({Measured})");
        if (Passed) return sb.ToString();
        foreach (var p in Problems) sb.Append("\n  ").Append(p);
        if (Problems.Count == 0)
        {
            if (Step.Kind == StepKind.Holds) sb.Append("\n  false at: ").Append(WorstInput);
            else if (Step.Kind == StepKind.Equal)
                sb.Append($"\n  worst entry: left {Precise(LeftAtWorst)} vs right {Precise(RightAtWorst)}, |Δ| = {Num(Math.Abs(LeftAtWorst - RightAtWorst))}")
                  .Append($"\n  inputs: {WorstInput}");
            else
                sb.Append($"\n  worst: value {Precise(LeftAtWorst)} vs bound {Precise(RightAtWorst)}").Append($"\n  inputs: {WorstInput}");
        }
        if (Diagnosis is not null) sb.Append("\n  diagnosis: ").Append(Diagnosis);
        if (Hint is not null) sb.Append("\n  hint: ").Append(Hint);
        return sb.ToString();
    }

    public string ToHtml()
    {
        string color = !AsExpected ? "#cf222e" : Passed ? "#1a7f37" : "#9a6700";
        return $"<pre style=\"color:{color};white-space:pre-wrap\">{WebUtility.HtmlEncode(ToString())}</pre>";
    }

    /// <summary>The formula as display math (when the step has one), then the verdict lines as a text block.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        if (Step.Formula is { } f) sb.Append("$$").Append(f.Trim()).Append("$$\n\n");
        sb.Append("```text\n").Append(ToString().Replace("```", "` ` `")).Append("\n```\n");
        return sb.ToString();
    }
}

/// <summary>All steps of one derivation, in order; shown as a few summary lines.</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class DerivationResult : IRichDisplay
{
    internal DerivationResult(IDerivation derivation, IReadOnlyList<StepResult> steps) => (Derivation, Steps) = (derivation, steps);

    public IDerivation Derivation { get; }
    public IReadOnlyList<StepResult> Steps { get; }
    /// <summary>Every step came out as claimed (Correct steps pass, Wrong steps fail).</summary>
    public bool AllAsExpected => Steps.All(s => s.AsExpected);
    public StepResult this[string id] => Steps.FirstOrDefault(s => s.Step.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"No step '{id}'.");

    public override string ToString()
    {
        int pass = Steps.Count(s => s.Passed);
        var seedErrors = Steps.Where(s => !s.Passed && s.AsExpected).Select(s => s.Step.Id).ToList();
        var unexpected = Steps.Where(s => !s.AsExpected).ToList();
        var worstPass = Steps.Where(s => s.Passed).OrderByDescending(s => s.MaxExcess).FirstOrDefault();
        var sb = new StringBuilder($"{Derivation.Title}: {Steps.Count} step{(Steps.Count == 1 ? "" : "s")}, {pass} pass, {Steps.Count - pass} fail");
        if (seedErrors.Count > 0) sb.Append('\n').Append($"  failing as claimed (stated as wrong): {string.Join(", ", seedErrors)}");
        if (worstPass is not null)
            sb.Append('\n').Append(CultureInfo.InvariantCulture, $"  closest passing step to its tolerance: {worstPass.Step.Id} at {worstPass.MaxExcess:G2}× tol");
        sb.Append('\n').Append(unexpected.Count == 0 ? "  every step as claimed" : $"  NOT as claimed: {string.Join(", ", unexpected.Select(s => s.Step.Id))}");
        return sb.ToString();
    }

    public string ToHtml() => $"<pre style=\"white-space:pre-wrap\">{WebUtility.HtmlEncode(ToString())}</pre>";
}
