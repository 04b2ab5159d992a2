using LossNotebooks.Differentiation;

namespace LossNotebooks.Checks;

/// <summary>The loop every check shares: pick entries, compare analytic with numeric, judge, collect.</summary>
internal static class CheckEngine
{
    /// <summary>
    /// Rounding allowance of the piecewise-linear kink test: f(x+h) − 2f(x) + f(x−h) of a linear piece is rounding
    /// only, a few ulps of the values involved; 64 ulps of their sum leaves room for f being a sum of many terms.
    /// </summary>
    internal const double KinkUlps = 64;

    internal static bool Bent(double plus, double mid, double minus) =>
        Math.Abs(plus - 2 * mid + minus) > KinkUlps * StepSize.MachineEpsilon * (Math.Abs(plus) + 2 * Math.Abs(mid) + Math.Abs(minus));

    internal readonly record struct Numeric(double Value, double Step, bool Kink);

    internal static CheckReport Run(string quantity, string method, CheckTolerance tolerance, int total, int columns,
        CheckOptions o, Func<int, double> analyticAt, Func<int, Numeric> numericAt)
    {
        o.Validate(total);
        int[] indices = o.SampleSize is { } k ? FiniteDifference.SampleIndices(total, k, o.Seed) : Enumerable.Range(0, total).ToArray();
        var entries = new CheckEntry[indices.Length];
        for (int t = 0; t < indices.Length; t++)
        {
            int i = indices[t];
            double a = analyticAt(i);
            var n = numericAt(i);
            if (!double.IsFinite(n.Value))
                throw new ArgumentException($"the function returned a non-finite value near entry {i} (step {n.Step:G3}); numeric = {n.Value}.", "f");
            double abs = Math.Abs(a - n.Value);
            double rel = abs / Math.Max(Math.Max(Math.Abs(a), Math.Abs(n.Value)), o.Tiny);
            bool kink = n.Kink || (o.IsKink?.Invoke(i, n.Step) ?? false);
            var status = tolerance.Accepts(a, n.Value) ? CheckStatus.Pass : kink ? CheckStatus.Kink : CheckStatus.Fail;
            entries[t] = new CheckEntry(i, columns > 0 ? i / columns : -1, columns > 0 ? i % columns : -1, a, n.Value, abs, rel, n.Step, kink, status);
        }
        return new CheckReport(quantity, method, tolerance, total, entries, o.WorstCount);
    }

    internal static string RuleName(DifferenceRule rule) => rule switch
    {
        DifferenceRule.FivePointCentral => "5-point central",
        _ => rule.ToString().ToLowerInvariant(),
    };
}
