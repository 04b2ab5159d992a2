using System.Globalization;
using System.Net;
using System.Text;
using LossNotebooks.Display;

namespace LossNotebooks.Checks;

/// <summary>The verdict on one notebook exercise: not attempted (the answer is still null), PASS, or FAIL with the wrong entries.</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed class ExerciseResult : IRichDisplay
{
    internal ExerciseResult(string id, bool attempted, bool passed, string message) =>
        (Id, Attempted, Passed, Message) = (id, attempted, passed, message);

    /// <summary>The exercise id, e.g. "01-2".</summary>
    public string Id { get; }
    /// <summary>False while the answer is null.</summary>
    public bool Attempted { get; }
    public bool Passed { get; }
    /// <summary>The one line (PASS / not attempted) or few lines (FAIL) the check prints.</summary>
    public string Message { get; }

    public override string ToString() => Message;

    public string ToHtml()
    {
        string color = !Attempted ? "#57606a" : Passed ? "#1a7f37" : "#cf222e";
        return $"<pre style=\"color:{color}\">{WebUtility.HtmlEncode(Message)}</pre>";
    }
}

/// <summary>
/// Checks for the exercises in the notebooks. Every check accepts a null answer (the stub a student has not replaced
/// yet) and then says "not attempted yet" instead of throwing, so Run All never fails in class. A wrong answer prints
/// FAIL with up to <see cref="ShownEntries"/> of the wrong entries (yours vs expected).
/// </summary>
public static class Exercise
{
    /// <summary>How many wrong entries a FAIL lists.</summary>
    public const int ShownEntries = 5;

    /// <summary>
    /// Default tolerance of the gradient check: the reference is a Richardson-extrapolated central difference
    /// (error ~1e-11 on smooth O(1) functions), so a right answer is within 1e-6·(1 + |g|) with a margin of 1e4,
    /// and a wrong formula (an O(1) error) is far outside.
    /// </summary>
    public const double GradientTolerance = 1e-6;

    /// <summary>Default tolerance for values computed in closed form: rounding only.</summary>
    public const double ValueTolerance = 1e-9;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    // |v| < 1e-12 prints as 0: below the accuracy of the numeric references (~1e-11), so a digit there is noise.
    private static string Num(double v) => (Math.Abs(v) < 1e-12 ? 0.0 : v).ToString("G8", CultureInfo.InvariantCulture);

    private static ExerciseResult NotAttempted(string id) =>
        new(id, false, false, $"{id}: not attempted yet (replace the null in the answer cell and run it again)");

    private static string Plural(string what) => what.EndsWith("entry", StringComparison.Ordinal) ? what[..^1] + "ies" : what + "s";

    private static void CheckId(string id) => ArgumentException.ThrowIfNullOrWhiteSpace(id);

    /// <summary>
    /// Compares <paramref name="answer"/> with <paramref name="expected"/> entry by entry:
    /// |yours − expected| ≤ tolerance·(1 + |expected|).
    /// </summary>
    public static ExerciseResult CheckValues(string id, ReadOnlySpan<double> expected, double[]? answer, double tolerance = ValueTolerance, string what = "value")
    {
        CheckId(id);
        Validation.Guard.Positive(tolerance);
        if (answer is null) return NotAttempted(id);
        if (answer.Length != expected.Length)
            return new(id, true, false, Inv($"{id}: FAIL: your answer has {answer.Length} entries, expected {expected.Length}"));
        var wrong = new List<int>();
        for (int k = 0; k < expected.Length; k++)
            if (!(Math.Abs(answer[k] - expected[k]) <= tolerance * (1 + Math.Abs(expected[k])))) wrong.Add(k);
        if (wrong.Count == 0)
            return new(id, true, true, Inv($"{id}: PASS ({expected.Length} {(expected.Length == 1 ? what : Plural(what))} within {tolerance:G2}·(1 + |expected|))"));
        var sb = new StringBuilder(Inv($"{id}: FAIL: {wrong.Count} of {expected.Length} {Plural(what)} wrong"));
        foreach (int k in wrong.Take(ShownEntries))
            sb.Append('\n').Append(Inv($"  [{k}] yours {Num(answer[k])}, expected {Num(expected[k])} (|Δ| = {Math.Abs(answer[k] - expected[k]):G2})"));
        if (wrong.Count > ShownEntries) sb.Append('\n').Append(Inv($"  (… {wrong.Count - ShownEntries} more)"));
        return new(id, true, false, sb.ToString());
    }

