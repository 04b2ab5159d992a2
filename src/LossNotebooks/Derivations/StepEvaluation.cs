using System.Globalization;

namespace LossNotebooks.Derivations;

/// <summary>
/// Evaluates a step on its inputs. Each side (each term of a summed side) is called on its own, so an exception, a
/// null, a NaN or a wrong length is charged to the side that produced it, on that input only: the other inputs are
/// still compared, and nothing escapes to the cell.
/// </summary>
internal static class StepEvaluation
{
    /// <summary>The line a failing step is diagnosed against; SameLeft null when the author named it.</summary>
    internal sealed record Predecessor<T>(Step<T> Step, bool? SameLeft);

    private sealed class SideErrors(string side)
    {
        public readonly string Side = side;
        public int Count;
        public string? First;
        public string? At;

        public void Add(string what, string at)
        {
            if (Count++ == 0) (First, At) = (what, at);
        }
    }

    /// <summary>Calls a side on one input, charging an exception or a null result to the side.</summary>
    private static double[]? Call<T>(Func<T, double[]> f, T x, SideErrors errors, Func<string> at)
    {
        try
        {
            var v = f(x);
            if (v is null) errors.Add("returned null", at());
            return v;
        }
        catch (Exception e)
        {
            errors.Add($"threw {e.GetType().Name}: {OneLine(e.Message)}", at());
            return null;
        }
    }

