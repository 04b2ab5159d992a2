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
    /// <summary>Passed for a Correct step, failed for a SeedError step.</summary>
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
/// of the tolerance (<see cref="MaxExcess"/>; ≤ 1 on every input means pass), and the input where it was worst.
/// Shown short: one line when it passes; the worst entry and its input when it fails.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource), PreferredMimeTypes = ["text/html", "text/plain", MimeType])]
public sealed class StepResult : IRichDisplay
{
    /// <summary>The extra MIME type a displayed step carries: its <see cref="StepRecord"/> as JSON.</summary>
    public const string MimeType = "application/vnd.lossnb.step+json";

    private StepResult(Derivation? derivation, Step step, int samples, int failures, double maxAbs, double maxRel, double maxExcess,
        string worstInput, double leftAtWorst, double rightAtWorst, string? error, double atol, double rtol, string reason,
        int relativeEntries, int exactZeroEntries)
    {
        (RelativeEntries, ExactZeroEntries) = (relativeEntries, exactZeroEntries);
        (Derivation, Step, Samples, Failures, MaxAbsoluteError, MaxRelativeError, MaxExcess, WorstInput, LeftAtWorst, RightAtWorst, Error) =
            (derivation, step, samples, failures, maxAbs, maxRel, maxExcess, worstInput, leftAtWorst, rightAtWorst, error);
        (Tolerance, RelativeTolerance, ToleranceReason) = (atol, rtol, reason);
    }

    /// <summary>The derivation the step belongs to (null for a step evaluated on its own).</summary>
    public Derivation? Derivation { get; }
    public Step Step { get; }
    public int Samples { get; }
    /// <summary>How many inputs broke the identity.</summary>
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
    /// <summary>max |L − R| / allowed; ∞ if a side was not finite or threw.</summary>
    public double MaxExcess { get; }
    public string WorstInput { get; }
    public double LeftAtWorst { get; }
    public double RightAtWorst { get; }
    /// <summary>The exception message if a side threw on some input (the step then fails).</summary>
    public string? Error { get; }
    /// <summary>The absolute tolerance used (the step's own, or the default for the numeric method its sides used).</summary>
    public double Tolerance { get; }
    public double RelativeTolerance { get; }
    public string ToleranceReason { get; }
    public bool Passed => Failures == 0;
    /// <summary>Passed for a Correct step, failed for a SeedError step.</summary>
    public bool AsExpected => Passed == (Step.Expected == ExpectedVerdict.Correct);

    /// <summary>Evaluates <paramref name="step"/> on every input.</summary>
    public static StepResult Evaluate(Step step, ReadOnlySpan<StepInput> inputs, Derivation? derivation = null)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (inputs.Length == 0) throw new ArgumentException("A step needs at least one input.", nameof(inputs));
        var sides = new (double[] L, double[] R)?[inputs.Length];
        string? error = null;
        string errorInput = "";
        int order = 0;
        for (int t = 0; t < inputs.Length; t++)
        {
            Numeric.ResetOrder();
            try
            {
                var ls = step.Left(inputs[t]);
                var rs = step.Right(inputs[t]);
                if (ls.Length != rs.Length) throw new InvalidOperationException($"left has {ls.Length} entries, right {rs.Length}");
                sides[t] = (ls, rs);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or ArithmeticException or NullReferenceException)
            {
                if (error is null) { error = $"{e.GetType().Name}: {e.Message}"; errorInput = inputs[t].ToString(); }
            }
            order = Math.Max(order, Numeric.OrderUsed);
        }
        var (defaultTol, defaultReason) = Tolerances.For(order);
        double atol = step.Tolerance ?? defaultTol;
        double rtol = step.RelativeTolerance ?? (step.Tolerance is null ? defaultTol : 0);
        string reason = step.ToleranceReason ?? (step.Tolerance is null ? defaultReason : "set by the step");

