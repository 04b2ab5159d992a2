using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>The Richardson tableau's rounding bound, default steps and input checks, on estimators whose tableau is known by hand.</summary>
public class RichardsonTableauTests
{
    private const double Eps = 2.220446049250313e-16;

    private static void Close(double expected, double actual, double rel = 1e-14) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Rounding_bound_is_carried_through_the_tableau()
    {
        // A constant estimate has change 0, so the estimate is the noise column alone. Roundoff 1 at every h, p = q = 2:
        // noise[1,1] = 1 + (1 + 1)/3 = 5/3; noise[2,1] = 5/3, noise[2,2] = 5/3 + (5/3 + 5/3)/15 = 17/9.
        Close(5.0 / 3, Richardson.Extrapolate(_ => Math.PI, 0.5, 2, 2, levels: 1, roundoff: _ => 1).ErrorEstimate);
        Close(17.0 / 9, Richardson.Extrapolate(_ => Math.PI, 0.5, 2, 2, levels: 2, roundoff: _ => 1).ErrorEstimate);
        Assert.Equal(0, Richardson.Extrapolate(_ => Math.PI, 0.5, 2, 2, levels: 2).ErrorEstimate);
    }

    [Fact]
    public void Rounding_start_for_the_difference_rules_is_10_R_eps_max_f_over_h()
    {
        // f ≡ 2: every difference is exactly 0. Forward (R = 2, p = q = 1, factor 1), h0 = 1/8, levels 1:
        // a = 10·2·ε·2/h0 = 320ε, noise = 2a + (2a + a)/1 = 5a = 1600ε.
        Close(1600 * Eps, Richardson.Derivative(_ => 2.0, 0.0, DifferenceRule.Forward, h: 0.125, levels: 1).ErrorEstimate);
        // Central (R = 1, factor 3): a = 10·1·ε·2·8 = 160ε, noise = 2a + 3a/3 = 3a = 480ε.
        Close(480 * Eps, Richardson.Derivative(_ => 2.0, 0.0, DifferenceRule.Central, h: 0.125, levels: 1).ErrorEstimate);
        // Second difference (R = 4 over h², p = q = 2), h0 = 1/2: a = 10·4·ε·2/(1/4) = 320ε, noise[1,0] = 4a,
        // noise[1,1] = 4a + 5a/3 = 17a/3.
        Close(17 * 320 * Eps / 3, Richardson.SecondDerivative(_ => 2.0, 0.0, h: 0.5, levels: 1).ErrorEstimate);
    }

    [Fact]
    public void Default_first_step_is_an_eighth_of_max_abs_x_and_1()
    {
        Assert.Equal(0.5, Richardson.Derivative(Math.Sin, 4.0).Step);
        Assert.Equal(0.125, Richardson.Derivative(Math.Sin, 0.5).Step);
        Assert.Equal(0.5, Richardson.SecondDerivative(Math.Sin, -4.0).Step);
        Assert.Equal(0.125, Richardson.SecondDerivative(Math.Sin, 0.5).Step);
        Assert.Equal(0.2, Richardson.SecondDerivative(Math.Sin, 0.5, h: 0.2).Step);
        Assert.Equal(0.2, Richardson.Derivative(Math.Sin, 0.5, h: 0.2).Step);
    }

    [Fact]
    public void The_finest_step_must_not_vanish_against_x()
    {
        // At 1e10 the spacing is ~1.9e-6: h0 = 1e-6 still moves x, h0/4 does not.
        Assert.NotEqual(1e10, 1e10 + 1e-6);
        Assert.Equal(1e10, 1e10 + 2.5e-7);
        Assert.Equal("h", Assert.ThrowsAny<ArgumentException>(() => Richardson.Derivative(Math.Sin, 1e10, h: 1e-6, levels: 2)).ParamName);
        Assert.Equal("h", Assert.ThrowsAny<ArgumentException>(() => Richardson.SecondDerivative(Math.Sin, 1e10, h: 1e-6, levels: 2)).ParamName);
    }

    [Fact]
    public void Input_checks()
    {
        Assert.Equal("h", Assert.ThrowsAny<ArgumentException>(() => Richardson.Extrapolate(h => h, 0, 2, 2)).ParamName);
        Assert.Equal("order", Assert.ThrowsAny<ArgumentException>(() => Richardson.Extrapolate(h => h, 0.5, 0, 2)).ParamName);
        Assert.Equal("orderStep", Assert.ThrowsAny<ArgumentException>(() => Richardson.Extrapolate(h => h, 0.5, 2, 0)).ParamName);
        Assert.Equal("levels", Assert.ThrowsAny<ArgumentException>(() => Richardson.Extrapolate(h => h, 0.5, 2, 2, levels: 21)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => Richardson.SecondDerivative(Math.Sin, double.NaN)).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => Richardson.SecondDerivative(Math.Sin, double.NaN, h: 0.1)).ParamName);
        // 20 levels is the documented maximum: π + h² is cleared by the first column.
        var e = Richardson.Extrapolate(h => Math.PI + h * h, 1, 2, 2, levels: 20);
        Assert.Equal(20, e.Levels);
        Assert.True(Math.Abs(e.Value - Math.PI) <= 1e-14, e.ToString());
    }
}