    private static string OneLine(string message) => string.Join(" ", message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

    /// <summary>True if both steps' left sides agree (at the later step's tolerance) on the first inputs.</summary>
    internal static bool SameLeft<T>(Step<T> earlier, Step<T> later, T[] inputs)
    {
        int n = Math.Min(inputs.Length, 5);
        for (int t = 0; t < n; t++)
        {
            try
            {
                var a = earlier.Left(inputs[t]);
                var b = later.Left(inputs[t]);
                if (a is null || b is null || a.Length != b.Length) return false;
                for (int e = 0; e < a.Length; e++)
                    if (!(Math.Abs(a[e] - b[e]) <= 1e-8 * (1 + Math.Max(Math.Abs(a[e]), Math.Abs(b[e]))))) return false;
            }
            catch (Exception) { return false; }
        }
        return true;
    }

    public static StepResult Evaluate<T>(Step<T> step, T[] inputs, Func<T, string> describe, IDerivation? derivation,
        Func<Predecessor<T>?>? findPredecessor)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (inputs.Length == 0) throw new ArgumentException("A step needs at least one input.", nameof(inputs));
        string Describe(int t)
        {
            try { return describe(inputs[t]); }
            catch (Exception e) { return $"input {t} (describing it threw {e.GetType().Name})"; }
        }

        var leftName = step.Kind switch { StepKind.AtLeast or StepKind.AtMost => "value", StepKind.Holds => "property", _ => "left" };
        var rightName = step.Kind is StepKind.AtLeast or StepKind.AtMost ? "bound" : "right";
        var leftErrors = new SideErrors(leftName);
        var rightErrors = new SideErrors(rightName);
        var shapeErrors = new SideErrors("shape");
        var lefts = new double[]?[inputs.Length];
        var rights = new double[]?[inputs.Length];
        var terms = step.Terms;
        var termValues = terms is null ? null : new double[]?[inputs.Length][];
        int order = 0;
        for (int t = 0; t < inputs.Length; t++)
        {
            int tt = t;
            Numeric.ResetOrder();
            lefts[t] = Call(step.Left, inputs[t], leftErrors, () => Describe(tt));
            if (terms is null) rights[t] = Call(step.Right, inputs[t], rightErrors, () => Describe(tt));
            else
            {
                var values = new double[]?[terms.Count];
                for (int k = 0; k < terms.Count; k++)
                {
                    var one = new SideErrors("");
                    values[k] = Call(terms[k].Value, inputs[t], one, () => Describe(tt));
                    if (one.Count > 0) rightErrors.Add($"term {k + 1} '{terms[k].Name}' {one.First}", one.At!);
                }
                termValues![t] = values;
                if (values.All(v => v is not null))
                {
                    if (values.Any(v => v!.Length != values[0]!.Length))
                        shapeErrors.Add($"the terms have {string.Join(", ", values.Select(v => v!.Length))} entries", Describe(t));
                    else
                    {
                        var sum = new double[values[0]!.Length];
                        foreach (var v in values) for (int e = 0; e < sum.Length; e++) sum[e] += v![e];
                        rights[t] = sum;
                    }
                }
            }
            order = Math.Max(order, Numeric.OrderUsed);
            if (lefts[t] is { } l && rights[t] is { } r && l.Length != r.Length)
            {
                shapeErrors.Add($"{leftName} has {l.Length} entries, {rightName} has {r.Length}", Describe(t));
                lefts[t] = rights[t] = null;
            }
        }

        var (defaultTol, defaultReason) = Tolerances.For(order);
        bool byDefault = step.Tolerance is null;
        double atol = step.Tolerance ?? defaultTol;
        double rtol = step.RelativeTolerance ?? (byDefault ? defaultTol : 0);
        string reason = step.ToleranceReason ?? (byDefault ? defaultReason : "set by the step");

        var m = new Measures();
        var leftNonFinite = new SideErrors(leftName);
        var rightNonFinite = new SideErrors(rightName);
        for (int t = 0; t < inputs.Length; t++)
        {
            if (lefts[t] is not { } l || rights[t] is not { } r) { m.Failures++; continue; }
            bool failed = false;
            for (int e = 0; e < l.Length; e++)
            {
                double lv = l[e], rv = r[e];
                string Where() => l.Length > 1 ? $"entry {e} of {Describe(t)}" : Describe(t);
                if (!double.IsFinite(lv) || !double.IsFinite(rv))
                {
                    if (!double.IsFinite(lv)) leftNonFinite.Add(Num(lv), Where());
                    if (!double.IsFinite(rv)) rightNonFinite.Add(Num(rv), Where());
                    failed = true;
                    continue;
                }
                failed |= !m.Entry(step.Kind, lv, rv, atol, rtol, Where);
            }
            m.Evaluated++;
            if (failed) m.Failures++;
        }

        var problems = new List<string>();
        // Sides that return empty vectors on every input compare nothing: that is no evidence, not a pass.
        if (m.Compared == 0 && m.Failures == 0)
        {
            m.Failures = inputs.Length;
            problems.Add($"both sides have no entries on all {inputs.Length} inputs: nothing was compared");
        }
        foreach (var s in new[] { leftErrors, rightErrors })
            if (s.Count > 0) problems.Add($"{s.Side} {s.First} (on {s.Count} of {inputs.Length} inputs; first at: {s.At})");
        if (shapeErrors.Count > 0) problems.Add($"{shapeErrors.First} (on {shapeErrors.Count} of {inputs.Length} inputs; first at: {shapeErrors.At})");
        foreach (var s in new[] { leftNonFinite, rightNonFinite })
            if (s.Count > 0) problems.Add($"{s.Side} is {s.First} on {s.Count} entr{(s.Count == 1 ? "y" : "ies")} (first at: {s.At})");

        string? hint = null;
        bool passed = m.Failures == 0;
        if (!passed && step.Kind == StepKind.Equal && byDefault && order == 0 && problems.Count == 0 && m.MaxRelative < 1e-2)
            hint = $"the default tolerance assumes both sides are exact formulas (max rel error here {Num(m.MaxRelative)}); if a side is a " +
                   "numeric approximation you wrote yourself (a forward difference, a series), pass tolerance: its error bound";

        string? diagnosis = null;
        if (!passed && step.Kind == StepKind.Equal && problems.Count == 0)
            diagnosis = TermDiagnosis.Explain(step, findPredecessor?.Invoke(), inputs, termValues, rights, atol, rtol);

        return new StepResult(derivation, step, inputs.Length, m, atol, rtol, reason, byDefault, problems, hint, diagnosis);
    }

    private static string Num(double v) => StepResult.Num(v);

    /// <summary>The running measures of one evaluation.</summary>
    internal sealed class Measures
    {
        public int Evaluated, Failures, RelativeEntries, ExactZeroEntries, Compared;
        public double MaxAbsolute, MaxRelative, MaxExcess = -1, LeftAtWorst = double.NaN, RightAtWorst = double.NaN;
        public double MinSlack = double.PositiveInfinity;
        public string? Worst, MinSlackAt;

