using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>
/// Seed 000's WARP code as transliterated in <see cref="WarpSeed"/>, on inputs small enough to follow by hand.
/// Every expected value is worked out in the comments from the seed's loop (margin 1 + ŷ[j, neg] − ŷ[i, j], first
/// violator kept, weight log(floor((C−1)/N))) or from its correction.
/// </summary>
public class WarpSeedTests
{
    // 4 rows × 3 classes. C − 1 = 2: SeedLog weight log(floor(2/N)) is log 2 for N = 1, 0 for N = 2;
    // the harmonic L(floor(2/N)) is 1 + 1/2 for N = 1, 1 for N = 2.
    private static readonly double[] Scores =
    [
        3, 1.5, 2.5,   // row 0: argmax 0
        5, 1, 2,       // row 1: argmax 0
        0, 0.5, 3,     // row 2: argmax 2
        2, 0.5, 1.5,   // row 3: argmax 0
    ];
    private static readonly int[] TrueLabels = [2, 0, 1, 0];
    private static readonly int[][] Orders = [[1, 0, 2], [2, 0, 1], [0, 1, 2], [1, 2, 0]];

    [Fact]
    public void Corrected_sampler_takes_the_true_label_and_its_own_row()
    {
        // row 0: p = 2 (2.5). Draw 1: 1 + 1.5 − 2.5 = 0, not > 0; draw 2: 1 + 3 − 2.5 = 1.5 → N = 2, neg 0, L(1) = 1.
        // row 1: p = 0 (5). 1 + 2 − 5 < 0, 1 + 1 − 5 < 0 → no violator: N = C = 3, neg 0, weight 0.
        // row 2: p = 1 (0.5). Draw 1: 1 + 0 − 0.5 = 0.5 → N = 1, neg 0, L(2) = 1.5.
        // row 3: p = 0 (2). Draw 1: 1 + 0.5 − 2 < 0; draw 2: 1 + 1.5 − 2 = 0.5 → N = 2, neg 2, L(1) = 1.
        var s = WarpSeed.Sample(Scores, 4, 3, TrueLabels, Orders, WarpOptions.Corrected);
        Assert.Equal([2, 0, 1, 0], s.Positives);
        Assert.Equal([0, 0, 0, 2], s.Negatives);
        Assert.Equal([2, 3, 1, 2], s.Trials);
        Assert.Equal([1, 0, 1.5, 1], s.Weights);
    }

    [Fact]
    public void Seed_sampler_takes_the_argmax_and_reads_row_j()
    {
        // row 0: j = 0 = i. Draw 1: 1 + 1.5 − 3 < 0; draw 2: 1 + 2.5 − 3 = 0.5 → N = 2, neg 2, log 1 = 0.
        // row 1: j = 0, negatives read from ROW 0: 1 + 2.5 − 5 < 0, 1 + 1.5 − 5 < 0 → none: N = 3, weight 0.
        // row 2: j = 2 = i: 1 + 0 − 3 < 0, 1 + 0.5 − 3 < 0 → none.
        // row 3: j = 0, negatives from ROW 0: draw 1 is class 1, 1 + ŷ[0, 1] − ŷ[3, 0] = 1 + 1.5 − 2 = 0.5 → N = 1,
        //        neg 1, log 2 (its own row would give 1 + 0.5 − 2 < 0 and stop at draw 2).
        var s = WarpSeed.Sample(Scores, 4, 3, TrueLabels, Orders, WarpOptions.Seed);
        Assert.Equal([0, 0, 2, 0], s.Positives);
        Assert.Equal([2, 0, 0, 1], s.Negatives);
        Assert.Equal([2, 3, 3, 1], s.Trials);
        Assert.Equal([0, 0, 0, Math.Log(2)], s.Weights);

        // The row bug alone fixed (what the report samples log-scores with): row 3 now reads its own row → N = 2, neg 2.
        var rowFixed = WarpSeed.Sample(Scores, 4, 3, TrueLabels, Orders, new WarpOptions(false, true, WarpWeight.SeedLog));
        Assert.Equal([0, 0, 2, 0], rowFixed.Positives);
        Assert.Equal([2, 0, 0, 2], rowFixed.Negatives);
        Assert.Equal([2, 3, 3, 2], rowFixed.Trials);
        Assert.Equal([0, 0, 0, 0], rowFixed.Weights);
    }

