using LossNotebooks.Derivations;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>The library calls and checks notebooks/03-multiclass-svm.ipynb relies on, with the notebook's seeds.</summary>
public class MulticlassSvmNotebookTests
{
    private const double H = 1e-5;

    private static double RelativeError(double a, double n) => a == n ? 0 : Math.Abs(a - n) / Math.Max(Math.Abs(a), Math.Abs(n));

    [Fact]
    public void Loop_and_vectorized_kernel_agree()
    {
        var rng = new Random(2024);
        int n = 1000, c = 10;
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        var scores = Enumerable.Range(0, n * c).Select(_ => 2 * StepInput.Gaussian(rng)).ToArray();
        double loop = MulticlassHinge.ReferenceValue(scores, c, labels, default, 1.0);
        var loopGrad = new double[n * c];
        MulticlassHinge.ReferenceGradient(scores, c, labels, default, 1.0, loopGrad);
        var kernelGrad = new double[n * c];
        double kernel = MulticlassHinge.Kernel(scores, c, labels, default, 1.0, kernelGrad);
        // Same terms summed in another order: rounding ≲ n·c·ε·|L| ≈ 1e4·2.2e-16·1.6e4 ≈ 4e-8 worst case; measured 5e-12.
        Assert.Equal(loop, kernel, 1e-9 * loop);
        Assert.Equal(loopGrad, kernelGrad); // counts of violators: exact
    }

    [Fact]
    public void Seed_loop_over_range_1000_reports_a_tenth_of_the_loss_and_fails_below_1000_rows()
    {
        var cfg = SvmScenario.Random(0, 10000, 32, 10, 1e-4);
        double seed = SvmSeed.HingeLossLoop(cfg, cfg.W);
        double definition = SvmSeed.HingeLossReference(cfg, cfg.W);
        double library = new MulticlassHinge(cfg.Labels, 10, reduction: Reduction.Mean).Value(cfg.Scores(cfg.W));
        // Scores ≈ 1e-3, so each of the 9 margins ≈ 1: the definition is ≈ 9 and the seed's loop ≈ 0.9.
        Assert.InRange(definition, 8.9, 9.1);
        Assert.InRange(seed / definition, 0.09, 0.11);
        Assert.Equal(definition, library, 1e-12);
        Assert.Equal(definition, SvmSeed.HingeLossLoop(cfg, cfg.W, cfg.Rows), 1e-12);
        var small = SvmScenario.Random(1, 500, 32, 10, 1e-4);
        Assert.Throws<IndexOutOfRangeException>(() => SvmSeed.HingeLossLoop(small, small.W));
    }

    [Fact]
    public void Gradient_check_passes_away_from_kinks_for_scores_and_weights()
    {
        var r = new Random(3);
        int n = 20, c = 5;
        var y = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
        var s = Enumerable.Range(0, n * c).Select(_ => StepInput.Gaussian(r)).ToArray();
        var hinge = new MulticlassHinge(y, c);
        var g = new double[s.Length];
        hinge.Gradient(s, g);
        var num = new double[s.Length];
        FiniteDifference.Gradient(z => hinge.Value(z), s, num, DifferenceRule.Central, StepSize.Absolute(H));
        var dist = new double[s.Length];
        hinge.KinkDistances(s, dist);
        Assert.All(dist, d => Assert.True(d > H)); // the notebook's point has no entry within h of a kink
        // Piecewise linear: no truncation error, rounding ε|L|/h ≈ 2.2e-16·20/1e-5 ≈ 4e-10; cs231n's bar is 1e-7.
        for (int k = 0; k < s.Length; k++) Assert.True(RelativeError(g[k], num[k]) < 1e-7, $"entry {k}");

        var lin = SvmScenario.Random(7, 50, 4, 3, 0.5);
        var lh = new MulticlassHinge(lin.Labels, lin.Classes);
        var G = new double[lin.Rows * lin.Classes];
        lh.Gradient(lin.Scores(lin.W), G);
        var dW = new double[lin.Features * lin.Classes];
        for (int i = 0; i < lin.Rows; i++)
            for (int f = 0; f < lin.Features; f++)
                for (int k = 0; k < lin.Classes; k++) dW[f * lin.Classes + k] += lin.X[i * lin.Features + f] * G[i * lin.Classes + k];
        var dWNum = new double[dW.Length];
        FiniteDifference.Gradient(w => lh.Value(lin.Scores(w)), lin.W, dWNum, DifferenceRule.Central, StepSize.Absolute(H));
        for (int k = 0; k < dW.Length; k++) Assert.True(RelativeError(dW[k], dWNum[k]) < 1e-7, $"W entry {k}: {dW[k]} vs {dWNum[k]}");
    }