        /// <summary>Takes one finite entry; false if it breaks the claim.</summary>
        public bool Entry(StepKind kind, double l, double r, double atol, double rtol, Func<string> where)
        {
            double allowed = atol + rtol * Math.Max(Math.Abs(l), Math.Abs(r));
            double excess;
            Compared++;
            switch (kind)
            {
                case StepKind.Equal:
                    double diff = Math.Abs(l - r);
                    // A purely relative tolerance allows nothing where both sides are 0: equal there, not 0/0 = NaN.
                    excess = diff == 0 ? 0 : diff / allowed;
                    MaxAbsolute = Math.Max(MaxAbsolute, diff);
                    double scale = Math.Max(Math.Abs(l), Math.Abs(r));
                    if ((l == 0) != (r == 0)) ExactZeroEntries++;
                    else if (scale > 0) { MaxRelative = Math.Max(MaxRelative, diff / scale); RelativeEntries++; }
                    break;
                case StepKind.Holds:
                    excess = l == 1 ? 0 : double.PositiveInfinity;
                    break;
                default:
                    double slack = kind == StepKind.AtLeast ? l - r : r - l;
                    if (slack < MinSlack) (MinSlack, MinSlackAt) = (slack, where());
                    excess = slack >= 0 ? 0 : -slack / allowed;
                    break;
            }
            if (excess > MaxExcess) (MaxExcess, Worst, LeftAtWorst, RightAtWorst) = (excess, where(), l, r);
            return excess <= 1;
        }
    }
}

/// <summary>
/// Names the wrong term of a failing line. Both lines' right sides are taken as sums of terms (a side written as one
/// expression is one term); every term is evaluated on the same inputs, and groups of this line's terms are matched
/// numerically with groups of the earlier line's terms (a merge or a split is a group of two or more), smallest groups
/// first. What is left without a counterpart is the error: an extra term, a dropped one, or one that changed (with a
/// flipped sign or a constant factor named when that is all it is).
/// </summary>
internal static class TermDiagnosis
{
    private const int MostTerms = 10;

    public static string? Explain<T>(Step<T> step, StepEvaluation.Predecessor<T>? predecessor, T[] inputs,
        double[]?[][]? termValues, double[]?[] rights, double atol, double rtol)
    {
        if (predecessor is null)
            return step.Terms is null ? null
                : "no earlier passing line with the same left side to compare the terms with (name one with from:)";
        var prev = predecessor.Step;
        if (step.Terms is null && prev.Terms is null)
            return $"write this line's right side (and {prev.Id}'s) as a sum of terms (d.Terms(...)) to have the changed term named";
        int nf = step.Terms?.Count ?? 1, np = prev.Terms?.Count ?? 1;
        if (nf > MostTerms || np > MostTerms) return $"more than {MostTerms} terms: not matched";

        // Values per term, concatenated over the inputs where every term of both lines evaluated to finite numbers.
        var fCols = Enumerable.Range(0, nf).Select(_ => new List<double>()).ToArray();
        var pCols = Enumerable.Range(0, np).Select(_ => new List<double>()).ToArray();
        for (int t = 0; t < inputs.Length; t++)
        {
            double[]?[] f = termValues is not null ? termValues[t] : [rights[t]];
            double[]?[] p;
            try
            {
                p = prev.Terms is { } pt ? [.. pt.Select(term => term.Value(inputs[t]))] : [prev.Right(inputs[t])];
            }
            catch (Exception) { continue; }
            if (f.Any(v => v is null) || p.Any(v => v is null)) continue;
            int len = f[0]!.Length;
            if (f.Concat(p).Any(v => v!.Length != len || v.Any(x => !double.IsFinite(x)))) continue;
            for (int k = 0; k < nf; k++) fCols[k].AddRange(f[k]!);
            for (int k = 0; k < np; k++) pCols[k].AddRange(p[k]!);
        }
        if (fCols[0].Count == 0) return null;
        int n = fCols[0].Count;

        double[][] Sums(List<double>[] cols)
        {
            var sums = new double[1 << cols.Length][];
            sums[0] = new double[n];
            for (int mask = 1; mask < sums.Length; mask++)
            {
                int low = System.Numerics.BitOperations.TrailingZeroCount(mask);
                var rest = sums[mask & (mask - 1)];
                var s = new double[n];
                for (int e = 0; e < n; e++) s[e] = rest[e] + cols[low][e];
                sums[mask] = s;
            }
            return sums;
        }
        var fs = Sums(fCols);
        var ps = Sums(pCols);
        bool Close(double[] a, double[] b, double factor = 1)
        {
            for (int e = 0; e < n; e++)
            {
                double x = a[e], y = factor * b[e];
                if (!(Math.Abs(x - y) <= atol + rtol * Math.Max(Math.Abs(x), Math.Abs(y)))) return false;
            }
            return true;
        }

        // Smallest groups first: a one-to-one match before a merge, so a merge never swallows a term that has its own twin.
        var pairs = new List<(int F, int P)>();
        for (int a = 1; a < fs.Length; a++)
            for (int b = 1; b < ps.Length; b++) pairs.Add((a, b));
        pairs.Sort((x, y) => (Pop(x.F) + Pop(x.P)).CompareTo(Pop(y.F) + Pop(y.P)));
        int usedF = 0, usedP = 0;
        var matches = new List<(int F, int P)>();
        foreach (var (a, b) in pairs)
        {
            if ((a & usedF) != 0 || (b & usedP) != 0) continue;
            if (!Close(fs[a], ps[b])) continue;
            matches.Add((a, b));
            usedF |= a;
            usedP |= b;
        }
        int allF = (1 << nf) - 1, allP = (1 << np) - 1;
        int leftF = allF & ~usedF, leftP = allP & ~usedP;

        string F(int mask) => Names(mask, step.Terms?.Select(t => t.Name).ToList(), "this line's right side");
        string P(int mask) => Names(mask, prev.Terms?.Select(t => t.Name).ToList(), $"{prev.Id}'s right side");
        var sb = new System.Text.StringBuilder();
        string against = predecessor.SameLeft is true ? $"{prev.Id} (the last passing line with the same left side)" : prev.Id;
        if (leftF == 0 && leftP == 0)
            return $"against {against}: every term matches, yet the sums differ (terms too small to tell apart at this tolerance?)";
        if (leftF != 0 && leftP != 0)
        {
            string how = Close(fs[leftF], ps[leftP], -1) ? " (it has the opposite sign)"
                : Ratio(fs[leftF], ps[leftP]) is { } c ? $" (it is {c.ToString("G4", CultureInfo.InvariantCulture)}× that)" : "";
            sb.Append($"against {against}: {F(leftF)} has no counterpart; it should equal {P(leftP)}{how}");
        }
        else if (leftF != 0) sb.Append($"against {against}: {F(leftF)} has no counterpart there (an extra term)");
        else sb.Append($"against {against}: {P(leftP)} appears nowhere in this line (a dropped term)");
        if (matches.Count > 0)
            sb.Append("; matched: ").Append(string.Join(", ", matches.Select(x => $"{Short(x.F, step.Terms is null)} = {Short(x.P, prev.Terms is null, prev.Id)}")));
        return sb.ToString();
    }