        int failures = 0;
        double maxAbs = 0, maxRel = 0, maxExcess = -1, lw = double.NaN, rw = double.NaN;
        int relativeEntries = 0, exactZeroEntries = 0;
        string worst = inputs[0].ToString();
        for (int t = 0; t < inputs.Length; t++)
        {
            if (sides[t] is not { } lr) { failures++; continue; }
            bool inputFailed = false;
            for (int e = 0; e < lr.L.Length; e++)
            {
                double l = lr.L[e], r = lr.R[e];
                double diff = Math.Abs(l - r);
                double allowed = atol + rtol * Math.Max(Math.Abs(l), Math.Abs(r));
                // A NaN or infinite side is a failure, never a silent pass (NaN compares false with everything).
                double excess = double.IsFinite(l) && double.IsFinite(r) ? diff / allowed : double.PositiveInfinity;
                if (!(excess <= 1)) inputFailed = true;
                if (double.IsFinite(diff)) maxAbs = Math.Max(maxAbs, diff);
                double scale = Math.Max(Math.Abs(l), Math.Abs(r));
                if (double.IsFinite(diff) && (l == 0) != (r == 0)) exactZeroEntries++;
                else if (scale > 0 && double.IsFinite(diff)) { maxRel = Math.Max(maxRel, diff / scale); relativeEntries++; }
                if (excess > maxExcess)
                {
                    maxExcess = excess;
                    worst = lr.L.Length > 1 ? $"entry {e} of {inputs[t]}" : inputs[t].ToString(); lw = l; rw = r;
                }
            }
            if (inputFailed) failures++;
        }
        if (error is not null) { maxExcess = double.PositiveInfinity; worst = errorInput; }
        return new StepResult(derivation, step, inputs.Length, failures, maxAbs, maxRel, Math.Max(maxExcess, 0), worst, lw, rw, error, atol, rtol, reason,
            relativeEntries, exactZeroEntries);
    }

    internal static string Num(double v) => double.IsNaN(v) ? "NaN" : v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Enough digits to see a difference of 1e-3 relative (the forward-difference case).</summary>
    internal static string Precise(double v) => double.IsNaN(v) ? "NaN" : v.ToString("G7", CultureInfo.InvariantCulture);

    /// <summary>"rel 1e-9", or "rel n/a (exact 0)" when every discrepancy is against an exact 0, or both.</summary>
    private string Relative =>
        ExactZeroEntries == 0 ? $"rel {Num(MaxRelativeError)}"
        : RelativeEntries == 0 ? "rel n/a (exact 0)"
        : $"rel {Num(MaxRelativeError)}, n/a where one side is exactly 0";

    private string Measured =>
        $"max |Δ| = {Num(MaxAbsoluteError)} ({Relative}), tol {Num(Tolerance)}+{Num(RelativeTolerance)}·|v|, {Samples - Failures}/{Samples} inputs pass";

    private string WorstText => Error is not null
        ? $"threw {Error}"
        : $"worst: left {Precise(LeftAtWorst)} vs right {Precise(RightAtWorst)} at {WorstInput}";

    /// <summary>One line of evidence (the audit table's cell): the measured discrepancy and, on failure, where.</summary>
    public string Evidence => Passed ? Measured : $"{Measured}; {WorstText}";

    /// <summary>The machine-readable record (what <c>lossnb check</c> reads).</summary>
    public StepRecord ToRecord() => new(Derivation?.Title ?? "", Derivation?.Seed, Step.Id, Step.Claim, Step.Expected, Step.CorrectedBy,
        Passed, Samples, Failures, MaxAbsoluteError, MaxRelativeError, Tolerance, RelativeTolerance, ToleranceReason, Evidence);

    /// <summary>The verdict word(s) of the first line.</summary>
    public string Verdict => (Passed, Step.Expected) switch
    {
        (true, ExpectedVerdict.Correct) => "PASS",
        (false, ExpectedVerdict.SeedError) => "FAIL, as claimed: the seed's line is wrong" + (Step.CorrectedBy is { } c ? $" (corrected in {c})" : ""),
        (false, _) => "FAIL",
        _ => "PASS, but this line is claimed to be a seed error",
    };

    public override string ToString()
    {
        var sb = new StringBuilder($"{Step.Id}  {Verdict}  ({Measured})");
        if (!Passed)
        {
            sb.Append('\n').Append(Error is not null ? $"  threw {Error}" : $"  worst entry: left {Precise(LeftAtWorst)} vs right {Precise(RightAtWorst)}, |Δ| = {Num(Math.Abs(LeftAtWorst - RightAtWorst))}");
            sb.Append('\n').Append($"  inputs: {WorstInput}");
        }
        return sb.ToString();
    }

    public string ToHtml()
    {
        string color = !AsExpected ? "#cf222e" : Passed ? "#1a7f37" : "#9a6700";
        return $"<pre style=\"color:{color};white-space:pre-wrap\">{WebUtility.HtmlEncode(ToString())}</pre>";
    }
}

/// <summary>All steps of one derivation, in order; shown as a few summary lines.</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class DerivationResult : IRichDisplay
{
    internal DerivationResult(Derivation derivation, IReadOnlyList<StepResult> steps) => (Derivation, Steps) = (derivation, steps);

    public Derivation Derivation { get; }
    public IReadOnlyList<StepResult> Steps { get; }
    /// <summary>Every step came out as claimed (Correct steps pass, SeedError steps fail).</summary>
    public bool AllAsExpected => Steps.All(s => s.AsExpected);
    public StepResult this[string id] => Steps.FirstOrDefault(s => s.Step.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"No step '{id}'.");

    public override string ToString()
    {
        int pass = Steps.Count(s => s.Passed);
        var seedErrors = Steps.Where(s => !s.Passed && s.AsExpected).Select(s => s.Step.Id).ToList();
        var unexpected = Steps.Where(s => !s.AsExpected).ToList();
        var worstPass = Steps.Where(s => s.Passed).OrderByDescending(s => s.MaxExcess).FirstOrDefault();
        var sb = new StringBuilder($"{Derivation.Title}: {Steps.Count} steps, {pass} pass, {Steps.Count - pass} fail");
        if (seedErrors.Count > 0) sb.Append('\n').Append($"  failing as claimed (seed errors): {string.Join(", ", seedErrors)}");
        if (worstPass is not null)
            sb.Append('\n').Append(CultureInfo.InvariantCulture, $"  closest passing step to its tolerance: {worstPass.Step.Id} at {worstPass.MaxExcess:G2}× tol");
        sb.Append('\n').Append(unexpected.Count == 0 ? "  every step as claimed" : $"  NOT as claimed: {string.Join(", ", unexpected.Select(s => s.Step.Id))}");
        return sb.ToString();
    }

    public string ToHtml() => $"<pre style=\"white-space:pre-wrap\">{WebUtility.HtmlEncode(ToString())}</pre>";
}