    /// <summary>Within h of a kink the central difference is the chord slope (m + h)/2h, and KinkDistances flags exactly those.</summary>
    [Theory]
    [InlineData(-0.5)]
    [InlineData(0.0)]
    [InlineData(0.25)]
    [InlineData(0.9)]
    public void At_a_kink_the_central_difference_is_the_chord_slope(double t)
    {
        var r = new Random(3);
        int n = 20, c = 5;
        var y = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
        var s = Enumerable.Range(0, n * c).Select(_ => StepInput.Gaussian(r)).ToArray();
        var hinge = new MulticlassHinge(y, c);
        int j = (y[0] + 1) % c, k = j;
        s[k] = s[y[0]] - 1.0 + t * H;
        double m = s[k] - s[y[0]] + 1.0;
        double numeric = FiniteDifference.PartialDerivative(z => hinge.Value(z), (double[])s.Clone(), k, DifferenceRule.Central, H);
        // (m+h)/2h up to rounding of the score arithmetic near 1: ε/h ≈ 2e-11 relative.
        Assert.Equal((m + H) / (2 * H), numeric, 1e-6);
        var g = new double[s.Length];
        hinge.Gradient(s, g);
        Assert.Equal(m > 0 ? 1.0 : 0.0, g[k]);
        var d = new double[s.Length];
        hinge.KinkDistances(s, d);
        Assert.True(d[k] <= H);
    }

    /// <summary>The notebook's report: every mismatch of the correct subgradient is at a kink; a broken gradient FAILs away from kinks.</summary>
    [Fact]
    public void Kink_flag_explains_every_mismatch_but_not_a_real_bug()
    {
        var r = new Random(11);
        int n = 6, c = 4;
        var y = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
        var s = Enumerable.Range(0, n * c).Select(_ => (double)r.Next(-2, 3)).ToArray();
        var hinge = new MulticlassHinge(y, c);
        var g = new double[s.Length];
        hinge.Gradient(s, g);
        var num = new double[s.Length];
        FiniteDifference.Gradient(z => hinge.Value(z), s, num, DifferenceRule.Central, StepSize.Absolute(H));
        var dist = new double[s.Length];
        hinge.KinkDistances(s, dist);
        bool Mismatch(double a, double b) => !(RelativeError(a, b) < 1e-7 || Math.Abs(a - b) < 1e-9);
        int kinks = 0;
        for (int k = 0; k < s.Length; k++)
            if (Mismatch(g[k], num[k])) { Assert.True(dist[k] <= H, $"entry {k} mismatches away from a kink"); kinks++; }
        Assert.True(kinks > 0, "integer scores should put some entries on kinks");
        var broken = (double[])g.Clone();
        for (int i = 0; i < n; i++) broken[i * c + y[i]] = 0;
        Assert.Contains(Enumerable.Range(0, s.Length), k => Mismatch(broken[k], num[k]) && dist[k] > H);
    }

    /// <summary>
    /// The policy of section 5: the seed's forward difference is imprecise (O(h)) yet inside the library's default
    /// gradient-check tolerance; the centered one meets "rel &lt; 1e-7 or |Δ| &lt; 1e-9"; a gradient off by O(1) fails.
    /// </summary>
    [Fact]
    public void Forward_difference_is_imprecise_but_accepted_by_the_default_tolerance_and_a_real_bug_is_not()
    {
        var d = SvmScenario.Random(1282103621, 1469, 8, 6, 0.5).Head(200);   // one of the notebook's scenarios (notebook: entry 46 of it)
        var g = SvmSeed.SoftmaxGradient(d, d.W);
        var forward = SvmSeed.EvalNumericalGradient(w => SvmSeed.SoftmaxLoss(d, w), (double[])d.W.Clone());
        var central = SvmSeed.EvalNumericalGradient(w => SvmSeed.SoftmaxLoss(d, w), (double[])d.W.Clone(), central: true);
        static bool Default(double a, double n) => Math.Abs(a - n) <= 1e-6 + 1e-4 * Math.Abs(n);   // GradientCheck's default
        // Forward: error ≈ h/2·f'' ≈ 5e-6·O(0.1): measured max |Δ| 7.3e-7 and max rel 3.2e-3 on the notebook's scenarios.
        Assert.All(Enumerable.Range(0, g.Length), k => Assert.True(Default(g[k], forward[k]), $"forward, entry {k}"));
        Assert.True(Enumerable.Range(0, g.Length).Max(k => RelativeError(g[k], forward[k])) > 1e-4, "the forward difference should be visibly imprecise");
        // Centered: O(h²) ≈ 1e-10 plus rounding ε|f|/h ≈ 2e-11.
        Assert.All(Enumerable.Range(0, g.Length), k => Assert.True(RelativeError(g[k], central[k]) < 1e-7 || Math.Abs(g[k] - central[k]) < 1e-9, $"central, entry {k}"));
        // A real bug — one term dropped, here the gradient of one class column halved — is off by O(1) relative: fails.
        var buggy = (double[])g.Clone();
        for (int k = 0; k < buggy.Length; k += d.Classes) buggy[k] *= 0.5;
        Assert.Contains(Enumerable.Range(0, g.Length), k => !Default(buggy[k], forward[k]));
    }
}
