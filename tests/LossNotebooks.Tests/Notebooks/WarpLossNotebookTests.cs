using LossNotebooks.Derivations;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using WarpSample = LossNotebooks.Losses.WarpSample;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>The library calls and checks notebooks/06-warp-loss.ipynb relies on, with the notebook's data.</summary>
public class WarpLossNotebookTests
{
    private const int N = 100, C = 100;

    private static (int[] Labels, double[] Z) Data()
    {
        var rng = new Random(6);
        var labels = Enumerable.Range(0, N).Select(_ => rng.Next(C)).ToArray();
        var z = Enumerable.Range(0, N * C).Select(_ => StepInput.Gaussian(rng)).ToArray();
        for (int i = 0; i < N; i++) z[i * C + labels[i]] += 4 * rng.NextDouble();
        return (labels, z);
    }

    private static int Violators(double[] z, int[] labels, int i) =>
        Enumerable.Range(0, C).Count(j => j != labels[i] && 1 + z[i * C + j] - z[i * C + labels[i]] > 0);

    [Fact]
    public void Sampling_is_seeded_and_finds_a_violator_exactly_when_one_exists()
    {
        var (labels, z) = Data();
        var a = new WarpLoss(labels, C, seed: 42).Sample(z);
        var b = new WarpLoss(labels, C, seed: 42).Sample(z);
        Assert.Equal(a.Negatives, b.Negatives);
        Assert.Equal(a.Trials, b.Trials);
        Assert.NotEqual(a.Trials, new WarpLoss(labels, C, seed: 43).Sample(z).Trials);
        for (int i = 0; i < N; i++)
        {
            int v = Violators(z, labels, i);
            Assert.Equal(v > 0, a.Negatives[i] >= 0);
            if (v > 0)
            {
                Assert.True(1 + z[i * C + a.Negatives[i]] - z[i * C + labels[i]] > 0);
                Assert.Equal(WarpLoss.RankWeightOf((C - 1) / a.Trials[i], WarpRankWeight.Harmonic), a.RankWeights[i]);
            }
        }
    }

    /// <summary>E[N] = C/(v+1) for the first of v marked items among C−1 shuffled ones; checked as the notebook does.</summary>
    [Fact]
    public void Mean_draw_count_matches_C_over_v_plus_1()
    {
        var (labels, z) = Data();
        const int seeds = 300;
        var meanN = new double[N];
        for (int s = 0; s < seeds; s++)
        {
            var smp = new WarpLoss(labels, C, seed: 1000 + s).Sample(z);
            for (int i = 0; i < N; i++) meanN[i] += smp.Trials[i] / (double)seeds;
        }
        for (int i = 0; i < N; i++)
        {
            int v = Violators(z, labels, i);
            if (v == 0) continue;
            double expected = C / (v + 1.0);
            // Standard error ≤ E[N]/√300 (sd(N) ≤ E[N]); 4.5 standard errors over ~80 rows: a false alarm has p < 1e-3.
            Assert.True(Math.Abs(meanN[i] - expected) <= 4.5 * expected / Math.Sqrt(seeds), $"row {i}: v = {v}, mean N = {meanN[i]}, C/(v+1) = {expected}");
        }
    }

    /// <summary>The notebook's reading of its figure: k is biased upward (Jensen), yet increasing in the rank on average.</summary>
    [Fact]
    public void Rank_estimate_is_biased_upward_but_increasing()
    {
        var (labels, z) = Data();
        const int seeds = 300;
        var meanK = new double[N];
        for (int s = 0; s < seeds; s++)
        {
            var smp = new WarpLoss(labels, C, seed: 1000 + s).Sample(z);
            for (int i = 0; i < N; i++) if (smp.Negatives[i] >= 0) meanK[i] += (C - 1) / smp.Trials[i] / (double)seeds;
        }
        var mid = Enumerable.Range(0, N).Where(i => Violators(z, labels, i) is >= 5 and <= 90).ToArray();
        Assert.True(mid.Length > 20);
        Assert.True(mid.Average(i => meanK[i] - Violators(z, labels, i)) > 5, "mean k should sit above v for middle ranks");
        // Increasing on average: rows split at the median v; the upper half has the larger mean k.
        var byV = mid.OrderBy(i => Violators(z, labels, i)).ToArray();
        Assert.True(byV.Skip(byV.Length / 2).Average(i => meanK[i]) > byV.Take(byV.Length / 2).Average(i => meanK[i]));
    }

    /// <summary>One generator serves all rows in order: flipping one sampled margin re-draws later rows (the notebook's "global jump").</summary>
    [Fact]
    public void A_sampling_jump_in_one_row_changes_later_rows()
    {
        var (labels, z) = Data();
        var warp = new WarpLoss(labels, C, seed: 42);
        var sample = warp.Sample(z);
        int row = Enumerable.Range(0, N).First(i => sample.Negatives[i] >= 0), neg = sample.Negatives[row];
        var zk = (double[])z.Clone();
        zk[row * C + neg] = zk[row * C + labels[row]] - 1 + 1e-6;
        var right = warp.Sample(zk);
        zk[row * C + neg] -= 1e-3;
        var left = warp.Sample(zk);
        Assert.NotEqual(right.Trials[row], left.Trials[row]);
        Assert.True(Enumerable.Range(row + 1, N - row - 1).Count(i => left.Negatives[i] != right.Negatives[i]) > 10);
    }