    [Fact]
    public void The_two_option_sets_are_the_seed_and_its_full_correction()
    {
        Assert.Equal(new WarpOptions(MarginRowBug: true, PositiveFromArgmax: true, WarpWeight.SeedLog), WarpOptions.Seed);
        Assert.Equal(new WarpOptions(MarginRowBug: false, PositiveFromArgmax: false, WarpWeight.Harmonic), WarpOptions.Corrected);
    }

    [Fact]
    public void Sample_rejects_a_score_matrix_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => WarpSeed.Sample(Scores.AsSpan(0, 9), 4, 3, TrueLabels, Orders, WarpOptions.Corrected));
    }

    [Fact]
    public void Reference_trials_count_the_draws_to_the_first_violator()
    {
        // The same draws as above, by the definition: true-label positives give the corrected N, argmax positives
        // (own row) give the row-fixed N; no violator → C.
        Assert.Equal([2, 3, 1, 2], WarpSeed.ReferenceTrials(Scores, 3, TrueLabels, Orders));
        Assert.Equal([2, 3, 3, 2], WarpSeed.ReferenceTrials(Scores, 3, [0, 0, 2, 0], Orders));
    }

    [Fact]
    public void Loss_and_its_exact_gradient_on_the_corrected_sample()
    {
        var s = WarpSeed.Sample(Scores, 4, 3, TrueLabels, Orders, WarpOptions.Corrected);
        // Σ L_i (1 + x[i, neg] − x[i, pos]) = 1·(1 + 3 − 2.5) + 0 + 1.5·(1 + 0 − 0.5) + 1·(1 + 1.5 − 2) = 1.5 + 0.75 + 0.5.
        Assert.Equal(2.75, WarpSeed.Loss(Scores, 3, s), 14);
        // +L_i at (i, neg), −L_i at (i, pos); row 1 has weight 0.
        Assert.Equal(
        [
            1, 0, -1,
            0, 0, 0,
            1.5, -1.5, 0,
            -1, 0, 1,
        ], WarpSeed.Gradient(4, 3, s));
    }

    [Fact]
    public void Seed_loss_grad_is_one_number_per_row_differenced_against_the_labels()
    {
        // loss_helper(ŷ + ε) − loss_helper(y), over ε = 1e-10, times L. ŷ rows (0.5, 0.25, 0.25) and (0.25, 0.25, 0.5).
        // row 0: pos 0, neg 1, y = (0, 1, 0): (1 + 0.25 − 0.5) − (1 + 1 − 0) = −1.25 → 2 · −1.25e10 = −2.5e10.
        // row 1: pos 2, neg 0, y = (0, 0, 1): (1 + 0.25 − 0.5) − (1 + 0 − 1) = 0.75 → 0.5 · 0.75e10 = 3.75e9.
        // The ε inside loss_helper cancels up to rounding (~1e-16 / 1e-10 ≈ 1e-6 absolute); not cancelling it would
        // move each value by 2·L.
        double[] yHat = [0.5, 0.25, 0.25, 0.25, 0.25, 0.5];
        double[] y = [0, 1, 0, 0, 0, 1];
        var sample = new WarpSample([0, 2], [1, 0], [1, 1], [2, 0.5]);
        var g = WarpSeed.SeedLossGrad(yHat, y, 3, sample);
        Assert.Equal(2, g.Length);
        Assert.Equal(-2.5e10, g[0], 1e-3);
        Assert.Equal(3.75e9, g[1], 1e-3);
    }

    [Fact]
    public void Seed_hessian_shifts_each_row_once_and_never_restores_it()
    {
        // ŷ = 0, y = 1 at the positive: loss_helper(y) = 0, loss_helper(ŷ + 1e-10) = (1 + 1e-10) − 1e-10 = 1 exactly,
        // so f1 = L · 1e10 = (1e10, 2e10, 4e10). With ε = 2^60 a shifted row gives (1 + 2^60) − 2^60 = 0 (the 1 is
        // below the ulp of 256), so f2 = 0 on every row shifted so far. Column j sees rows 0..j shifted (no restore):
        // H[r, j] = −L_r·1e10 / 2^60 for r ≤ j, 0 for r > j.
        var yHat = new double[6];
        double[] y = [1, 0, 0, 1, 1, 0];
        var sample = new WarpSample([0, 1, 0], [1, 0, 1], [1, 1, 1], [1, 2, 4]);
        double eps = Math.Pow(2, 60), a = 1e10 / eps;
        var h = WarpSeed.SeedHessian(yHat, y, 3, 2, sample, eps);
        Assert.Equal(
        [
            -a, -a, -a,
            0, -2 * a, -2 * a,
            0, 0, -4 * a,
        ], h);
        Assert.All(yHat, v => Assert.Equal(eps, v));   // the caller's ŷ: every row left shifted by ε
    }

    [Fact]
    public void Perturb_and_restore_leaves_the_point_unchanged_in_a_copy()
    {
        double[] x0 = [0.5, -1, 3];
        var xx = WarpSeed.PerturbAndRestore(x0, 0.1);
        Assert.Equal([0.5, -1, 3], xx);
        xx[0] = 9;
        Assert.Equal(0.5, x0[0]);
    }

    [Fact]
    public void ArgMax_takes_the_first_of_equal_maxima_like_numpy()
    {
        Assert.Equal(1, WarpSeed.ArgMax([1, 3, 3, 2]));
        Assert.Equal(0, WarpSeed.ArgMax([4, 3, 4]));
        Assert.Equal(2, WarpSeed.ArgMax([-1, -2, 0]));
    }

    [Fact]
    public void Labels_are_the_hot_columns()
    {
        var data = new StepInput(3, 4, new double[12], [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1], Enumerable.Repeat(1.0, 12).ToArray(),
            0, 0, 0, 0, 0, TargetKind.OneHot);
        Assert.Equal([2, 0, 3], WarpSeed.Labels(data));
    }

    [Fact]
    public void Draw_orders_are_one_fisher_yates_shuffle_per_row_from_the_seed()
    {
        // Two columns: one draw u = Next(2) per row; u = 0 swaps (order 1, 0), u = 1 keeps (0, 1).
        const int seed = 12345, rows = 12;
        var rng = new Random(seed);
        var expected = Enumerable.Range(0, rows).Select(_ => rng.Next(2) == 0 ? new[] { 1, 0 } : new[] { 0, 1 }).ToArray();
        Assert.Contains(expected, o => o[0] == 1);   // this seed shows both outcomes
        Assert.Contains(expected, o => o[0] == 0);
        Assert.Equal(expected, WarpSeed.DrawOrders(rows, 2, seed));

        // Five columns: each order is a permutation; a uniform shuffle leaves some entry in place in most rows
        // (probability 1 − D5/5! = 1 − 44/120), which a shuffle that always moves (Sattolo's) never does.
        var orders = WarpSeed.DrawOrders(60, 5, 7);
        Assert.All(orders, o => Assert.Equal([0, 1, 2, 3, 4], o.Order().ToArray()));
        Assert.Contains(orders, o => Enumerable.Range(0, 5).Any(t => o[t] == t));
        Assert.Contains(orders, o => !o.SequenceEqual([0, 1, 2, 3, 4]));
    }

    [Fact]
    public void Seed_data_is_one_hot_labels_and_normalized_positive_rows()
    {
        var data = WarpSeed.SeedData(new Random(4), rows: 40, columns: 5);
        Assert.Equal(40, data.Rows);
        Assert.Equal(5, data.Classes);
        for (int i = 0; i < 40; i++)
        {
            var row = data.Targets.AsSpan(i * 5, 5).ToArray();
            Assert.Equal(4, row.Count(v => v == 0));
            Assert.Equal(1, row.Count(v => v == 1));
            var p = data.Logits.AsSpan(i * 5, 5).ToArray();
            Assert.All(p, v => Assert.True(v > 0));
            Assert.Equal(1, p.Sum(), 12);
        }
        Assert.True(WarpSeed.Labels(data).Distinct().Count() > 1);
        Assert.All(data.Weights, w => Assert.Equal(1.0, w));
        Assert.Contains(data.ScenarioSeed.ToString(System.Globalization.CultureInfo.InvariantCulture), data.Scenario);
    }

    [Fact]
    public void Seed_data_needs_a_row_and_two_columns()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WarpSeed.SeedData(new Random(1), rows: -1, columns: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => WarpSeed.SeedData(new Random(1), rows: 3, columns: 1));
        Assert.Equal(2, WarpSeed.SeedData(new Random(1), rows: 3, columns: 2).Classes);
    }
}
