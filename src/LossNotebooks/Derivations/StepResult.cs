using System.Globalization;
using System.Text;
using LossNotebooks.Display;

namespace LossNotebooks.Derivations;

/// <summary>
/// A step evaluated on its inputs: the largest absolute and relative discrepancy, the largest discrepancy in units
/// of the tolerance (<see cref="MaxExcess"/>; ≤ 1 on every input means pass), and the input where it was worst.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class StepResult : IRichDisplay
{
    private StepResult(Step step, int samples, int failures, double maxAbs, double maxRel, double maxExcess,
        string worstInput, double leftAtWorst, double rightAtWorst, string? error)
    {
        (Step, Samples, Failures, MaxAbsoluteError, MaxRelativeError, MaxExcess, WorstInput, LeftAtWorst, RightAtWorst, Error) =
            (step, samples, failures, maxAbs, maxRel, maxExcess, worstInput, leftAtWorst, rightAtWorst, error);
    }

    public Step Step { get; }
    public int Samples { get; }
    /// <summary>How many inputs broke the identity.</summary>
    public int Failures { get; }
    public double MaxAbsoluteError { get; }
    /// <summary>max |L − R| / max(|L|, |R|) (0 where both are 0).</summary>
    public double MaxRelativeError { get; }
    /// <summary>max |L − R| / allowed; ∞ if a side was not finite or threw.</summary>
    public double MaxExcess { get; }
    public string WorstInput { get; }
    public double LeftAtWorst { get; }
    public double RightAtWorst { get; }
    /// <summary>The exception message if a side threw on some input (the step then fails).</summary>
    public string? Error { get; }
    public bool Passed => Failures == 0;
    /// <summary>Passed for a Correct step, failed for a SeedError step.</summary>
    public bool AsExpected => Passed == (Step.Expected == ExpectedVerdict.Correct);

    internal static StepResult Evaluate(Step step, ReadOnlySpan<StepInput> inputs)
    {
        int failures = 0;
        double maxAbs = 0, maxRel = 0, maxExcess = -1, lw = double.NaN, rw = double.NaN;
        string worst = inputs.Length > 0 ? inputs[0].ToString() : "";
        string? error = null;
        foreach (var input in inputs)
        {
            double[] ls, rs;
            try
            {
                ls = step.Left(input); rs = step.Right(input);
                if (ls.Length != rs.Length) throw new InvalidOperationException($"left has {ls.Length} entries, right {rs.Length}");
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or ArithmeticException)
            {
                failures++;
                if (error is null) { error = $"{e.GetType().Name}: {e.Message}"; worst = input.ToString(); maxExcess = double.PositiveInfinity; }
                continue;
            }
            bool inputFailed = false;
            for (int e = 0; e < ls.Length; e++)
            {
                double l = ls[e], r = rs[e];
                double diff = Math.Abs(l - r);
                // A NaN or infinite side is a failure, never a silent pass (NaN compares false with everything).
                double excess = double.IsFinite(l) && double.IsFinite(r) ? diff / step.Allowed(l, r) : double.PositiveInfinity;
                if (!(excess <= 1)) inputFailed = true;
                if (double.IsFinite(diff)) maxAbs = Math.Max(maxAbs, diff);
                double scale = Math.Max(Math.Abs(l), Math.Abs(r));
                if (scale > 0 && double.IsFinite(diff)) maxRel = Math.Max(maxRel, diff / scale);
                if (excess > maxExcess)
                {
                    maxExcess = excess;
                    worst = ls.Length > 1 ? $"entry {e} of {input}" : input.ToString(); lw = l; rw = r;
                }
            }
            if (inputFailed) failures++;
        }
        return new StepResult(step, inputs.Length, failures, maxAbs, maxRel, Math.Max(maxExcess, 0), worst, lw, rw, error);
    }

    internal static string Num(double v) => double.IsNaN(v) ? "NaN" : v.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>Enough digits to see a difference of 1e-3 relative (the forward-difference case).</summary>
    internal static string Precise(double v) => double.IsNaN(v) ? "NaN" : v.ToString("G7", CultureInfo.InvariantCulture);

    /// <summary>One line of evidence: the measured discrepancy and, on failure, where.</summary>
    public string Evidence
    {
        get
        {
            var s = $"max |Δ| = {Num(MaxAbsoluteError)} (rel {Num(MaxRelativeError)}), tol {Num(Step.AbsoluteTolerance)}+{Num(Step.RelativeTolerance)}·|v|, {Samples - Failures}/{Samples} inputs pass";
            if (Error is not null) s += $"; threw {Error}";
            else if (!Passed) s += $"; worst: left {Precise(LeftAtWorst)} vs right {Precise(RightAtWorst)} at {WorstInput}";
            return s;
        }
    }

    public override string ToString() =>
        $"{Step.Id} [{(Passed ? "pass" : "FAIL")}, expected {(Step.Expected == ExpectedVerdict.Correct ? "correct" : "seed error")}{(AsExpected ? "" : " — UNEXPECTED")}] {Step.Claim}: {Evidence}";

    public string ToHtml() => Html.Table(["step", "equation", "claim", "expected", "result", "evidence"], [HtmlRow()]);

    internal string[] HtmlRow() =>
    [
        Html.Escape(Step.Id),
        Step.Latex.Length > 0 ? "$" + Html.Escape(Step.Latex) + "$" : "",
        Html.Escape(Step.Claim),
        Step.Expected == ExpectedVerdict.Correct ? "correct" : "seed error",
        Passed ? "<span style=\"color:#1a7f37\">pass</span>" : "<span style=\"color:#cf222e\">fail</span>",
        Html.Escape(Evidence),
    ];
}

/// <summary>All steps of one derivation, in order.</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class DerivationResult : IRichDisplay
{
    internal DerivationResult(Derivation derivation, IReadOnlyList<StepResult> steps) => (Derivation, Steps) = (derivation, steps);

    public Derivation Derivation { get; }
    public IReadOnlyList<StepResult> Steps { get; }
    /// <summary>Every step came out as the project claims (Correct steps pass, SeedError steps fail).</summary>
    public bool AllAsExpected => Steps.All(s => s.AsExpected);
    public StepResult this[string id] => Steps.FirstOrDefault(s => s.Step.Id == id)
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, $"No step '{id}'.");

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{Derivation.Title} ({Derivation.Seed}, {Derivation.Samples} random inputs, seed {Derivation.RandomSeed})");
        foreach (var s in Steps) sb.AppendLine("  " + s);
        return sb.ToString();
    }

    public string ToHtml() =>
        $"<div><b>{Html.Escape(Derivation.Title)}</b> <small>({Html.Escape(Derivation.Seed)}, {Derivation.Samples} random inputs)</small>" +
        Html.Table(["step", "equation", "claim", "expected", "result", "evidence"], Steps.Select(s => s.HtmlRow())) + "</div>";
}

internal static class Html
{
    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string Table(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var sb = new StringBuilder("<table style=\"border-collapse:collapse\"><thead><tr>");
        foreach (var h in header) sb.Append("<th style=\"text-align:left;border-bottom:1px solid #888;padding:2px 6px\">").Append(Escape(h)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            foreach (var c in r) sb.Append("<td style=\"vertical-align:top;padding:2px 6px\">").Append(c).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }
}
