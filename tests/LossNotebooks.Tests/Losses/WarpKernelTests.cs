using static LossNotebooks.Tests.Losses.Expect;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// WARP's span kernels and fixed-sampling members: each guard with the input it rejects, the strict margin, row
/// weights, outputs that start dirty, c above the 1024-entry stack pool, and the sample's display. Inputs are small
/// integers and dyadic fractions, so every expected value is exact and compared with equality.
/// </summary>
public class WarpKernelTests
{
    [Fact]
    public void Sample_kernel_overwrites_its_outputs_and_treats_a_zero_margin_as_no_violation()
    {
        // c = 4, Δ = 1. Row 0 (label 0): every margin 1 + 0 − (−2) = 3 > 0, so the first draw violates: trials 1,
        // k = 3, L = H_3. Row 1 (label 3): every margin 1 + 0 − 1 = 0 exactly, not a violation (WARP's violation is
        // f_neg > f_pos − Δ, strict), so all 3 negatives are drawn and none kept. Row 2 (label 1): margins −4.
        double[] z = [-2, 0, 0, 0, /**/ 0, 0, 0, 1, /**/ 0, 5, 0, 0];
        int[] labels = [0, 3, 1];
        int[] negatives = [99, 99, 99], trials = [99, 99, 99];
        double[] rankWeights = [double.NaN, double.NaN, double.NaN];
        WarpLoss.SampleKernel(z, 4, labels, 1.0, seed: 7, WarpRankWeight.Harmonic, negatives, trials, rankWeights);
        Assert.InRange(negatives[0], 1, 3);
        Assert.Equal([1, 3, 3], trials);
        Assert.Equal([-1, -1], negatives[1..]);
        Assert.Equal(11.0 / 6, rankWeights[0], 1e-15);   // 1 + 1/2 + 1/3, one rounding per term
        Assert.Equal([0.0, 0.0], rankWeights[1..]);
    }

    [Fact]
    public void Margin_exactly_zero_gives_no_sample_no_value_and_no_gradient()
    {
        // Both negatives sit exactly on the margin: Δ + z_j − z_y = 1 + 0 − 1 = 0.
        double[] z = [1, 0, 0];
        var loss = new WarpLoss([0], 3, seed: 2);
        var s = loss.Sample(z);
        Assert.Equal(-1, s.Negatives[0]);
        Assert.Equal(2, s.Trials[0]);
        var g = new double[] { 7, 7, 7 };
        Assert.Equal(0.0, loss.Gradient(z, g));
        Assert.Equal([0.0, 0.0, 0.0], g);
    }

    [Fact]
    public void Row_weights_scale_the_value_and_gradient()
    {
        // c = 2 leaves one negative, so the sampling is deterministic: trials 1, k = 1, L = H_1 = 1.
        // Row 0 (label 0, w 4): m = 1 + 0.5 − 0 = 1.5 → 6. Row 1 (label 1, w 0.5): m = 1 + 1 − 0 = 2 → 1.
        double[] z = [0, 0.5, 1, 0];
        var sum = new WarpLoss([0, 1], 2, seed: 1, weights: [4, 0.5]);
        var g = new double[4];
        Assert.Equal(7.0, sum.Gradient(z, g));
        Assert.Equal([-4.0, 4.0, 0.5, -0.5], g);
        var mean = new WarpLoss([0, 1], 2, seed: 1, weights: [4, 0.5], reduction: Reduction.Mean);
        Assert.Equal(3.5, mean.Gradient(z, g));
        Assert.Equal([-2.0, 2.0, 0.25, -0.25], g);
    }

