using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// How the options of <see cref="HessianCheck"/> change the verdict: every difference rule on the gradient, the
/// caller's tolerance, kink detection modes, a loss's own kink distances, the step it reports, argument guards.
/// </summary>
public class HessianCheckOptionTests
{
    // f = x0³ + 2·x0·x1 + x1⁴; ∇f = (3x0² + 2x1, 2x0 + 4x1³); H = [[6x0, 2], [2, 12x1²]].
    private static double F(ReadOnlySpan<double> x) => x[0] * x[0] * x[0] + 2 * x[0] * x[1] + Math.Pow(x[1], 4);

    private static void G(ReadOnlySpan<double> x, Span<double> g)
    {
        g[0] = 3 * x[0] * x[0] + 2 * x[1];
        g[1] = 2 * x[0] + 4 * x[1] * x[1] * x[1];
    }

    private static readonly double[] X = [0.7, -1.2];
    private static readonly double[] H = [4.2, 2, 2, 12 * 1.44]; // 6·0.7, 12·1.2²

    [Theory]
    [InlineData(DifferenceRule.Forward)]
    [InlineData(DifferenceRule.Backward)]
    [InlineData(DifferenceRule.Central)]
    [InlineData(DifferenceRule.FivePointCentral)]
    public void Every_rule_differences_the_gradient_into_the_hessian(DifferenceRule rule)
    {
        var o = new CheckOptions { Rule = rule };
        var r = HessianCheck.Full(F, X, H, G, o);
        Assert.True(r.Passed, r.ToString());
        Assert.All(r.Entries, e => Assert.Equal(H[e.Index], e.Numeric, 4));
        // A wrong entry fails (it is no kink: detection is off, and the smooth gradient bends by h²·f''' anyway).
        var wrong = (double[])H.Clone();
        wrong[3] += 0.1;
        var bad = HessianCheck.Full(F, X, wrong, G, o);
        Assert.Equal(CheckStatus.Fail, bad.Entries[3].Status);
        Assert.Equal(1, bad.Failures);
    }

    [Fact]
    public void The_callers_tolerance_replaces_the_default_both_ways()
    {
        // f = x³ at 1: f'' = 6. Central on the gradient: default bound 1e-6 + 1e-4·6 = 6.01e-4; second differences of
        // the value: 1e-4 + 1e-3·6 = 6.1e-3. An error of 0.01 fails both defaults and passes rtol 1e-2 (bound 0.06).
        ScalarFunction f = x => x[0] * x[0] * x[0];
        VectorFunction g = (x, r) => r[0] = 3 * x[0] * x[0];
        var loose = new CheckOptions { Tolerance = new(0, 1e-2) };
        Assert.False(HessianCheck.Diagonal(f, [1.0], [6.01], g).Passed);
        Assert.True(HessianCheck.Diagonal(f, [1.0], [6.01], g, loose).Passed);
        Assert.False(HessianCheck.Diagonal(f, [1.0], [6.01]).Passed);
        Assert.True(HessianCheck.Diagonal(f, [1.0], [6.01], null, loose).Passed);
        // The reverse: 1e-7 passes the default, not atol 1e-9.
        Assert.True(HessianCheck.Diagonal(f, [1.0], [6 + 1e-7], g).Passed);
        Assert.False(HessianCheck.Diagonal(f, [1.0], [6 + 1e-7], g, new CheckOptions { Tolerance = new(1e-9, 0) }).Passed);
    }

