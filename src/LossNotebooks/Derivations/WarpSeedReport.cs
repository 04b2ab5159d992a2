using System.Globalization;
using System.Text;
using LossNotebooks.Display;

namespace LossNotebooks.Derivations;

/// <summary>
/// The numbers behind the seed-000 audit on one seeded run of the seed's own recipe (500×100), for the WARP notebook:
/// what the seed computes and what the corrected computation gives. Every field is measured by <see cref="Measure"/>.
/// </summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed record WarpSeedReport(
    int Seed, int Rows, int Columns,
    int ArgmaxIsTrueLabel,
    int SeedDataRowsWithN1, double SeedDataWeightMin, double SeedDataWeightMax,
    int LogScoreRowsWithViolator, int LogScoreRowsWithZeroSeedWeight,
    double SeedLossGradMinAbs, double SeedLossGradMaxAbs,
    int SeedHessianRows, int SeedHessianColumns, double SeedHessianMaxAbs, int SeedHessianNonZero,
    double YHatShiftMin, double YHatShiftMax,
    double CorrectedGradientNonZero, double CentralSecondDifferenceMaxAbs) : IRichDisplay
{
    /// <summary>Runs the seed's computations and the corrected ones on <see cref="WarpSeed.SeedData"/> drawn with <paramref name="seed"/>.</summary>
    public static WarpSeedReport Measure(int seed = 0)
    {
        var data = WarpSeed.SeedData(new Random(seed));
        int n = data.Rows, c = data.Classes;
        var labels = WarpSeed.Labels(data);
        var orders = WarpSeed.DrawOrders(n, c, data.ScenarioSeed);
        var seedSample = WarpSeed.Sample(data.Logits, n, c, labels, orders, WarpOptions.Seed);
        int argmaxIsLabel = Enumerable.Range(0, n).Count(i => seedSample.Positives[i] == labels[i]);

        var logScores = WarpSeed.LogScores(data);
        var rowFixed = new WarpOptions(MarginRowBug: false, PositiveFromArgmax: true, WarpWeight.SeedLog);
        var logSample = WarpSeed.Sample(logScores, n, c, labels, orders, rowFixed);
        int withViolator = logSample.Trials.Count(t => t < c);
        int zeroWeight = Enumerable.Range(0, n).Count(i => logSample.Trials[i] < c && logSample.Weights[i] == 0);

        var lossGrad = WarpSeed.SeedLossGrad(data.Logits, data.Targets, c, seedSample).Select(Math.Abs).ToArray();

        var yHat = (double[])data.Logits.Clone();
        var h = WarpSeed.SeedHessian(yHat, data.Targets, n, c, seedSample);
        var shift = yHat.Select((v, a) => v - data.Logits[a]).ToArray();

        var corrected = WarpSeed.Sample(data.Logits, n, c, labels, orders, WarpOptions.Corrected);
        var g = WarpSeed.Gradient(n, c, corrected);
        double maxSecond = 0;
        for (int i = 0; i < n; i += 25)
        {
            int a = i * c + corrected.Negatives[i], b = i * c + corrected.Positives[i];
            maxSecond = Math.Max(maxSecond, Math.Abs(Numeric.SecondPartial(x => WarpSeed.Loss(x, c, corrected), data.Logits, a, b)));
            maxSecond = Math.Max(maxSecond, Math.Abs(Numeric.SecondPartial(x => WarpSeed.Loss(x, c, corrected), data.Logits, a, a)));
        }

        return new WarpSeedReport(seed, n, c, argmaxIsLabel,
            seedSample.Trials.Count(t => t == 1), seedSample.Weights.Min(), seedSample.Weights.Max(),
            withViolator, zeroWeight,
            lossGrad.Min(), lossGrad.Max(),
            n, n, h.Max(Math.Abs), h.Count(v => v != 0),
            shift.Min(), shift.Max(),
            g.Count(v => v != 0), maxSecond);
    }

    private IEnumerable<(string What, string Seed, string Corrected)> Lines()
    {
        var inv = CultureInfo.InvariantCulture;
        string G(double v) => v.ToString("G4", inv);
        yield return ("positive class", $"argmax ŷ: equals the true label in {ArgmaxIsTrueLabel}/{Rows} rows", "the true label");
        yield return ("draws N on the seed's data", $"N = 1 in {SeedDataRowsWithN1}/{Rows} rows; weight ∈ [{G(SeedDataWeightMin)}, {G(SeedDataWeightMax)}]", "the margin 1 exceeds any difference of probabilities: the seed needs scores on a logit scale (or a margin on the probability scale)");
        yield return ("rank weight on log-scores", $"{LogScoreRowsWithViolator} rows violate; {LogScoreRowsWithZeroSeedWeight} of them get log(floor(99/N)) = 0", "harmonic L(k) ≥ 1 for every violating row");
        yield return ("loss_grad", $"one number per row, |value| ∈ [{G(SeedLossGradMinAbs)}, {G(SeedLossGradMaxAbs)}]", $"n×C gradient with {CorrectedGradientNonZero} non-zeros (±L_i)");
        yield return ("hessian", $"{SeedHessianRows}×{SeedHessianColumns} (rows × rows), max |H| = {G(SeedHessianMaxAbs)}, {SeedHessianNonZero} non-zero entries of rounding noise", $"{Rows * Columns}×{Rows * Columns} and zero: max |numeric ∂²L| = {G(CentralSecondDifferenceMaxAbs)}");
        yield return ("side effect", $"y_hat shifted by [{G(YHatShiftMin)}, {G(YHatShiftMax)}] after hessian()", "x0 untouched");
    }

    public override string ToString()
    {
        var sb = new StringBuilder($"Seed 000 (WARP) on its own recipe, {Rows}×{Columns}, seed {Seed}\n");
        // One block per quantity, the seed's value and the correction on lines of their own (not packed with ';').
        foreach (var (what, seed, fix) in Lines()) sb.Append($"  {what}\n    seed:      {seed}\n    corrected: {fix}\n");
        return sb.ToString();
    }

    public string ToHtml() =>
        $"<div><b>Seed 000 (WARP) on its own recipe, {Rows}×{Columns}, seed {Seed}</b>" +
        Html.Table(["quantity", "seed computes", "corrected"], Lines().Select(l => new[] { Html.Escape(l.What), Html.Escape(l.Seed), Html.Escape(l.Corrected) })) + "</div>";
}
