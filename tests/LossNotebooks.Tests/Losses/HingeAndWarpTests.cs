using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

public class HingeAndWarpTests
{
    [Fact]
    public void Vectorised_hinge_agrees_with_the_per_example_loop_including_exact_kinks()
    {
        var r = new Random(31);
        for (int t = 0; t < 2000; t++)
        {
            int n = r.Next(1, 6), c = r.Next(2, 13);
            // Half the cases use small integers with integer Δ, so margins hit exactly 0 and the convention is exercised.
            bool ties = t % 2 == 0;
            var z = Enumerable.Range(0, n * c).Select(_ => ties ? r.Next(-2, 3) : LossCases.Uniform(r, -3, 3)).ToArray();
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            var w = r.Next(2) == 0 ? null : Enumerable.Range(0, n).Select(_ => LossCases.Uniform(r, 0, 2)).ToArray();
            double delta = ties ? r.Next(0, 3) : LossCases.Uniform(r, 0, 2);
            var gv = new double[n * c]; var gr = new double[n * c];
            double vv = MulticlassHinge.Kernel(z, c, labels, w, delta, gv);
            MulticlassHinge.ReferenceGradient(z, c, labels, w, delta, gr);
            Assert.Equal(MulticlassHinge.ReferenceValue(z, c, labels, w, delta), vv, 1e-12);
            Assert.Equal(gr, gv, (a, b) => Math.Abs(a - b) <= 1e-12);
            Assert.Equal(vv, new MulticlassHinge(labels, c, delta, w).Value(z), 1e-12);
        }
    }

    [Fact]
    public void Hinge_hand_example_and_kink_convention()
    {
        // cs231n's example: scores (3.2, 5.1, −1.7), true class 0, Δ = 1 → max(0, 2.9) + max(0, −3.9) = 2.9.
        var hinge = new MulticlassHinge([0], 3);
        var g = new double[3];
        Assert.Equal(2.9, hinge.Gradient([3.2, 5.1, -1.7], g), 1e-12);
        Assert.Equal([-1.0, 1.0, 0.0], g);
        // At a kink (margin exactly 0) the zero slope is taken.
        Assert.Equal(0.0, hinge.Gradient([1.0, 0.0, -5.0], g));
        Assert.Equal([0.0, 0.0, 0.0], g);
    }

    [Fact]
    public void Rank_weights_harmonic_and_log()
    {
        Assert.Equal(1.0, WarpLoss.RankWeightOf(1, WarpRankWeight.Harmonic));
        Assert.Equal(11.0 / 6, WarpLoss.RankWeightOf(3, WarpRankWeight.Harmonic), 1e-15);
        Assert.Equal(0.0, WarpLoss.RankWeightOf(1, WarpRankWeight.Log));
        const double eulerGamma = 0.57721566490153286;
        for (int k = 1; k <= 2000; k++)
        {
            double gap = WarpLoss.RankWeightOf(k, WarpRankWeight.Harmonic) - WarpLoss.RankWeightOf(k, WarpRankWeight.Log);
            // H_k − ln k decreases from 1 (k = 1) towards γ, and H_k − ln k − γ ≈ 1/(2k).
            Assert.InRange(gap, eulerGamma, 1.0 + 1e-15);
            Assert.Equal(1.0 / (2 * k), gap - eulerGamma, 1.0 / (8.0 * k * k) + 1e-14);
        }
    }