    // |z_0| at 1e-7, h ≈ 6e-6: the gradient jumps −1 → +1 inside [z − h, z + h], numeric diagonal 1/h ≈ 1.6e5 vs 0.
    [Theory]
    [InlineData(false, KinkDetection.Auto, true)]
    [InlineData(true, KinkDetection.Auto, false)]
    [InlineData(false, KinkDetection.Off, false)]
    [InlineData(true, KinkDetection.PiecewiseLinear, true)]
    public void Kink_detection_mode_and_smoothness_decide_whether_the_kink_test_runs(bool smooth, KinkDetection mode, bool detects)
    {
        var o = new CheckOptions { KinkDetection = mode };
        var r = HessianCheck.Diagonal(new AbsTestLoss(2, smooth), [1e-7, 0.5], o);
        Assert.Equal(detects ? CheckStatus.Kink : CheckStatus.Fail, r.Entries[0].Status);
        Assert.Equal(CheckStatus.Pass, r.Entries[1].Status);
        Assert.Equal(detects, r.Method.Contains("piecewise-linear kink test"));
        var block = HessianCheck.RowBlock(new AbsTestLoss(2, smooth), [1e-7, 0.5], 0, o);
        Assert.Equal(detects ? CheckStatus.Kink : CheckStatus.Fail, block.At(0, 0)!.Status);
    }

    [Fact]
    public void A_losss_kink_distances_count_when_the_step_reaches_them()
    {
        // h = 0.25 at z = 0.1: every gradient difference crosses the real kink (numeric 2/0.5 = 4 vs 0, a failure).
        // Detection is off; only the reported distances (0.25, 0.5, ∞) against the central reach h make kinks.
        var loss = new KinkedAbsTestLoss(3, true, [0.25, 0.5, double.PositiveInfinity]);
        var o = new CheckOptions { Step = StepSize.Absolute(0.25), KinkDetection = KinkDetection.Off };
        var r = HessianCheck.Diagonal(loss, [0.1, 0.1, 0.1], o);
        Assert.Equal([CheckStatus.Kink, CheckStatus.Fail, CheckStatus.Fail], r.Entries.Select(e => e.Status).ToArray());
        Assert.Equal(4, r.Entries[1].Numeric, 12);
    }

    [Fact]
    public void A_cross_entry_from_values_reports_the_larger_of_its_two_steps()
    {
        // Second differences use h_k = ε^(1/4)·max(|x_k|, 1): 1·ε^(1/4) and 4·ε^(1/4) at x = (1, 4).
        double e4 = Math.Pow(Math.Pow(2, -52), 0.25);
        ScalarFunction f = x => x[0] * x[1];
        var r = HessianCheck.Full(f, [1.0, 4.0], [0, 1, 1, 0]);
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(4 * e4, r.Entries[1].Step, 1e-18);
        Assert.Equal(e4, r.Entries[0].Step, 1e-18);
    }

    [Fact]
    public void Arguments_are_guarded_with_the_parameter_named()
    {
        var loss = new AbsTestLoss(2, true);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => HessianCheck.Diagonal((ScalarFunction)null!, [1.0], [1.0])).ParamName);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => HessianCheck.Full(null!, [1.0], [1.0])).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentNullException>(() => HessianCheck.Diagonal((AbsTestLoss)null!, [1.0])).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentNullException>(() => HessianCheck.RowBlock((AbsTestLoss)null!, [1.0], 0)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentNullException>(() => HessianCheck.Diagonal(loss, (Matrix<double>)null!)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentNullException>(() => HessianCheck.RowBlock(loss, (Matrix<double>)null!, 0)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => HessianCheck.Diagonal(loss, [1.0, 2.0, 3.0])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => HessianCheck.RowBlock(loss, [1.0, 2.0, 3.0], 0)).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => HessianCheck.Diagonal(loss, [1.0, double.NaN])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => HessianCheck.RowBlock(loss, [1.0, double.NaN], 0)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => HessianCheck.RowBlock(loss, [1.0, 2.0], 1)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => HessianCheck.Full(F, [1.0, double.NaN], [1, 0, 0, 1])).ParamName);
        Assert.Equal("analyticHessian", Assert.Throws<ArgumentException>(() => HessianCheck.Full(F, [1.0, 1.0], [1, 0, 0, double.NaN])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => HessianCheck.Diagonal(F, [], [])).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => HessianCheck.Diagonal(_ => double.NaN, [1.0], [1.0]));
        Assert.Equal("f", nan.ParamName);
        Assert.StartsWith("f(x) = NaN is not finite", nan.Message);
    }
}