    /// <summary>One number: |yours − expected| ≤ tolerance·(1 + |expected|).</summary>
    public static ExerciseResult CheckValue(string id, double expected, double? answer, double tolerance = ValueTolerance) =>
        CheckValues(id, [expected], answer is { } a ? [a] : null, tolerance);

    /// <summary>
    /// Checks a gradient the student computed at <paramref name="x"/> against a numeric gradient of
    /// <paramref name="f"/> (central differences with two Richardson levels, step 0.05 — meant for smooth f and O(1) x).
    /// </summary>
    public static ExerciseResult CheckGradient(string id, Func<double[], double> f, double[] x, double[]? answer, double tolerance = GradientTolerance)
    {
        CheckId(id);
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        Validation.Guard.AllFinite(x);
        if (answer is null) return NotAttempted(id);
        var numeric = new double[x.Length];
        for (int k = 0; k < x.Length; k++) numeric[k] = Derivations.Numeric.Partial(f, x, k);
        return CheckValues(id, numeric, answer, tolerance, "gradient entry");
    }

    /// <summary>As above, with the answer given as a gradient function (evaluated once at x).</summary>
    public static ExerciseResult CheckGradient(string id, Func<double[], double> f, double[] x, Func<double[], double[]>? answer, double tolerance = GradientTolerance)
    {
        CheckId(id);
        if (answer is null) return NotAttempted(id);
        return CheckGradient(id, f, x, answer((double[])x.Clone()), tolerance);
    }

    /// <summary>
    /// A gradient function checked at <paramref name="points"/> random points (seeded; entries N(0, scale²)),
    /// each against the numeric gradient of <paramref name="f"/>. A FAIL shows the first
    /// failing point and its wrong entries. Points where <paramref name="skip"/> is true (a kink nearby) are redrawn.
    /// </summary>
    public static ExerciseResult CheckGradient(string id, Func<double[], double> f, int dimension, Func<double[], double[]>? answer,
        int points = 20, int seed = 1, double scale = 1.0, Func<double[], bool>? skip = null, double tolerance = GradientTolerance)
    {
        CheckId(id);
        ArgumentNullException.ThrowIfNull(f);
        Validation.Guard.Positive(points, nameof(points));
        if (answer is null) return NotAttempted(id);
        var rng = new Random(seed);
        int tried = 0;
        for (int t = 0; t < points; t++)
        {
            double[] x;
            do
            {
                if (++tried > 100 * points) throw new InvalidOperationException($"{id}: no point away from the skipped region");
                x = [.. Enumerable.Range(0, dimension).Select(_ => scale * Derivations.StepInput.Gaussian(rng))];
            } while (skip is not null && skip(x));
            var r = CheckGradient(id, f, x, answer((double[])x.Clone()), tolerance);
            if (!r.Passed)
                return new(id, true, false, r.Message.Replace($"{id}: FAIL:", Inv($"{id}: FAIL at point {t + 1} of {points}:"), StringComparison.Ordinal) +
                    "\n" + Inv($"  x = [{string.Join(", ", x.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}]"));
        }
        return new(id, true, true, Inv($"{id}: PASS ({points} random points × {dimension} gradient entries within {tolerance:G2}·(1 + |expected|))"));
    }