    [Fact]
    public void Harmonic_and_log_rank_weights()
    {
        Assert.Equal(1.0, WarpLoss.RankWeightOf(1, WarpRankWeight.Harmonic));
        Assert.Equal(0.0, WarpLoss.RankWeightOf(1, WarpRankWeight.Log));
        Assert.Equal(1.5, WarpLoss.RankWeightOf(2, WarpRankWeight.Harmonic), 1e-15);
        // H_99 − ln 99 = γ + 1/(2·99) − … ≈ 0.5823 (γ = 0.5772156649).
        Assert.Equal(0.5772156649 + 1.0 / 198 - 1.0 / (12.0 * 99 * 99), WarpLoss.RankWeightOf(99, WarpRankWeight.Harmonic) - WarpLoss.RankWeightOf(99, WarpRankWeight.Log), 1e-7);
        var (labels, z) = Data();
        var log = new WarpLoss(labels, C, seed: 42, rankWeight: WarpRankWeight.Log).Sample(z);
        int zero = Enumerable.Range(0, N).Count(i => log.Negatives[i] >= 0 && log.RankWeights[i] == 0);
        Assert.True(zero > 0, "the notebook shows violating rows with log weight 0");
        Assert.All(Enumerable.Range(0, N).Where(i => log.Negatives[i] >= 0 && log.RankWeights[i] == 0), i => Assert.True(log.Trials[i] > (C - 1) / 2));
    }

    [Fact]
    public void Fixed_sample_gradient_matches_central_differences()
    {
        var (labels, z) = Data();
        var warp = new WarpLoss(labels, C, seed: 42);
        WarpSample sample = warp.Sample(z);
        var g = new double[N * C];
        warp.GradientFixed(z, sample, g);
        var num = new double[N * C];
        FiniteDifference.Gradient(x => warp.ValueFixed(x, sample), z, num, DifferenceRule.Central, StepSize.Absolute(1e-5));
        // Linear pieces: rounding only, ε|L|/h ≈ 2.2e-16·300/1e-5 ≈ 7e-9 absolute at worst (measured 2.8e-9).
        for (int k = 0; k < g.Length; k++) Assert.True(Math.Abs(g[k] - num[k]) < 5e-8, $"entry {k}: {g[k]} vs {num[k]}");
        Assert.Equal(2 * sample.Negatives.Count(v => v >= 0), g.Count(v => v != 0));
        var full = new double[N * C];
        warp.Gradient(z, full);
        Assert.Equal(g, full);
    }

    /// <summary>Numeric Hessian diagonal: at rounding level wherever the step reaches no kink; the second difference at a kink is L(k)(h−m)/h².</summary>
    [Fact]
    public void Numeric_hessian_is_zero_off_kinks_and_scales_as_one_over_h_at_a_kink()
    {
        var (labels, z) = Data();
        var warp = new WarpLoss(labels, C, seed: 42);
        const double h = 1e-2;
        var diag = new double[N * C];
        FiniteDifference.HessianDiagonal(x => warp.Value(x), z, diag, StepSize.Absolute(h));
        var kink = new double[N * C];
        warp.KinkDistances(z, kink);
        double floor = 4 * StepSize.MachineEpsilon * warp.Value(z) / (h * h);
        for (int k = 0; k < diag.Length; k++)
            if (kink[k] > h) Assert.True(Math.Abs(diag[k]) <= floor, $"entry {k}: {diag[k]}");
        Assert.Contains(Enumerable.Range(0, N * C), k => kink[k] <= h && Math.Abs(diag[k]) > 1e3);

        var sample = warp.Sample(z);
        int row = Enumerable.Range(0, N).First(i => sample.Negatives[i] >= 0), neg = sample.Negatives[row];
        var zk = (double[])z.Clone();
        zk[row * C + neg] = zk[row * C + labels[row]] - 1 + 1e-6;
        var fixedAtKink = warp.Sample(zk);
        double jump = fixedAtKink.RankWeights[row];
        foreach (double step in new[] { 1e-1, 1e-3, 1e-5 })
        {
            double d2 = FiniteDifference.SecondDerivative(t => { var w = (double[])zk.Clone(); w[row * C + neg] += t; return warp.ValueFixed(w, fixedAtKink); }, 0, step);
            // Rounding 4ε|L|/h² ≈ 1e-3·… relative to L(k)/h at h = 1e-5: 4·2.2e-16·300/1e-10 ≈ 3 vs 3e5 → 1e-5 relative.
            Assert.Equal(jump * (step - 1e-6) / (step * step), d2, 1e-4 * jump / step);
        }
    }

    [Fact]
    public void Seed_report_and_derivation_verdicts()
    {
        var report = WarpSeedReport.Measure(0);
        Assert.Equal(500, report.SeedDataRowsWithN1);                 // every row stops at the first draw
        Assert.True(report.ArgmaxIsTrueLabel < 25);                   // argmax ≠ label: chance is 1/100
        Assert.True(report.LogScoreRowsWithZeroSeedWeight > 0);       // log 1 = 0 for violating rows
        Assert.True(report.SeedLossGradMinAbs > 1e6);                 // loss_grad's numbers are ~1e9: meaningless
        Assert.Equal(500, report.SeedHessianRows);                    // rows × rows, not entries × entries
        Assert.True(report.SeedHessianNonZero > 0);
        Assert.Equal(0.1, report.YHatShiftMin, 1e-12);                // y_hat left shifted by ε
        Assert.True(report.CentralSecondDifferenceMaxAbs < 1e-6);     // the true Hessian is 0
    }
}
