using LossNotebooks.Derivations;

namespace LossNotebooks.Tests.Derivations;

/// <summary>Expected values worked out by hand (in the comments), not produced by the code under test.</summary>
public class HandComputedTests
{
    /// <summary>One row, two classes, logits (ln 3, 0) → σ = (3/4, 1/4); y = (1, 0); w = (1, 1).</summary>
    private static StepInput TwoClassRow(int l) =>
        new(1, 2, [Math.Log(3), 0], [1, 0], [1, 1], 0, l, 0, l, 0, TargetKind.OneHot);

    [Fact]
    public void Numeric_reference_is_accurate_on_known_functions()
    {
        Assert.Equal(Math.Cos(1), Numeric.Derivative(Math.Sin, 1), 12);
        Assert.Equal(Math.Exp(0.3), Numeric.SecondDerivative(Math.Exp, 0.3), 10);
        // f = x0² x1: ∂²f/∂x0∂x1 = 2 x0 = 2 at (1, 2); ∂²f/∂x0² = 2 x1 = 4.
        Func<double[], double> f = x => x[0] * x[0] * x[1];
        Assert.Equal(2, Numeric.SecondPartial(f, [1.0, 2.0], 0, 1), 10);
        Assert.Equal(4, Numeric.SecondPartial(f, [1.0, 2.0], 0, 0), 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => Numeric.Derivative(Math.Sin, 1, h: 0));
        Assert.Throws<ArgumentException>(() => Numeric.Derivative(Math.Sin, double.NaN));
    }

    [Fact]
    public void Warp_rank_weights()
    {
        Assert.Equal(Math.Log(99), WarpSeed.RankWeight(100, 1, WarpWeight.SeedLog), 14);
        Assert.Equal(0, WarpSeed.RankWeight(100, 50, WarpWeight.SeedLog));          // floor(99/50) = 1, log 1 = 0
        Assert.Equal(1, WarpSeed.RankWeight(100, 50, WarpWeight.Harmonic));         // L(1) = 1
        Assert.Equal(1 + 0.5 + 1.0 / 3, WarpSeed.RankWeight(100, 33, WarpWeight.Harmonic), 14);  // floor(99/33) = 3
        Assert.Equal(5.177377517639621, WarpSeed.RankWeight(100, 1, WarpWeight.Harmonic), 12);  // H_99
    }

    [Fact]
    public void Warp_seed_hessian_leaves_y_hat_shifted_by_epsilon_as_numpy_does()
    {
        var data = WarpSeed.SeedData(new Random(3), rows: 120, columns: 10);
        var labels = WarpSeed.Labels(data);
        var sample = WarpSeed.Sample(data.Logits, data.Rows, data.Classes, labels, WarpSeed.DrawOrders(data.Rows, data.Classes, 9), WarpOptions.Seed);
        var yHat = (double[])data.Logits.Clone();
        var h = WarpSeed.SeedHessian(yHat, data.Targets, data.Rows, data.Classes, sample);
        Assert.Equal(120 * 120, h.Length);   // rows × rows, not (rows·cols)²
        for (int a = 0; a < yHat.Length; a++) Assert.Equal(data.Logits[a] + 0.1, yHat[a], 12);
        // loss_grad differences against the labels: ~|1 + ŷ_n − ŷ_p − (1 + y_n − y_p)|/1e-10, huge.
        var g = WarpSeed.SeedLossGrad(data.Logits, data.Targets, data.Classes, sample);
        Assert.True(g.Select(Math.Abs).Max() > 1e6);
    }

    [Fact]
    public void Warp_row_bug_indexes_out_of_range_when_a_class_index_exceeds_the_rows()
    {
        // 20 rows, 50 classes: some argmax class ≥ 20 is used as a row index (numpy: IndexError).
        var data = WarpSeed.SeedData(new Random(1), rows: 20, columns: 50);
        var labels = WarpSeed.Labels(data);
        var orders = WarpSeed.DrawOrders(20, 50, 2);
        Assert.Throws<IndexOutOfRangeException>(() => WarpSeed.Sample(data.Logits, 20, 50, labels, orders, WarpOptions.Seed));
        _ = WarpSeed.Sample(data.Logits, 20, 50, labels, orders, WarpOptions.Corrected);
    }

    [Fact]
    public void Svm_hinge_loop_on_zero_scores()
    {
        // X = 0 → all scores 0 → every margin is 1 → the loss is c − 1 = 3; the seed's loop over 1000 of 2000 rows
        // divided by 2000 gives 1.5; with 999 rows it indexes past the end.
        var d = new SvmScenario(2000, 2, 4, new double[4000], new int[2000], new double[8]);
        Assert.Equal(3, SvmSeed.HingeLossReference(d, d.W), 14);
        Assert.Equal(1.5, SvmSeed.HingeLossLoop(d, d.W), 14);
        Assert.Equal(3, SvmSeed.HingeLossLoop(d, d.W, d.Rows), 14);
        var small = d with { Rows = 999, X = new double[1998], Labels = new int[999] };
        Assert.Throws<IndexOutOfRangeException>(() => SvmSeed.HingeLossLoop(small, small.W));
    }

    [Fact]
    public void Svm_vectorized_hinge_and_numerical_gradient_by_hand()
    {
        // W (c×d) rows (1,0), (0,0), (2,0); x = (1, 0) → scores (1, 0, 2); y = 0 → margins 0, max(0, 2−1+1) = 2.
        Assert.Equal(2, SvmSeed.LiVectorized([1.0, 0.0], 0, [1.0, 0, 0, 0, 2, 0], 3), 14);
        // f = x²: forward difference at 1 is 2 + h exactly (up to rounding); central is 2.
        var fwd = SvmSeed.EvalNumericalGradient(x => x[0] * x[0], [1.0]);
        var ctr = SvmSeed.EvalNumericalGradient(x => x[0] * x[0], [1.0], central: true);
        Assert.Equal(2 + 1e-5, fwd[0], 9);
        Assert.Equal(2, ctr[0], 9);
    }

    [Fact]
    public void Warp_report_measures_the_seed_numbers()
    {
        var r = WarpSeedReport.Measure(0);
        Assert.Equal(500, r.SeedDataRowsWithN1);                       // every row stops at the first draw
        Assert.Equal(Math.Log(99), r.SeedDataWeightMin, 12);
        Assert.Equal(Math.Log(99), r.SeedDataWeightMax, 12);
        Assert.Equal(0.1, r.YHatShiftMin, 12);
        Assert.Equal(0.1, r.YHatShiftMax, 12);
        Assert.Equal(500, r.SeedHessianRows);
        Assert.True(r.CentralSecondDifferenceMaxAbs < 1e-6);
        Assert.True(r.ArgmaxIsTrueLabel < 25);                          // ~1/100 of 500 rows agree by chance
        Assert.Contains("500×500", r.ToString());
        Assert.Contains("<table", r.ToHtml());
    }
}