    /// <summary>
    /// The second half of a predict-first pair: compares the guess a student wrote down with what the notebook
    /// measured. Never a FAIL: a blank guess (NaN) just shows the answer; otherwise how far off the guess was, as a
    /// factor (for sizes) or a difference (for counts and signs, <paramref name="asFactor"/> false).
    /// </summary>
    public static ExerciseResult Reveal(string question, double myGuess, double actual, bool asFactor = true, string format = "G3")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        string a = actual.ToString(format, CultureInfo.InvariantCulture);
        if (double.IsNaN(myGuess))
            return new(question, false, false, $"{question}: no guess written down — the answer is {a}. (Guess first next time: a wrong guess teaches more than none.)");
        string g = myGuess.ToString(format, CultureInfo.InvariantCulture);
        string how;
        if (myGuess == actual) how = "exactly right";
        else if (asFactor && myGuess != 0 && actual != 0 && Math.Sign(myGuess) == Math.Sign(actual))
        {
            double f = Math.Max(myGuess / actual, actual / myGuess);
            how = f < 1.5 ? "close (within 50 %)" : f < 10 ? Inv($"the right order of magnitude (off by a factor {f:G2})")
                : Inv($"off by a factor {f:G2} — {(Math.Abs(myGuess) > Math.Abs(actual) ? "too large" : "too small")}; what did your estimate miss?");
        }
        else how = asFactor ? "a different sign or zero — look at the formula again" : Inv($"off by {myGuess - actual:G3}");
        return new(question, true, myGuess == actual || how.StartsWith("close", StringComparison.Ordinal), $"{question}: your guess {g}, measured {a}: {how}");
    }

    /// <summary>
    /// Compares a function the student wrote with the reference on <paramref name="samples"/> seeded random inputs of
    /// length <paramref name="dimension"/> (entries N(0, scale²)); a FAIL shows the first failing input.
    /// </summary>
    public static ExerciseResult CheckFunction(string id, Func<double[], double> reference, Func<double[], double>? answer,
        int dimension, int samples = 20, int seed = 1, double scale = 1.0, double tolerance = ValueTolerance)
    {
        CheckId(id);
        ArgumentNullException.ThrowIfNull(reference);
        Validation.Guard.Positive(dimension);
        Validation.Guard.Positive(samples);
        Validation.Guard.Positive(scale);
        if (answer is null) return NotAttempted(id);
        var rng = new Random(seed);
        var expected = new double[samples];
        var yours = new double[samples];
        var inputs = new double[samples][];
        for (int t = 0; t < samples; t++)
        {
            var x = new double[dimension];
            for (int k = 0; k < dimension; k++) x[k] = scale * Derivations.StepInput.Gaussian(rng);
            inputs[t] = x;
            expected[t] = reference((double[])x.Clone());
            yours[t] = answer((double[])x.Clone());
        }
        var r = CheckValues(id, expected, yours, tolerance, "input");
        if (r.Passed) return r;
        int first = Enumerable.Range(0, samples).First(t => !(Math.Abs(yours[t] - expected[t]) <= tolerance * (1 + Math.Abs(expected[t]))));
        return new(id, true, false, r.Message + "\n" + Inv($"  input [{first}] = [{string.Join(", ", inputs[first].Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}]"));
    }

    /// <summary>
    /// Checks a derivation line the student wrote (a function of one random input, like a step's right side) against
    /// <paramref name="reference"/> on the derivation's seeded inputs. Tolerance: the step default for the numeric
    /// method the reference uses. A FAIL shows the worst input.
    /// </summary>
    public static ExerciseResult CheckStep(string id, Derivations.Derivation derivation, Derivations.StepFunction reference,
        Derivations.StepFunction? answer, double? tolerance = null)
    {
        CheckId(id);
        ArgumentNullException.ThrowIfNull(derivation);
        ArgumentNullException.ThrowIfNull(reference);
        if (answer is null) return NotAttempted(id);
        var r = Derivations.StepResult.Evaluate(new Derivations.Step<Derivations.StepInput>(id, "exercise", s => [reference(s)], s => [answer(s)],
            tolerance: tolerance), derivation.Inputs());
        if (r.Passed)
            return new(id, true, true, Inv($"{id}: PASS (max |yours − expected| = {r.MaxAbsoluteError:G2} on {r.Samples} random inputs)"));
        string worst = r.Error is not null ? $"your line: {r.Error}" : $"yours {Num(r.RightAtWorst)}, expected {Num(r.LeftAtWorst)}";
        return new(id, true, false, Inv($"{id}: FAIL on {r.Failures} of {r.Samples} random inputs\n  worst: {worst}\n  inputs: {r.WorstInput}"));
    }

    /// <summary>
    /// A bug hunt: shows every line of <paramref name="derivation"/> (one of them planted wrong, none marked) with its
    /// verdict and, for the failing line, the diagnosis — as the exercise's text, not as step records, so the run's
    /// audit does not count the planted line as a claim.
    /// </summary>
    public static ExerciseResult ShowBugHunt<TInput>(string id, Derivations.Derivation<TInput> derivation)
    {
        CheckId(id);
        ArgumentNullException.ThrowIfNull(derivation);
        var run = derivation.Run();
        var sb = new StringBuilder(Inv($"{id}: {derivation.Title}: {run.Steps.Count} lines, {run.Steps.Count(r => !r.Passed)} failing — which one, and why?"));
        foreach (var r in run.Steps) sb.Append('\n').Append(r.ToString());
        return new(id, false, false, sb.ToString());
    }

    /// <summary>
    /// Checks a bug hunt: <paramref name="namedStep"/> must be the id of the one failing line of
    /// <paramref name="derivation"/> (found by running it, so the check cell does not give the answer away), and
    /// <paramref name="fixedRight"/>, the corrected right side, must pass against that line's left side on the
    /// derivation's seeded inputs with the line's own tolerances. Not attempted while both are null.
    /// </summary>
    public static ExerciseResult CheckBugHunt<TInput>(string id, Derivations.Derivation<TInput> derivation, string? namedStep,
        Func<TInput, double>? fixedRight)
    {
        CheckId(id);
        ArgumentNullException.ThrowIfNull(derivation);
        if (namedStep is null && fixedRight is null) return NotAttempted(id);
        var failing = derivation.Run().Steps.Where(r => !r.Passed).Select(r => r.Step.Id).ToList();
        if (failing.Count != 1) throw new InvalidOperationException($"{id}: the bug hunt needs exactly one failing line, found {failing.Count}");
        string wrong = failing[0];
        if (namedStep is null) return new(id, true, false, Inv($"{id}: FAIL: name the id of the wrong line too"));
        if (!string.Equals(namedStep.Trim(), wrong, StringComparison.Ordinal))
        {
            bool exists = derivation.Steps.Any(s => s.Id == namedStep.Trim());
            return new(id, true, false, Inv($"{id}: FAIL: '{namedStep}' {(exists ? "passes on every input: it is not the wrong line" : "is not a line of this derivation")}"));
        }
        if (fixedRight is null) return new(id, true, false, Inv($"{id}: right line ({wrong}); now write its corrected right side"));
        var step = derivation[wrong];
        var fixedStep = new Derivations.Step<TInput>(wrong + " (fixed)", step.Claim, step.Left, x => [fixedRight(x)], step.Kind,
            step.Tolerance, step.RelativeTolerance, step.ToleranceReason, samples: step.Samples);
        var r = Derivations.StepResult.Evaluate(fixedStep, derivation.Inputs(step.Samples));
        if (r.Passed)
            return new(id, true, true, Inv($"{id}: PASS ({wrong} is the wrong line; your fix agrees with its left side on {r.Samples} random inputs, max |Δ| = {r.MaxAbsoluteError:G2})"));
        string worst = r.Error is not null ? $"your line: {r.Error}" : $"yours {Num(r.RightAtWorst)}, expected {Num(r.LeftAtWorst)}";
        return new(id, true, false, Inv($"{id}: right line ({wrong}), but the fix FAILS on {r.Failures} of {r.Samples} random inputs\n  worst: {worst}\n  inputs: {r.WorstInput}"));
    }
}
