using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>
/// The observed order: halving h divides the truncation error by 2^p. Steps are chosen large enough that rounding
/// (≤ ε|f|/h ≈ 1e-13 at h = 1e-2 for p ≤ 2; ≤ 1e-11 at h = 0.05 for the 4th-order rules) is ≥ 100× below the
/// truncation error, so the ratio is the truncation ratio to within a few percent; we accept 2^p·[0.85, 1.15]
/// because the next term of the expansion (relative size ~h) shifts the ratio by a few percent at these h.
/// </summary>
public class OrderOfAccuracyTests
{
    private static void AssertRatio(double errorH, double errorHalf, int order, string what)
    {
        double ratio = errorH / errorHalf, expected = Math.Pow(2, order);
        Assert.True(ratio > 0.85 * expected && ratio < 1.15 * expected, $"{what}: error ratio {ratio:G4}, expected ≈ {expected} (errors {errorH:E3}, {errorHalf:E3})");
    }

    [Theory]
    [InlineData(DifferenceRule.Forward, 1, 1e-2)]
    [InlineData(DifferenceRule.Backward, 1, 1e-2)]
    [InlineData(DifferenceRule.Central, 2, 1e-2)]
    [InlineData(DifferenceRule.FivePointCentral, 4, 5e-2)]
    public void Halving_h_divides_the_error_by_two_to_the_order(DifferenceRule rule, int order, double h)
    {
        Assert.Equal(order, StepSize.Order(rule));
        foreach (var f in new[] { TestFunction.Sin, TestFunction.Exp, TestFunction.Log1p })
        {
            double x = 0.7, exact = f.D1(x);
            double e1 = Math.Abs(FiniteDifference.Derivative(f.F, x, rule, h) - exact);
            double e2 = Math.Abs(FiniteDifference.Derivative(f.F, x, rule, h / 2) - exact);
            AssertRatio(e1, e2, order, $"{rule} on {f.Name}");
        }
    }

    [Fact]
    public void Second_difference_is_second_order()
    {
        foreach (var f in new[] { TestFunction.Sin, TestFunction.Exp, TestFunction.Log1p })
        {
            // h = 1e-2: rounding 4ε|f|/h² ≈ 1e-11 vs truncation h²|f''''|/12 ≈ 1e-5.
            double x = 0.7, exact = f.D2(x);
            double e1 = Math.Abs(FiniteDifference.SecondDerivative(f.F, x, 1e-2) - exact);
            double e2 = Math.Abs(FiniteDifference.SecondDerivative(f.F, x, 5e-3) - exact);
            AssertRatio(e1, e2, 2, $"second difference on {f.Name}");
        }
    }

    [Fact]
    public void Complex_step_is_second_order_in_h()
    {
        // Im f(x+ih)/h = f' − h²f'''/6 + …: at h = 1e-2 the truncation (~1e-5) dwarfs rounding (~1e-16).
        foreach (var f in new[] { TestFunction.Sin, TestFunction.Exp, TestFunction.Log1p })
        {
            double x = 0.7, exact = f.D1(x);
            double e1 = Math.Abs(ComplexStep.Derivative(f.C, x, 1e-2) - exact);
            double e2 = Math.Abs(ComplexStep.Derivative(f.C, x, 5e-3) - exact);
            AssertRatio(e1, e2, 2, $"complex step on {f.Name}");
        }
    }

    [Fact]
    public void Richardson_levels_raise_the_order_of_central_differences()
    {
        // One level on central differences cancels h², leaving h⁴: ratio 16 at h = 0.2 → 0.1 (rounding ~1e-14).
        foreach (var f in new[] { TestFunction.Sin, TestFunction.Exp })
        {
            double x = 0.7, exact = f.D1(x);
            double e1 = Math.Abs(Richardson.Derivative(f.F, x, DifferenceRule.Central, 0.2, levels: 1).Value - exact);
            double e2 = Math.Abs(Richardson.Derivative(f.F, x, DifferenceRule.Central, 0.1, levels: 1).Value - exact);
            AssertRatio(e1, e2, 4, $"Richardson(1) on {f.Name}");
        }
    }
}
