using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// How each option of <see cref="GradientCheck"/> changes the verdict: caller's tolerance, kink detection modes,
/// one-sided rules, the five-point 2h reach, a loss's own kink distances, matrix shapes and argument guards.
/// Expected numbers are worked out in the comments.
/// </summary>
public class GradientCheckOptionTests
{
    private static double Square(ReadOnlySpan<double> x) => x[0] * x[0];

    [Fact]
    public void The_callers_tolerance_replaces_the_default_both_ways()
    {
        // f = x², f'(1) = 2; central numeric is 2 to ~1e-10. Default central tolerance: 1e-6 + 1e-4·2 = 2.01e-4.
        double[] x = [1.0];
        Assert.False(GradientCheck.Run(Square, x, [2.001]).Passed); // error 1e-3 > 2.01e-4
        var loose = new CheckTolerance(0, 1e-3);                    // bound 2e-3 ≥ 1e-3
        var r = GradientCheck.Run(Square, x, [2.001], new CheckOptions { Tolerance = loose });
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(loose, r.Tolerance);
        Assert.True(GradientCheck.Run(Square, x, [2 + 1e-7]).Passed); // 1e-7 < 2.01e-4
        Assert.False(GradientCheck.Run(Square, x, [2 + 1e-7], new CheckOptions { Tolerance = new(1e-9, 0) }).Passed);
    }

    [Fact]
    public void The_callers_tolerance_replaces_the_default_for_the_complex_step()
    {
        // Im((1 + i·1e-20)²)/1e-20 = 2 exactly; default complex tolerance 1e-12 + 1e-10·2 < 1e-9.
        ComplexScalarFunction f = z => z[0] * z[0];
        Assert.False(GradientCheck.Run(f, [1.0], [2 + 1e-9]).Passed);
        Assert.True(GradientCheck.Run(f, [1.0], [2 + 1e-9], new CheckOptions { Tolerance = new(1e-8, 0) }).Passed);
        Assert.False(GradientCheck.Run(f, [1.0], [2 + 1e-11], new CheckOptions { Tolerance = new(1e-13, 0) }).Passed);
    }

    // |z_0| at z_0 = 1e-7 with h ≈ 6e-6: numeric (|1e-7 + h| − |1e-7 − h|)/2h = 1e-7/h ≈ 0.017 vs analytic 1, so the
    // entry fails unless the kink test runs; z_1 = 0.5 is on a linear piece and passes either way.
    [Theory]
    [InlineData(false, KinkDetection.Auto, true)]
    [InlineData(true, KinkDetection.Auto, false)]
    [InlineData(false, KinkDetection.Off, false)]
    [InlineData(true, KinkDetection.Off, false)]
    [InlineData(true, KinkDetection.PiecewiseLinear, true)]
    [InlineData(false, KinkDetection.PiecewiseLinear, true)]
    public void Kink_detection_mode_and_smoothness_decide_whether_the_kink_test_runs(bool smooth, KinkDetection mode, bool detects)
    {
        var r = GradientCheck.Run(new AbsTestLoss(2, smooth), [1e-7, 0.5], new CheckOptions { KinkDetection = mode });
        Assert.Equal(detects ? CheckStatus.Kink : CheckStatus.Fail, r.Entries[0].Status);
        Assert.Equal(CheckStatus.Pass, r.Entries[1].Status);
        Assert.Equal(detects, r.Passed);
        Assert.Equal(detects, r.Method.Contains("piecewise-linear kink test"));
    }

    [Theory]
    [InlineData(DifferenceRule.Forward, false, 2)]
    [InlineData(DifferenceRule.Backward, false, 2)]
    [InlineData(DifferenceRule.Central, false, 3)]
    [InlineData(DifferenceRule.Forward, true, 3)]
    [InlineData(DifferenceRule.Backward, true, 3)]
    [InlineData(DifferenceRule.FivePointCentral, false, 5)]
    public void One_sided_rules_evaluate_only_their_side_unless_the_kink_test_needs_both(DifferenceRule rule, bool detect, int calls)
    {
        // Evaluations: f(x) once, then per entry the points the rule (and the kink test, which needs x ± h) uses.
        int n = 0;
        double F(ReadOnlySpan<double> x) { n++; return 3 * x[0]; }
        var r = GradientCheck.Run(F, [2.0], [3.0], new CheckOptions
        {
            Rule = rule, KinkDetection = detect ? KinkDetection.PiecewiseLinear : KinkDetection.Off,
        });
        Assert.True(r.Passed, r.ToString());
        Assert.Equal(calls, n);
    }

