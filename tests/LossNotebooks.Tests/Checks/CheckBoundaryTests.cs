using LossNotebooks.Checks;
using LossNotebooks.Differentiation;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// Where each default tolerance switches from PASS to FAIL: an analytic value off by 0.3× the allowed amount passes,
/// one off by 3× fails. The allowed amounts are written here as numbers (CheckTolerance's documented defaults:
/// central and five-point atol 1e-6, rtol 1e-4; forward and backward 1e-4, 1e-3; second differences of the value
/// 1e-4, 1e-3), not read back from the code. The functions are linear or quadratic, where every rule's own error is
/// rounding only (≤ ~1e-9 here, against allowed amounts ≥ 1e-6), so the planted offset alone decides.
/// </summary>
public class CheckBoundaryTests
{
    private static readonly double[] A = [0.7, -1.3, 2.1, 0.05];
    private static readonly double[] X = [0.4, -0.9, 1.6, 0.2];

    private static double Linear(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int k = 0; k < x.Length; k++) s += A[k] * x[k];
        return s;
    }

    public static TheoryData<DifferenceRule, double, double> Rules => new()
    {
        { DifferenceRule.Central, 1e-6, 1e-4 },
        { DifferenceRule.FivePointCentral, 1e-6, 1e-4 },
        { DifferenceRule.Forward, 1e-4, 1e-3 },
        { DifferenceRule.Backward, 1e-4, 1e-3 },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_gradient_off_by_0_3_of_the_default_passes_and_off_by_3_times_fails(DifferenceRule rule, double atol, double rtol)
    {
        var options = new CheckOptions { Rule = rule };
        foreach (var (k, pass) in new[] { (0.3, true), (3.0, false), (-3.0, false) })
        {
            var analytic = A.Select(a => a + k * (atol + rtol * Math.Abs(a))).ToArray();
            var report = GradientCheck.Run(Linear, X, analytic, options);
            Assert.True(report.Passed == pass, $"{rule}, offset {k}× allowed: {report.Verdict}");
        }
    }

    [Fact]
    public void The_complex_step_allows_only_rounding()
    {
        // Complex step: atol 1e-12, rtol 1e-10.
        System.Numerics.Complex F(ReadOnlySpan<System.Numerics.Complex> x)
        {
            System.Numerics.Complex s = 0;
            for (int k = 0; k < x.Length; k++) s += A[k] * x[k];
            return s;
        }
        var options = new CheckOptions { UseComplexStep = true };
        Assert.True(GradientCheck.Run(F, X, A.Select(a => a + 0.3 * (1e-12 + 1e-10 * Math.Abs(a))).ToArray(), options).Passed);
        Assert.False(GradientCheck.Run(F, X, A.Select(a => a + 3 * (1e-12 + 1e-10 * Math.Abs(a))).ToArray(), options).Passed);
    }

    private static readonly double[] C = [1.5, 0.4, 3.0, 0.9];

    private static double Quadratic(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int k = 0; k < x.Length; k++) s += 0.5 * C[k] * x[k] * x[k];
        return s;
    }

    [Fact]
    public void A_hessian_diagonal_off_by_0_3_passes_and_by_3_times_fails_for_both_numeric_routes()
    {
        // From second differences of the value (no gradient given): atol 1e-4, rtol 1e-3.
        foreach (var (k, pass) in new[] { (0.3, true), (3.0, false) })
        {
            var d = C.Select(c => c + k * (1e-4 + 1e-3 * c)).ToArray();
            Assert.True(HessianCheck.Diagonal(Quadratic, X, d).Passed == pass, $"second differences, {k}×");
        }
        // From central differences of the gradient: atol 1e-6, rtol 1e-4.
        VectorFunction gradient = (x, g) => { for (int k = 0; k < x.Length; k++) g[k] = C[k] * x[k]; };
        foreach (var (k, pass) in new[] { (0.3, true), (3.0, false) })
        {
            var d = C.Select(c => c + k * (1e-6 + 1e-4 * c)).ToArray();
            Assert.True(HessianCheck.Diagonal(Quadratic, X, d, gradient).Passed == pass, $"differences of the gradient, {k}×");
        }
    }

    [Fact]
    public void The_five_point_rule_flags_a_kink_that_only_its_outer_points_reach()
    {
        // |x − 1| at x = 1 + 1.5h: the inner points x ± h stay on one side, the outer ones x ± 2h cross the kink.
        const double h = 1e-3;
        double x0 = 1 + 1.5 * h;
        double F(ReadOnlySpan<double> x) => Math.Abs(x[0] - 1);
        var options = new CheckOptions
        {
            Rule = DifferenceRule.FivePointCentral, Step = StepSize.Absolute(h), KinkDetection = KinkDetection.PiecewiseLinear,
        };
        var report = GradientCheck.Run(F, [x0], [1.0], options);
        Assert.Equal(1, report.Kinks);
        Assert.True(report.Passed, report.Verdict);
        // Without the outer-point test the five-point value (−1 + 8 − 8·1 … ) is off by O(1) and would count as a failure.
        var unflagged = GradientCheck.Run(F, [x0], [1.0], options with { KinkDetection = KinkDetection.Off });
        Assert.False(unflagged.Passed);
    }
}
