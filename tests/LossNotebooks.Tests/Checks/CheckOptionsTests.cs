using LossNotebooks.Checks;
using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Checks;

/// <summary>Option bounds, the allclose boundary, the shared engine's error, index and kink-test edges.</summary>
public class CheckOptionsTests
{
    private static double Twice(ReadOnlySpan<double> x) => 2 * x[0] + 2 * x[1] + 2 * x[2];

    private static CheckReport Run(CheckOptions o) => GradientCheck.Run(Twice, [1.0, 2.0, 3.0], [2.0, 2.0, 2.0], o);

    [Fact]
    public void Accepts_includes_the_boundary_and_scales_rtol_by_the_numeric_value()
    {
        Assert.True(new CheckTolerance(0.5, 0).Accepts(1.5, 1.0));  // |0.5| ≤ 0.5
        Assert.True(new CheckTolerance(0, 0.5).Accepts(1.0, 2.0));  // 1 ≤ 0.5·|2|
        Assert.False(new CheckTolerance(0, 0.5).Accepts(2.0, 1.0)); // 1 > 0.5·|1|
    }

    [Fact]
    public void Option_bounds_are_inclusive_and_named()
    {
        Assert.Single(Run(new CheckOptions { SampleSize = 1 }).Entries);
        Assert.Equal(3, Run(new CheckOptions { SampleSize = 3 }).Entries.Count);
        Assert.Empty(Run(new CheckOptions { WorstCount = 0 }).Worst);
        Assert.Equal("SampleSize", Assert.Throws<ArgumentOutOfRangeException>(() => Run(new CheckOptions { SampleSize = 0 })).ParamName);
        Assert.Equal("SampleSize", Assert.Throws<ArgumentOutOfRangeException>(() => Run(new CheckOptions { SampleSize = 4 })).ParamName);
        Assert.Equal("WorstCount", Assert.Throws<ArgumentOutOfRangeException>(() => Run(new CheckOptions { WorstCount = -1 })).ParamName);
        Assert.Equal("Columns", Assert.Throws<ArgumentOutOfRangeException>(() => Run(new CheckOptions { Columns = -1 })).ParamName);
        Assert.Equal("Tiny", Assert.Throws<ArgumentOutOfRangeException>(() => Run(new CheckOptions { Tiny = 0 })).ParamName);
        Assert.Equal("Tolerance.Atol", Assert.Throws<ArgumentOutOfRangeException>(() => Run(new CheckOptions { Tolerance = new(-1e-6, 0) })).ParamName);
        Assert.Equal("Tolerance.Rtol", Assert.Throws<ArgumentOutOfRangeException>(() => Run(new CheckOptions { Tolerance = new(0, double.NaN) })).ParamName);
    }

    [Fact]
    public void A_function_finite_at_x_but_not_at_x_plus_h_is_named()
    {
        var e = Assert.Throws<ArgumentException>(() => GradientCheck.Run(x => x[0] <= 1 ? x[0] : double.NaN, [1.0], [1.0]));
        Assert.Equal("f", e.ParamName);
        Assert.Contains("non-finite value near entry 0", e.Message);
    }

    [Fact]
    public void Relative_error_divides_by_the_larger_magnitude_and_flat_entries_have_no_row()
    {
        // f = 2x: numeric 2, analytic 1 → |a − n| / max(1, 2) = 0.5.
        var r = GradientCheck.Run(x => 2 * x[0], [1.0], [1.0]);
        Assert.Equal(0.5, r.Entries[0].RelativeError, 8);
        Assert.Equal((-1, -1), (r.Entries[0].Row, r.Entries[0].Column));
        Assert.StartsWith("5-point central", GradientCheck.Run(x => 2 * x[0], [1.0], [2.0], new CheckOptions { Rule = DifferenceRule.FivePointCentral }).Method);
    }

    [Fact]
    public void The_kink_test_flags_a_bend_at_zero_and_not_a_flat_function()
    {
        var pl = new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear };
        // max(0, x) at 0: numeric (h − 0)/2h = 0.5 vs 1; f(x) = 0 must not make the bend threshold infinite.
        Assert.Equal(CheckStatus.Kink, GradientCheck.Run(x => Math.Max(0, x[0]), [0.0], [1.0], pl).Entries[0].Status);
        // f ≡ 0 has no bend (0 − 0 + 0 = 0 is within any rounding allowance): a wrong gradient there fails.
        Assert.Equal(CheckStatus.Fail, GradientCheck.Run(_ => 0.0, [0.5], [1.0], pl).Entries[0].Status);
        // f = x at 1e-12 changes sign inside [x − h, x + h] (h ≈ 6e-6) but stays linear: the rounding of
        // (x + h) − 2x + (x − h) (~1e-21) is far below 64ε·(|f(x+h)| + 2|f(x)| + |f(x−h)|) ≈ 1.7e-19, so no kink.
        Assert.Equal(CheckStatus.Fail, GradientCheck.Run(x => x[0], [1e-12], [2.0], pl).Entries[0].Status);
    }
}
