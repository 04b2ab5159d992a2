using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>
/// The step rules against their formulas. With unit scales the error model of a rule of order p is
/// E(h) = C h^p + R ε / h; its minimiser satisfies p C h^(p+1) = R ε, and there E(h*) = (1 + p) C h*^p (the rounding
/// term equals p times the truncation term). Each expected value below is that closed form, written out per rule.
/// </summary>
public class StepSizeRuleTests
{
    private const double Eps = 2.220446049250313e-16; // 2⁻⁵²

    private static void Close(double expected, double actual, double rel = 1e-13) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Machine_epsilon_is_two_to_the_minus_52() => Assert.Equal(StepSize.MachineEpsilon, Math.Pow(2, -52));

    [Fact]
    public void Forward_and_backward_optimum()
    {
        // E = h/2 + 2ε/h → h*² = 4ε, h* = 2√ε, E(h*) = √ε + √ε = 2√ε.
        foreach (var m in new[] { SweepMethod.Forward, SweepMethod.Backward })
        {
            var (h, e) = StepSize.TheoreticalOptimum(m);
            Close(2 * Math.Sqrt(Eps), h);
            Close(2 * Math.Sqrt(Eps), e);
            Close(h / 2 + 2 * Eps / h, e);
        }
    }

    [Fact]
    public void Central_optimum()
    {
        // E = h²/6 + ε/h → h*³ = 3ε, E(h*) = h*²/6 + h*²/3 = h*²/2.
        var (h, e) = StepSize.TheoreticalOptimum(SweepMethod.Central);
        Close(3 * Eps, h * h * h);
        Close(h * h / 2, e);
        Close(h * h / 6 + Eps / h, e);
    }

    [Fact]
    public void Five_point_optimum()
    {
        // E = h⁴/30 + 1.5ε/h → h*⁵ = 11.25ε, E(h*) = 5 h*⁴/30 = h*⁴/6.
        var (h, e) = StepSize.TheoreticalOptimum(SweepMethod.FivePointCentral);
        Close(11.25 * Eps, Math.Pow(h, 5));
        Close(Math.Pow(h, 4) / 6, e);
    }

    [Fact]
    public void Richardson_optimum()
    {
        // E = h⁴/480 + 3ε/h → h*⁵ = 360ε, E(h*) = 5 h*⁴/480 = h*⁴/96.
        var (h, e) = StepSize.TheoreticalOptimum(SweepMethod.Richardson);
        Close(360 * Eps, Math.Pow(h, 5));
        Close(Math.Pow(h, 4) / 96, e);
    }

    [Fact]
    public void Second_difference_optimum()
    {
        // E = h²/12 + 4ε/h² → h*⁴ = 48ε, E(h*) = h*²/12 + h*²/12 = h*²/6.
        var (h, e) = StepSize.TheoreticalOptimum(SweepMethod.SecondCentral);
        Close(48 * Eps, Math.Pow(h, 4));
        Close(h * h / 6, e);
    }

    [Fact]
    public void Complex_step_optimum_is_the_edge_where_truncation_falls_below_epsilon()
    {
        // h²/6 = ε at h = √(6ε); the error there and below is ε.
        var (h, e) = StepSize.TheoreticalOptimum(SweepMethod.ComplexStep);
        Close(6 * Eps, h * h);
        Assert.Equal(Eps, e);
    }

    [Fact]
    public void Relative_and_theory_steps_scale_with_max_abs_x_and_1()
    {
        var rel = StepSize.Relative(1e-3);
        Close(0.1, rel.At(100, DifferenceRule.Central));
        Close(0.2, rel.At(-200, DifferenceRule.Forward));
        Assert.Equal(1e-3, rel.At(0.5, DifferenceRule.Central)); // |x| < 1: h itself
        Close(0.1, rel.ForSecondDerivativeAt(-100));
        Assert.Equal(1e-3, rel.ForSecondDerivativeAt(0.25));

        // Theory: ε^(1/2), ε^(1/3), ε^(1/5) times max(|x|, 1); ε^(1/4) for the second difference.
        Close(4 * Math.Cbrt(Eps), StepSize.Theory.At(4, DifferenceRule.Central));
        Close(Math.Cbrt(Eps), StepSize.Theory.At(0.5, DifferenceRule.Central));
        Close(8 * Math.Sqrt(Eps), StepSize.Theory.At(-8, DifferenceRule.Backward));
        Close(2 * Math.Pow(Eps, 0.2), StepSize.Theory.At(2, DifferenceRule.FivePointCentral));
        Close(3 * Math.Pow(Eps, 0.25), StepSize.Theory.ForSecondDerivativeAt(-3));
        Assert.Equal(0.5, StepSize.Absolute(0.5).At(1000, DifferenceRule.Central));

        Assert.Equal("h", Assert.ThrowsAny<ArgumentException>(() => StepSize.Relative(0)).ParamName);
        Assert.Equal("h", Assert.ThrowsAny<ArgumentException>(() => StepSize.Relative(double.NaN)).ParamName);
    }

    [Fact]
    public void Descriptions_name_the_power_of_epsilon()
    {
        // These strings are the "method" line of a check report.
        Assert.Equal("h = ε^(1/2)·max(|x|,1)", StepSize.Theory.Describe(DifferenceRule.Forward));
        Assert.Equal("h = ε^(1/3)·max(|x|,1)", StepSize.Theory.Describe(DifferenceRule.Central));
        Assert.Equal("h = ε^(1/5)·max(|x|,1)", StepSize.Theory.Describe(DifferenceRule.FivePointCentral));
        Assert.Equal("h = 0.001", StepSize.Absolute(1e-3).Describe(DifferenceRule.Central));
        Assert.Equal("h = 0.001·max(|x|,1)", StepSize.Relative(1e-3).Describe(DifferenceRule.Central));
        Assert.Equal("theory (ε^(1/(p+1))·max(|x|,1))", StepSize.Theory.ToString());
        Assert.Equal("relative h = 0.001·max(|x|,1)", StepSize.Relative(1e-3).ToString());
        Assert.Equal("absolute h = 0.5", StepSize.Absolute(0.5).ToString());
    }

    [Fact]
    public void A_step_is_refused_when_either_side_rounds_back_to_x()
    {
        // At 1 the spacing is 2ε above and ε below: 1 + 1e-16 == 1 but 1 − 1e-16 != 1; at −1 the other way round.
        Assert.True(1.0 + 1e-16 == 1.0 && 1.0 - 1e-16 != 1.0);
        Assert.Equal("h", Assert.ThrowsAny<ArgumentException>(() => StepSize.Checked(1.0, 1e-16)).ParamName);
        Assert.Equal("h", Assert.ThrowsAny<ArgumentException>(() => StepSize.Checked(-1.0, 1e-16)).ParamName);
        Assert.Equal(3e-16, StepSize.Checked(1.0, 3e-16)); // both sides move
        Assert.Equal(1e-16, StepSize.Checked(0.0, 1e-16));
    }
}
