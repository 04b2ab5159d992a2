using LossNotebooks.Checks;
using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// <see cref="HessianCheck"/>'s two numeric routes (differences of the gradient, second differences of the value):
/// the method each reports, that every evaluation starts from the caller's x, the kink test of the value route,
/// the five-point rule's outer points, a loss's kink distances in a row block, the caller's column layout.
/// </summary>
public class HessianCheckRouteTests
{
    // f = x0²·x1: ∇f = (2·x0·x1, x0²), H = [[2·x1, 2·x0], [2·x0, 0]]. Central differences of this gradient and second
    // and cross differences of this f are exact for any h (f is quadratic in x0 and linear in x1), so h = 0.1 is fine.
    private static double F(ReadOnlySpan<double> x) => x[0] * x[0] * x[1];

    private static void G(ReadOnlySpan<double> x, Span<double> g)
    {
        g[0] = 2 * x[0] * x[1];
        g[1] = x[0] * x[0];
    }

    private static readonly double[] X = [1.5, -0.5];
    private static readonly double[] H = [-1, 3, 3, 0];

    [Fact]
    public void Every_column_and_every_value_is_taken_around_the_callers_x()
    {
        // If a perturbation were left in x (x0 − h after column 0), column 1 would give 2·(x0 − h) = 2.8, not 3.
        var o = new CheckOptions { Step = StepSize.Absolute(0.1) };
        var byGradient = HessianCheck.Full(F, X, H, G, o);
        Assert.True(byGradient.Passed, byGradient.ToString());
        Assert.All(byGradient.Entries, e => Assert.Equal(H[e.Index], e.Numeric, 12));
        var byValue = HessianCheck.Full(F, X, H, null, o);
        Assert.True(byValue.Passed, byValue.ToString());
        Assert.All(byValue.Entries, e => Assert.Equal(H[e.Index], e.Numeric, 10));
    }