    private static double Relu(ReadOnlySpan<double> x) => Math.Max(0, x[0]);

    [Fact]
    public void A_one_sided_rule_sees_a_kink_on_the_side_it_does_not_difference()
    {
        var step = StepSize.Absolute(1e-3);
        // Backward at x = 5e-4: (f(x) − f(x − h))/h = (5e-4 − 0)/1e-3 = 0.5 vs 1; the kink lies in [x − h, x].
        var back = new CheckOptions { Rule = DifferenceRule.Backward, Step = step };
        Assert.Equal(CheckStatus.Fail, GradientCheck.Run(Relu, [5e-4], [1.0], back).Entries[0].Status);
        var bk = GradientCheck.Run(Relu, [5e-4], [1.0], back with { KinkDetection = KinkDetection.PiecewiseLinear });
        Assert.Equal(CheckStatus.Kink, bk.Entries[0].Status);
        // Forward at x = −5e-4: (f(x + h) − f(x))/h = 0.5 vs 0; the kink lies in [x, x + h].
        var fwd = new CheckOptions { Rule = DifferenceRule.Forward, Step = step };
        Assert.Equal(CheckStatus.Fail, GradientCheck.Run(Relu, [-5e-4], [0.0], fwd).Entries[0].Status);
        var fk = GradientCheck.Run(Relu, [-5e-4], [0.0], fwd with { KinkDetection = KinkDetection.PiecewiseLinear });
        Assert.Equal(CheckStatus.Kink, fk.Entries[0].Status);
    }

    [Fact]
    public void The_five_point_rule_sees_a_kink_only_its_2h_points_cross()
    {
        // x = 1.5e-3, h = 1e-3: x ± h stay right of the kink at 0, x − 2h = −5e-4 crosses it.
        // Numeric (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h))/12h = (−3.5 + 20 − 4 + 0)/12 = 1.0417 vs 1.
        var o = new CheckOptions { Rule = DifferenceRule.FivePointCentral, Step = StepSize.Absolute(1e-3), KinkDetection = KinkDetection.PiecewiseLinear };
        var r = GradientCheck.Run(Relu, [1.5e-3], [1.0], o);
        Assert.Equal(CheckStatus.Kink, r.Entries[0].Status);
        Assert.Equal(1.0417, r.Entries[0].Numeric, 4);
        // A linear f with a wrong gradient has no kink for any reach: a failure, not a kink.
        var wrong = GradientCheck.Run(x => 2 * x[0], [1.0], [3.0], o);
        Assert.Equal(CheckStatus.Fail, wrong.Entries[0].Status);
    }

    [Theory]
    [InlineData(DifferenceRule.Central, CheckStatus.Kink, CheckStatus.Fail)]
    [InlineData(DifferenceRule.FivePointCentral, CheckStatus.Kink, CheckStatus.Kink)]
    public void A_losss_kink_distances_count_when_the_stencil_reaches_them(DifferenceRule rule, CheckStatus at025, CheckStatus at05)
    {
        // h = 0.25: the stencil reaches h (central) or 2h = 0.5 (five-point). z = 1, 2, 3 are 2h clear of the real kink,
        // so numeric = 1 exactly and the +0.5 gradient error fails every entry; only the reported distances
        // (0.25, 0.5, ∞) make kinks of them, with kink detection off. A distance equal to the reach counts.
        var loss = new KinkedAbsTestLoss(3, true, [0.25, 0.5, double.PositiveInfinity], [0.5, 0.5, 0.5]);
        var r = GradientCheck.Run(loss, [1.0, 2.0, 3.0], new CheckOptions { Rule = rule, Step = StepSize.Absolute(0.25), KinkDetection = KinkDetection.Off });
        Assert.Equal([at025, at05, CheckStatus.Fail], r.Entries.Select(e => e.Status).ToArray());
    }