    [Fact]
    public void Warp_sampling_is_seeded_and_its_record_is_consistent()
    {
        var r = new Random(32);
        for (int t = 0; t < 500; t++)
        {
            int n = r.Next(1, 8), c = r.Next(2, 15);
            var z = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, -3, 3)).ToArray();
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            double delta = LossCases.Uniform(r, 0, 1.5);
            var form = r.Next(2) == 0 ? WarpRankWeight.Harmonic : WarpRankWeight.Log;
            int seed = r.Next();
            var loss = new WarpLoss(labels, c, seed, delta, form);
            var s1 = loss.Sample(z);
            var s2 = new WarpLoss(labels, c, seed, delta, form).Sample(z);
            Assert.Equal(s1.Negatives, s2.Negatives);
            Assert.Equal(s1.Trials, s2.Trials);
            double expected = 0;
            for (int i = 0; i < n; i++)
            {
                int neg = s1.Negatives[i], y = labels[i];
                Assert.InRange(s1.Trials[i], 1, c - 1);
                if (neg < 0)
                {
                    // No violator: all c − 1 negatives were tried, and indeed none violates.
                    Assert.Equal(c - 1, s1.Trials[i]);
                    for (int j = 0; j < c; j++) if (j != y) Assert.True(delta + z[i * c + j] - z[i * c + y] <= 0);
                    continue;
                }
                Assert.NotEqual(y, neg);
                double m = delta + z[i * c + neg] - z[i * c + y];
                Assert.True(m > 0);
                Assert.Equal(WarpLoss.RankWeightOf((c - 1) / s1.Trials[i], form), s1.RankWeights[i]);
                expected += s1.RankWeights[i] * m;
            }
            Assert.Equal(expected, loss.Value(z), 1e-12);
            Assert.Equal(expected, loss.ValueFixed(z, s1), 1e-12);
        }
    }

    [Fact]
    public void Warp_first_draw_violates_when_every_negative_does_so_k_is_c_minus_1()
    {
        // Every margin positive → the first draw violates: trials = 1, k = c − 1, L = H_{c−1}.
        int c = 6;
        var z = new double[] { -5, 0, 0.5, 1, 1.5, 2 };
        var loss = new WarpLoss([0], c, seed: 3, margin: 1.0);
        var s = loss.Sample(z);
        Assert.Equal(1, s.Trials[0]);
        Assert.Equal(WarpLoss.RankWeightOf(5, WarpRankWeight.Harmonic), s.RankWeights[0]);
        var g = new double[c];
        double v = loss.Gradient(z, g);
        int neg = s.Negatives[0];
        Assert.Equal(s.RankWeights[0] * (1 + z[neg] + 5), v, 1e-12);
        for (int j = 0; j < c; j++) Assert.Equal(j == neg ? s.RankWeights[0] : j == 0 ? -s.RankWeights[0] : 0.0, g[j]);
    }

    [Fact]
    public void Warp_uses_the_true_label_not_the_argmax_and_different_seeds_can_sample_differently()
    {
        // The seed notebook took argmax(y_hat) as the positive; here the label is class 2 although class 0 scores highest.
        var z = new double[] { 3, 1, 0, -1 };
        var loss = new WarpLoss([2], 4, seed: 5, margin: 1.0);
        var g = new double[4];
        Assert.True(loss.Gradient(z, g) > 0);
        Assert.True(g[2] < 0);
        var distinct = Enumerable.Range(0, 50).Select(seed => new WarpLoss([2], 4, seed).Sample(z).Negatives[0]).Distinct().Count();
        Assert.True(distinct > 1);
    }

    [Fact]
    public void Warp_fixed_sampling_gradient_matches_finite_differences_of_the_fixed_value()
    {
        var r = new Random(33);
        for (int t = 0; t < 1000; t++)
        {
            var (lossBase, z) = LossCases.Create(LossKind.WarpHarmonic, r);
            var loss = (WarpLoss)lossBase;
            var sample = loss.Sample(z);
            var analytic = new double[z.Length];
            loss.GradientFixed(z, sample, analytic);
            var numeric = new double[z.Length];
            FiniteDifference.Gradient(x => loss.ValueFixed(x, sample), z, numeric);
            // Piecewise linear and ≥ 0.02 from every kink: only rounding, ε·F/h ≈ 4e-11·F.
            double tol = 1e-8 * (1 + z.Sum(Math.Abs));
            for (int k = 0; k < z.Length; k++) Assert.True(Math.Abs(analytic[k] - numeric[k]) <= tol, $"case {t} entry {k}");
        }
    }

    [Fact]
    public void Warp_first_negative_is_uniform_over_the_other_classes()
    {
        // Every negative violates, so the first draw decides; over 4000 seeds each of the 4 negatives should come up
        // ≈ 1000 times (binomial σ ≈ 27); ±150 is 5.5σ, and the seeds are fixed so the test is deterministic.
        var counts = new int[5];
        double[] z = [-10, 0, 0, 0, 0];
        for (int seed = 0; seed < 4000; seed++) counts[new WarpLoss([0], 5, seed).Sample(z).Negatives[0]]++;
        Assert.Equal(0, counts[0]);
        for (int j = 1; j < 5; j++) Assert.InRange(counts[j], 850, 1150);
    }
}