    [Fact]
    public void The_method_names_the_route_rule_step_and_kink_test()
    {
        Assert.Equal("central differences of the gradient, h = ε^(1/3)·max(|x|,1)", HessianCheck.Full(F, X, H, G).Method);
        Assert.Equal("forward differences of the gradient, h = ε^(1/2)·max(|x|,1)",
            HessianCheck.Full(F, X, H, G, new CheckOptions { Rule = DifferenceRule.Forward }).Method);
        Assert.Equal("5-point central differences of the gradient, h = ε^(1/5)·max(|x|,1)",
            HessianCheck.Full(F, X, H, G, new CheckOptions { Rule = DifferenceRule.FivePointCentral }).Method);
        Assert.Equal("second differences of the value, h = ε^(1/4)·max(|x|,1)", HessianCheck.Full(F, X, H).Method);
        Assert.Equal("second differences of the value, h = 0.1",
            HessianCheck.Full(F, X, H, null, new CheckOptions { Step = StepSize.Absolute(0.1) }).Method);
        Assert.Equal("second differences of the value, h = 0.01·max(|x|,1)",
            HessianCheck.Diagonal(F, X, [-1, 0], null, new CheckOptions { Step = StepSize.Relative(0.01) }).Method);
        Assert.Equal("second differences of the value, h = ε^(1/4)·max(|x|,1), piecewise-linear kink test",
            HessianCheck.Diagonal(F, X, [-1, 0], null, new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear }).Method);
        Assert.Equal("central differences of the gradient, h = ε^(1/3)·max(|x|,1), piecewise-linear kink test",
            HessianCheck.Diagonal(F, X, [-1, 0], G, new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear }).Method);
    }

    // |x0 + x1| at x0 + x1 = 1e-7, h ≈ 1.2e-4: every second and cross difference straddles the kink
    // (numeric ≈ 2/h and 1/h against an analytic 0).
    private static double Abs(ReadOnlySpan<double> x) => Math.Abs(x[0] + x[1]);
    private static readonly double[] NearKink = [1e-7, 0];

    [Fact]
    public void The_value_route_reports_kinks_only_when_asked_for_the_piecewise_linear_test()
    {
        var pl = new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear };
        var full = HessianCheck.Full(Abs, NearKink, new double[4], null, pl);
        Assert.Equal([CheckStatus.Kink, CheckStatus.Kink, CheckStatus.Kink, CheckStatus.Kink], full.Entries.Select(e => e.Status).ToArray());
        Assert.True(full.Passed, full.ToString());
        var diag = HessianCheck.Diagonal(Abs, NearKink, new double[2], null, pl);
        Assert.Equal([CheckStatus.Kink, CheckStatus.Kink], diag.Entries.Select(e => e.Status).ToArray());
        // Auto is off for a plain function: the same entries fail.
        var plain = HessianCheck.Full(Abs, NearKink, new double[4]);
        Assert.Equal(4, plain.Failures);
        Assert.All(plain.Entries, e => Assert.False(e.KinkSuspected));
        Assert.Equal(2, HessianCheck.Diagonal(Abs, NearKink, new double[2]).Failures);
    }

    [Fact]
    public void The_value_routes_kink_test_is_quiet_on_a_linear_piece()
    {
        var pl = new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear };
        var linear = HessianCheck.Full(Abs, [0.5, 0.7], new double[4], null, pl);
        Assert.True(linear.Passed, linear.ToString());
        Assert.All(linear.Entries, e => Assert.False(e.KinkSuspected, e.Position));
        // A linear piece far from 0 (as a loss summed over many rows is): at this point the cross difference is one
        // ulp of 1e6 (1.2e-10) instead of 0, which the allowance, 64 ulps of the values (5.7e-8), absorbs.
        var big = HessianCheck.Full(x => 1e6 + Math.Abs(x[0] + x[1]), [0.31, 0.47], new double[4], null, pl with { Step = StepSize.Absolute(0.1) });
        Assert.True(big.Passed, big.ToString());
        Assert.All(big.Entries, e => Assert.False(e.KinkSuspected, e.Position));
        // f ≡ 0 around x: every difference is exactly 0, which is no kink.
        var flat = HessianCheck.Full(x => Math.Max(0, x[0] + x[1] - 5), [0.5, 0.7], new double[4], null, pl);
        Assert.All(flat.Entries, e => Assert.False(e.KinkSuspected, e.Position));
    }

    [Fact]
    public void A_wrong_cross_entry_from_values_fails_and_is_no_kink()
    {
        var h = (double[])H.Clone();
        h[1] += 0.1;
        var r = HessianCheck.Full(F, X, h);
        Assert.Equal(1, r.Failures);
        Assert.Equal(CheckStatus.Fail, r.At(0, 1)!.Status);
        Assert.False(r.At(0, 1)!.KinkSuspected);
    }

    [Fact]
    public void The_five_point_rule_on_the_gradient_flags_a_kink_only_its_outer_points_reach()
    {
        // |x − 1| at 1 + 1.5h: x ± h on one side, x − 2h on the other; the five-point value is −2/(12h) vs 0.
        const double step = 1e-3;
        ScalarFunction f = x => Math.Abs(x[0] - 1);
        VectorFunction g = (x, r) => r[0] = x[0] >= 1 ? 1 : -1;
        var o = new CheckOptions { Rule = DifferenceRule.FivePointCentral, Step = StepSize.Absolute(step), KinkDetection = KinkDetection.PiecewiseLinear };
        var flagged = HessianCheck.Diagonal(f, [1 + 1.5 * step], [0.0], g, o);
        Assert.Equal(CheckStatus.Kink, flagged.Entries[0].Status);
        Assert.Equal(-2 / (12 * step), flagged.Entries[0].Numeric, 6);
        var off = HessianCheck.Diagonal(f, [1 + 1.5 * step], [0.0], g, o with { KinkDetection = KinkDetection.Off });
        Assert.Equal(CheckStatus.Fail, off.Entries[0].Status);
        // The central rule reaches only x ± h, on one side: 0 vs 0, and no kink suspected.
        var central = HessianCheck.Diagonal(f, [1 + 1.5 * step], [0.0], g, o with { Rule = DifferenceRule.Central });
        Assert.Equal(CheckStatus.Pass, central.Entries[0].Status);
        Assert.False(central.Entries[0].KinkSuspected);
    }

    [Fact]
    public void A_row_block_uses_the_losss_kink_distances_per_column()
    {
        // h = 0.25 at z = 0.1: the diagonal of the block is (1 − (−1))/0.5 = 4 vs 0. Column 0's kink is 0.25 away
        // (within the central reach h), columns 1 and 2 report 0.5 and ∞.
        var loss = new KinkedAbsTestLoss(3, true, [0.25, 0.5, double.PositiveInfinity]);
        var o = new CheckOptions { Step = StepSize.Absolute(0.25), KinkDetection = KinkDetection.Off };
        var r = HessianCheck.RowBlock(loss, [0.1, 0.1, 0.1], 0, o);
        Assert.Equal(CheckStatus.Kink, r.At(0, 0)!.Status);
        Assert.Equal(CheckStatus.Fail, r.At(1, 1)!.Status);
        Assert.Equal(CheckStatus.Fail, r.At(2, 2)!.Status);
        Assert.Equal(4, r.At(1, 1)!.Numeric, 12);
        Assert.True(r.At(1, 0)!.KinkSuspected);    // column 0: passes (0 vs 0) but crosses the kink
        Assert.False(r.At(0, 1)!.KinkSuspected);
        Assert.Equal(2, r.Failures);
    }

    [Fact]
    public void A_column_layout_set_by_the_caller_is_kept()
    {
        var twoColumns = new CheckOptions { Columns = 2 };
        var diag = HessianCheck.Diagonal(new AbsTestLoss(4, true), [0.5, 0.6, 0.7, 0.8], twoColumns);
        Assert.Equal((1, 1), (diag.Entries[3].Row, diag.Entries[3].Column));
        Assert.Equal((0, 3), (HessianCheck.Diagonal(new AbsTestLoss(4, true), [0.5, 0.6, 0.7, 0.8]).Entries[3].Row,
            HessianCheck.Diagonal(new AbsTestLoss(4, true), [0.5, 0.6, 0.7, 0.8]).Entries[3].Column));
        var full = HessianCheck.Full(F, X, H, G, new CheckOptions { Columns = 1 });
        Assert.Equal((3, 0), (full.Entries[3].Row, full.Entries[3].Column));
    }

    [Fact]
    public void The_gradient_is_evaluated_once_at_x_and_per_rule_point_once_per_column()
    {
        // m = 2, every entry of the full Hessian: g(x) once, then central g(x ± h e_j) per column j (2·2), five-point
        // g(x ± h e_j), g(x ± 2h e_j) (4·2) — not again for each entry of a column.
        int calls = 0;
        VectorFunction counted = (x, g) => { calls++; G(x, g); };
        HessianCheck.Full(F, X, H, counted);
        Assert.Equal(1 + 2 * 2, calls);
        calls = 0;
        HessianCheck.Full(F, X, H, counted, new CheckOptions { Rule = DifferenceRule.FivePointCentral });
        Assert.Equal(1 + 4 * 2, calls);
    }

    [Fact]
    public void A_large_x_gets_a_step_to_scale_and_checks()
    {
        // f = x²: H = 2 at x = 1e11, where h = ε^(1/3)·|x| ≈ 6e5.
        ScalarFunction f = x => x[0] * x[0];
        VectorFunction g = (x, r) => r[0] = 2 * x[0];
        var r = HessianCheck.Diagonal(f, [1e11], [2.0], g);
        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void A_diagonal_rejects_a_non_finite_point_or_analytic_entry()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => HessianCheck.Diagonal(F, [1.0, double.NaN], [1.0, 1.0])).ParamName);
        Assert.Equal("analyticDiagonal", Assert.Throws<ArgumentException>(() => HessianCheck.Diagonal(F, X, [1.0, double.NaN])).ParamName);
    }
}