    [Fact]
    public void Fixed_kernel_hand_example_with_a_dirty_gradient()
    {
        // Δ = 1, c = 3; term a·max(0, m) with a = w·L and m = 1 + z_neg − z_y.
        double[] z =
        [
            1, 0.5, -2,   // label 0, neg 1: m = 0.5, a = 4·1.5 = 6 → 3
            3, 0, 1,      // label 2, neg 0: m = 3, a = 0.5·2 = 1 → 3
            0, 0, 0,      // label 1, no negative
            4, 0, 1,      // label 0, neg 2: m = −2 (no longer violated) → 0, zero slope
            0, 2, 3,      // label 2, neg 1: m = 0 exactly → 0, zero slope
        ];
        int[] labels = [0, 2, 1, 0, 2], negatives = [1, 0, -1, 2, 1];
        double[] rankWeights = [1.5, 2, 3, 1, 1], rowWeights = [4, 0.5, 1, 1, 1];
        double[] expectedG = [-6, 6, 0, 1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var g = Enumerable.Repeat(7.0, 15).ToArray();
        Assert.Equal(6.0, WarpLoss.FixedKernel(z, 3, labels, negatives, rankWeights, rowWeights, 1.0, g));
        Assert.Equal(expectedG, g);
        Assert.Equal(6.0, WarpLoss.FixedKernel(z, 3, labels, negatives, rankWeights, rowWeights, 1.0, default));
        Array.Fill(g, double.NaN);
        Assert.Equal(1.5, WarpLoss.FixedKernel(z, 3, labels, negatives, rankWeights, rowWeights, 1.0, g, scale: 0.25));
        Assert.Equal(expectedG.Select(v => v / 4), g);
    }

    [Fact]
    public void Class_outputs_start_dirty_and_are_overwritten()
    {
        // c = 2: deterministic sampling (see Row_weights_scale_the_value_and_gradient); the Hessian is 0.
        double[] z = [0, 0.5];
        var loss = new WarpLoss([0], 2, seed: 3);
        var d = new[] { double.NaN, 7 };
        loss.DiagonalHessian(z, d);
        Assert.Equal([0.0, 0.0], d);
        var g = new[] { double.NaN, 7 };
        d = [double.NaN, 7];
        Assert.Equal(1.5, loss.GradientAndDiagonalHessian(z, g, d));
        Assert.Equal([-1.0, 1.0], g);
        Assert.Equal([0.0, 0.0], d);
        g = [double.NaN, 7];
        Assert.Equal(1.5, loss.GradientFixed(z, loss.Sample(z), g));
        Assert.Equal([-1.0, 1.0], g);
    }

    [Fact]
    public void Kink_distances_are_the_margin_distances()
    {
        // Δ = 1. Row 0 (label 0, z_y = 2): |1 + 0.5 − 2| = 0.5, |1 + 3 − 2| = 2, the label entry the nearest, 0.5.
        // Row 1 (label 2, z_y = 0.25): |1 + 0 − 0.25| = 0.75 for both negatives and so for the label entry.
        double[] z = [2, 0.5, 3, 0, 0, 0.25];
        double[] expected = [0.5, 0.5, 2, 0.75, 0.75, 0.75];
        var d = Enumerable.Repeat(double.NaN, 6).ToArray();
        new WarpLoss([0, 2], 3, seed: 1).KinkDistances(z, d);
        Assert.Equal(expected, d);
        Throws("scores", () => new WarpLoss([0, 2], 3, seed: 1).KinkDistances([2, 0.5, 3, 0, double.NaN, 0.25], d));
    }

    [Fact]
    public void More_than_1024_classes_sample_from_a_heap_pool()
    {
        // c = 1100 exceeds the 1024-entry stack pool. Row 0 (label 0): only class 1050 violates (m = 1 + 1 − 0 = 2;
        // every other margin 1 − 1 − 0 = 0, not a violation). Row 1 (label 1099): every margin 1 − 1 − 5 < 0.
        const int c = 1100;
        var z = new double[2 * c];
        for (int j = 1; j < c; j++) z[j] = -1;
        z[1050] = 1;
        for (int j = 0; j < c - 1; j++) z[c + j] = -1;
        z[c + 1099] = 5;
        var loss = new WarpLoss([0, 1099], c, seed: 11);
        var s = loss.Sample(z);
        Assert.Equal([1050, -1], s.Negatives);
        Assert.InRange(s.Trials[0], 1, c - 1);
        Assert.Equal(c - 1, s.Trials[1]);
        Assert.Equal(WarpLoss.RankWeightOf((c - 1) / s.Trials[0], WarpRankWeight.Harmonic), s.RankWeights[0]);
        Assert.Equal(0.0, s.RankWeights[1]);
        Assert.Equal(2 * s.RankWeights[0], loss.Value(z));
    }

    [Fact]
    public void Sample_display_shows_none_for_rows_without_a_violator_and_counts_the_others()
    {
        var s = new WarpSample([-1, 2, 0], [3, 1, 2], [0, 1.5, 0.75]);
        string html = s.ToHtml();
        Assert.Contains("<tr><td>0</td><td>none</td><td>3</td>", html);
        Assert.Contains("<tr><td>1</td><td>2</td><td>1</td>", html);
        Assert.Contains("<tr><td>2</td><td>0</td><td>2</td>", html);
        Assert.EndsWith("</tbody></table>", html);
        Assert.Equal("WARP sample: 3 rows, 2 with a violating negative", s.ToString());
    }

    [Fact]
    public void Sample_kernel_rejects_bad_input()
    {
        double[] z = [0.5, 0, 0, 0.25, 0, 0];
        int[] labels = [0, 1];
        void Sample(double[] scores, int classes, int[] y, double margin, int[] neg, int[] trials, double[] rw) =>
            WarpLoss.SampleKernel(scores, classes, y, margin, 1, WarpRankWeight.Harmonic, neg, trials, rw);
        Throws("scores", () => Sample([0.5, 0, 0, 0.25, double.NaN, 0], 3, labels, 1.0, new int[2], new int[2], new double[2]));
        Throws("labels", () => Sample(z, 3, [0, 3], 1.0, new int[2], new int[2], new double[2]));
        Throws("classes", () => Sample([0.5, 0.25], 1, [0, 0], 1.0, new int[2], new int[2], new double[2]));
        Throws("margin", () => Sample(z, 3, labels, -1.0, new int[2], new int[2], new double[2]));
        Throws("margin", () => Sample(z, 3, labels, double.NaN, new int[2], new int[2], new double[2]));
        Throws("trials", () => Sample(z, 3, labels, 1.0, new int[2], new int[1], new double[2]));
        Throws("rankWeights", () => Sample(z, 3, labels, 1.0, new int[2], new int[2], new double[3]));
        Throws("form", () => WarpLoss.RankWeightOf(1, (WarpRankWeight)9));
    }

    [Fact]
    public void Fixed_kernel_rejects_bad_input()
    {
        // c = 3, two rows, labels 0 and 2; row 1's negative 1 is valid, so each case below has one fault.
        double[] z = [0.5, 0, 0, 0.25, 0, 0], rw = [1, 1];
        int[] labels = [0, 2], negatives = [1, 1];
        var g = new double[6];
        Throws("scores", () => WarpLoss.FixedKernel([double.NaN, 0, 0, 0.25, 0, 0], 3, labels, negatives, rw, default, 1.0, g));
        Throws("rowWeights", () => WarpLoss.FixedKernel(z, 3, labels, negatives, rw, [1.0, -1.0], 1.0, g));
        Throws("gradient", () => WarpLoss.FixedKernel(z, 3, labels, negatives, rw, default, 1.0, new double[7]));
        Throws("scale", () => WarpLoss.FixedKernel(z, 3, labels, negatives, rw, default, 1.0, g, scale: -1));
        Throws("labels", () => WarpLoss.FixedKernel(z, 3, [3, 2], negatives, rw, default, 1.0, g));
        Throws("margin", () => WarpLoss.FixedKernel(z, 3, labels, negatives, rw, default, -1.0, g));
        Throws("negatives", () => WarpLoss.FixedKernel(z, 3, labels, [1], rw, default, 1.0, g));
        Throws("rankWeights", () => WarpLoss.FixedKernel(z, 3, labels, negatives, [1.0], default, 1.0, g));
        Throws("negatives", () => WarpLoss.FixedKernel(z, 3, labels, [-2, 1], rw, default, 1.0, g));
        Throws("negatives", () => WarpLoss.FixedKernel(z, 3, labels, [3, 1], rw, default, 1.0, g));
    }

    [Fact]
    public void Fixed_sampling_members_reject_bad_scores_and_samples()
    {
        double[] z = [0.5, 0, 0, 0.25, 0, 0];
        var warp = new WarpLoss([0, 1], 3, seed: 1);
        var ok = new WarpSample([1, 0], [1, 1], [1.0, 1.0]);
        double[] bad = [double.NaN, 0, 0, 0.25, 0, 0];
        Throws("scores", () => warp.ValueFixed(bad, ok));
        Throws("scores", () => warp.GradientFixed(bad, ok, new double[6]));
        Throws("sample", () => warp.ValueFixed(z, ok with { Negatives = [1, 0, 0] }));
        Throws("sample", () => warp.ValueFixed(z, ok with { RankWeights = [1.0] }));
        Throws("sample", () => warp.ValueFixed(z, ok with { Negatives = [-2, 0] }));
        Throws("sample", () => warp.ValueFixed(z, ok with { Negatives = [3, 0] }));
    }
}