    private static int Pop(int mask) => System.Numerics.BitOperations.PopCount((uint)mask);

    private static IEnumerable<int> Bits(int mask)
    {
        for (int k = 0; mask >> k != 0; k++) if ((mask >> k & 1) != 0) yield return k;
    }

    private static string Names(int mask, IReadOnlyList<string>? names, string whole)
    {
        if (names is null) return whole;
        var ks = Bits(mask).ToList();
        string which = ks.Count == 1 ? $"term {ks[0] + 1}" : $"terms {string.Join(" + ", ks.Select(k => k + 1))}";
        return $"{which} ({Sum(ks.Select(k => names[k]))})";
    }

    /// <summary>"a + b − c" from the names "a", "b", "−c".</summary>
    private static string Sum(IEnumerable<string> names)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var n in names)
        {
            bool minus = n.StartsWith('−') || n.StartsWith('-');
            if (sb.Length == 0) sb.Append(n);
            else sb.Append(minus ? " − " : " + ").Append(minus ? n[1..].TrimStart() : n);
        }
        return sb.ToString();
    }

    private static string Short(int mask, bool whole, string? of = null)
    {
        string s = whole ? "the whole side" : string.Join("+", Bits(mask).Select(k => k + 1));
        return of is null ? (whole ? s : $"term {s}") : $"{(whole ? s : "term " + s)} of {of}";
    }

    /// <summary>The constant c with a = c·b on every entry (to 1e-9 relative), or null.</summary>
    private static double? Ratio(double[] a, double[] b)
    {
        double? c = null;
        for (int e = 0; e < a.Length; e++)
        {
            if (Math.Abs(b[e]) < 1e-12) { if (Math.Abs(a[e]) > 1e-12) return null; continue; }
            double r = a[e] / b[e];
            if (c is null) c = r;
            else if (Math.Abs(r - c.Value) > 1e-9 * Math.Max(1, Math.Abs(c.Value))) return null;
        }
        return c is { } v && Math.Abs(v - 1) > 1e-9 && Math.Abs(v) > 1e-9 ? v : null;
    }
}
