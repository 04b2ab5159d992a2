using System.Globalization;
using System.Text.RegularExpressions;
using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// The report's numbers for seed 0, each recomputed here by another route: from the seed's mathematics where it fixes
/// the value, by an order-free definition where the report samples, and from the building blocks (pinned by hand in
/// <see cref="WarpSeedTests"/>) where the value is rounding noise.
/// </summary>
public class WarpSeedReportTests
{
    // Measured per test, not cached in a static: Stryker runs many mutants in one test process, and a result cached
    // under one mutant would be read under the next (mutants in Measure survived that way).
    private readonly Lazy<WarpSeedReport> Report = new(() => WarpSeedReport.Measure(0));
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static (StepInput Data, int[] Labels, int[] Argmax, int[][] Orders) SeedZero()
    {
        var data = WarpSeed.SeedData(new Random(0));
        int n = data.Rows, c = data.Classes;
        var labels = Enumerable.Range(0, n).Select(i => Array.IndexOf(data.Targets, 1.0, i * c, c) - i * c).ToArray();
        // No ties among Exp(1) draws: the largest entry's index.
        var argmax = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, c).MaxBy(j => data.Logits[i * c + j])).ToArray();
        return (data, labels, argmax, WarpSeed.DrawOrders(n, c, data.ScenarioSeed));
    }

    [Fact]
    public void Sampling_counts_follow_from_the_seed_data()
    {
        var r = Report.Value;
        var (data, labels, argmax, orders) = SeedZero();
        int n = data.Rows, c = data.Classes;
        Assert.Equal((0, 500, 100), (r.Seed, r.Rows, r.Columns));
        Assert.Equal(Enumerable.Range(0, n).Count(i => argmax[i] == labels[i]), r.ArgmaxIsTrueLabel);
        // Probabilities lie in (0, 1): 1 + ŷ[j, neg] − ŷ[i, j] > 0 for every draw, so N = 1 and L = log floor(99/1).
        Assert.Equal(500, r.SeedDataRowsWithN1);
        Assert.Equal(Math.Log(99), r.SeedDataWeightMin, 14);
        Assert.Equal(Math.Log(99), r.SeedDataWeightMax, 14);

        // On log-scores a row has a violator iff some other class has log ŷ_c + 1 > log ŷ_p, whatever the draw order;
        // its seed weight log floor(99/N) is 0 iff N ≥ 50.
        var logs = data.Logits.Select(v => Math.Log(v)).ToArray();
        var violating = Enumerable.Range(0, n)
            .Where(i => Enumerable.Range(0, c).Any(k => k != argmax[i] && logs[i * c + k] + 1 > logs[i * c + argmax[i]])).ToArray();
        var trials = WarpSeed.ReferenceTrials(logs, c, argmax, orders);
        Assert.InRange(violating.Length, 1, n - 1);   // both kinds of row occur, so the count is not "all rows"
        Assert.Equal(violating.Length, r.LogScoreRowsWithViolator);
        int zero = violating.Count(i => trials[i] >= 50);
        Assert.InRange(zero, 1, violating.Length - 1);
        Assert.Equal(zero, r.LogScoreRowsWithZeroSeedWeight);

        // The corrected gradient: ±H_99 at (i, neg) and (i, label) of every row (every row violates on probabilities).
        Assert.Equal(1000, r.CorrectedGradientNonZero);
    }

    [Fact]
    public void Loss_grad_range_is_log99_times_the_label_difference_over_1e10()
    {
        var r = Report.Value;
        var (data, _, argmax, orders) = SeedZero();
        int n = data.Rows, c = data.Classes;
        // N = 1: the negative is the first drawn class that is not the argmax. |L (ŷ_neg − ŷ_pos − y_neg + y_pos)| / 1e-10.
        var values = Enumerable.Range(0, n).Select(i =>
        {
            int p = argmax[i], q = orders[i].First(k => k != p);
            double diff = data.Logits[i * c + q] - data.Logits[i * c + p] - data.Targets[i * c + q] + data.Targets[i * c + p];
            return Math.Abs(Math.Log(99) * diff / 1e-10);
        }).ToArray();
        // The seed's ε cancels up to ~1e-16/1e-10 = 1e-6 relative to values ≥ 1e7 or so: 1e-6 relative is ample.
        Assert.True(values.Min() < values.Max() / 2);
        Assert.Equal(values.Min(), r.SeedLossGradMinAbs, values.Min() * 1e-6);
        Assert.Equal(values.Max(), r.SeedLossGradMaxAbs, values.Max() * 1e-6);
    }

    [Fact]
    public void Hessian_side_effect_and_second_difference_numbers()
    {
        var r = Report.Value;
        var (data, labels, argmax, orders) = SeedZero();
        int n = data.Rows, c = data.Classes;
        // Every row of y_hat ends up shifted once by ε = 0.1: the shift is (ŷ + 0.1) − ŷ in floating point.
        var shift = data.Logits.Select(v => (v + 0.1) - v).ToArray();
        Assert.True(shift.Min() < shift.Max());
        Assert.Equal(shift.Min(), r.YHatShiftMin);
        Assert.Equal(shift.Max(), r.YHatShiftMax);

        // The seed's Hessian, n×n: row r moves only from column r on (rows 0..j are shifted in column j, never
        // restored), so H[r, j] = 0 for r > j and H[r, j] = H[r, r] for j ≥ r.
        Assert.Equal((500, 500), (r.SeedHessianRows, r.SeedHessianColumns));
        var seedSample = WarpSeed.Sample(data.Logits, n, c, labels, orders, WarpOptions.Seed);
        var h = WarpSeed.SeedHessian((double[])data.Logits.Clone(), data.Targets, n, c, seedSample);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                Assert.Equal(a > b ? 0 : h[a * n + a], h[a * n + b]);
        var diagonal = Enumerable.Range(0, n).Select(a => Math.Abs(h[a * n + a])).ToArray();
        Assert.True(diagonal.Max() > 0);
        Assert.Equal(diagonal.Max(), r.SeedHessianMaxAbs);
        Assert.Equal(Enumerable.Range(0, n).Where(a => diagonal[a] != 0).Sum(a => n - a), r.SeedHessianNonZero);

        // max |∂²L| over the entries (i, neg)² and (i, neg)(i, label) of rows 0, 25, …, 475 of the corrected sample.
        var corrected = WarpSeed.Sample(data.Logits, n, c, labels, orders, WarpOptions.Corrected);
        Func<double[], double> loss = x => WarpSeed.Loss(x, c, corrected);
        double max = 0;
        foreach (int i in Enumerable.Range(0, 20).Select(k => 25 * k))
        {
            int neg = i * c + corrected.Negatives[i], pos = i * c + corrected.Positives[i];
            max = Math.Max(max, Math.Max(Math.Abs(Numeric.SecondPartial(loss, data.Logits, neg, pos)), Math.Abs(Numeric.SecondPartial(loss, data.Logits, neg, neg))));
        }
        Assert.True(max < 1e-6);   // the loss is linear: only rounding
        Assert.Equal(max, r.CentralSecondDifferenceMaxAbs);
    }

    /// <summary>The text: one block per quantity, each with a non-empty seed line and corrected line, and the numbers above.</summary>
    [Fact]
    public void Text_shows_every_quantity_with_its_numbers()
    {
        var r = Report.Value;
        string G(double v) => v.ToString("G4", Inv);
        var text = r.ToString();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("500×100", lines[0]);
        Assert.Contains("seed 0", lines[0]);
        Assert.Equal(1 + 6 * 3, lines.Length);
        for (int q = 0; q < 6; q++)
        {
            Assert.Matches(@"^  \S", lines[1 + 3 * q]);
            Assert.Matches(@"^    seed: +\S", lines[2 + 3 * q]);
            Assert.Matches(@"^    corrected: +\S", lines[3 + 3 * q]);
        }
        string Seed(int q) => lines[2 + 3 * q];
        string Fix(int q) => lines[3 + 3 * q];
        Assert.Contains($"{r.ArgmaxIsTrueLabel}/500", Seed(0));
        Assert.Contains("500/500", Seed(1));
        Assert.Contains(G(Math.Log(99)), Seed(1));                  // 4.595: four significant digits
        Assert.DoesNotContain(Math.Log(99).ToString("R", Inv), Seed(1));
        Assert.Contains($"{r.LogScoreRowsWithViolator} ", Seed(2));
        Assert.Contains($" {r.LogScoreRowsWithZeroSeedWeight} ", Seed(2));
        Assert.Contains(G(r.SeedLossGradMinAbs), Seed(3));
        Assert.Contains(G(r.SeedLossGradMaxAbs), Seed(3));
        Assert.Contains("1000", Fix(3));
        Assert.Contains("500×500", Seed(4));
        Assert.Contains(G(r.SeedHessianMaxAbs), Seed(4));
        Assert.Contains($"{r.SeedHessianNonZero} ", Seed(4));
        Assert.Contains("50000×50000", Fix(4));
        Assert.Contains(G(r.CentralSecondDifferenceMaxAbs), Fix(4));
        Assert.Contains(G(r.YHatShiftMin), Seed(5));
        Assert.Contains(G(r.YHatShiftMax), Seed(5));
    }

    [Fact]
    public void Html_is_one_table_of_the_same_rows()
    {
        var r = Report.Value;
        var html = r.ToHtml();
        Assert.StartsWith("<div><b>", html);
        Assert.Contains("500×100", html);
        Assert.EndsWith("</table></div>", html);
        var header = Regex.Matches(html, "<th[^>]*>([^<]*)</th>").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(3, header.Length);
        Assert.All(header, h => Assert.NotEqual("", h));
        var cells = Regex.Matches(html, "<td[^>]*>([^<]*)</td>").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(18, cells.Length);
        Assert.All(cells, t => Assert.NotEqual("", t));
        Assert.Contains("50000×50000", cells[14]);
    }
}