    private static double SumOfSquares(Matrix<double> w) => w.Enumerate().Sum(v => v * v);

    [Fact]
    public void The_matrix_form_indexes_entries_by_row_and_column_and_honours_options()
    {
        var w = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, -2.0, 0.5 }, { 3.0, 0.25, -1.5 } });
        var g = 2 * w;
        g[1, 2] += 1e-3; // entry 5 = (1, 2); error 1e-3 vs default bound 1e-6 + 1e-4·3 = 3.01e-4
        var r = GradientCheck.Run(SumOfSquares, w, g);
        Assert.Equal((1, 1), (r.Entries[4].Row, r.Entries[4].Column));
        Assert.Equal(CheckStatus.Fail, r.At(1, 2)!.Status);
        Assert.Equal(1, r.Failures);
        Assert.True(GradientCheck.Run(SumOfSquares, w, g, new CheckOptions { Tolerance = new(2e-3, 0) }).Passed);
    }

    [Fact]
    public void A_matrix_shape_mismatch_in_rows_only_or_columns_only_throws_naming_both_shapes()
    {
        var w = Matrix<double>.Build.Dense(2, 3, 1.0);
        var rows = Assert.Throws<ArgumentException>(() => GradientCheck.Run(SumOfSquares, w, Matrix<double>.Build.Dense(3, 3)));
        Assert.Equal("analytic", rows.ParamName);
        Assert.Contains("analytic is 3×3, w is 2×3", rows.Message);
        var cols = Assert.Throws<ArgumentException>(() => GradientCheck.Run(SumOfSquares, w, Matrix<double>.Build.Dense(2, 2)));
        Assert.Equal("analytic", cols.ParamName);
        Assert.Contains("analytic is 2×2, w is 2×3", cols.Message);
    }

    [Fact]
    public void Null_arguments_throw_argument_null_naming_the_parameter()
    {
        var m = Matrix<double>.Build.Dense(1, 1, 1.0);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => GradientCheck.Run((ScalarFunction)null!, [1.0], [1.0])).ParamName);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => GradientCheck.Run((ComplexScalarFunction)null!, [1.0], [1.0])).ParamName);
        Assert.Equal("loss", Assert.Throws<ArgumentNullException>(() => GradientCheck.Run(null!, [1.0])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentNullException>(() => GradientCheck.Run(new AbsTestLoss(1, true), (Matrix<double>)null!)).ParamName);
        Assert.Equal("f", Assert.Throws<ArgumentNullException>(() => GradientCheck.Run((Func<Matrix<double>, double>)null!, m, m)).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentNullException>(() => GradientCheck.Run(SumOfSquares, null!, m)).ParamName);
        Assert.Equal("analytic", Assert.Throws<ArgumentNullException>(() => GradientCheck.Run(SumOfSquares, m, null!)).ParamName);
    }

    [Fact]
    public void Bad_scores_empty_x_and_a_non_finite_value_are_named()
    {
        var loss = new AbsTestLoss(2, true);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => GradientCheck.Run(loss, [1.0, 2.0, 3.0])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => GradientCheck.Run(loss, [1.0, double.NaN])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => GradientCheck.Run(Square, [], [])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => GradientCheck.Run((ComplexScalarFunction)(z => z.Length), [], [])).ParamName);
        var nan = Assert.Throws<ArgumentException>(() => GradientCheck.Run(_ => double.NaN, [1.0], [1.0]));
        Assert.Equal("f", nan.ParamName);
        Assert.StartsWith("f(x) = NaN is not finite", nan.Message);
        Assert.Equal("analytic", Assert.Throws<ArgumentException>(() => GradientCheck.Run((ComplexScalarFunction)(z => z[0]), [1.0], [1.0, 2.0])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => GradientCheck.Run((ComplexScalarFunction)(z => z[0]), [double.NaN], [1.0])).ParamName);
        Assert.Equal("analytic", Assert.Throws<ArgumentException>(() => GradientCheck.Run((ComplexScalarFunction)(z => z[0]), [1.0], [double.PositiveInfinity])).ParamName);
    }
}
