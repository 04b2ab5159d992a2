using System.Numerics;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Differentiation;

public class ComplexStepAndRichardsonTests
{
    [Theory]
    [MemberData(nameof(TestFunction.Cases), MemberType = typeof(TestFunction))]
    public void Complex_step_is_exact_to_machine_precision(string name, double x)
    {
        // No subtraction, so the only error is the rounding of f'(x) itself and of the function's own evaluation:
        // a few ulps. 1e-15 relative = ~4.5 ulps.
        var f = TestFunction.ByName(name);
        double d = ComplexStep.Derivative(f.C, x), exact = f.D1(x);
        Assert.True(Math.Abs(d - exact) <= 1e-15 * Math.Abs(exact), $"{name} at {x}: {d:R} vs {exact:R}");
    }

    [Fact]
    public void Complex_step_gradient_of_a_smooth_loss_matches_its_analytic_gradient_to_1e_14()
    {
        // Softmax CE gradient entries p − y are O(1); the analytic formula itself rounds at ~ε·(1 + Σ terms), so
        // 1e-14 absolute is ~45 ulps of headroom for both sides' rounding — still 4 orders below central differences.
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = 3, c = 4;
            var labels = Enumerable.Range(0, n).Select(_ => random.Next(c)).ToArray();
            var loss = new SoftmaxCrossEntropy(labels, c);
            var z = Enumerable.Range(0, n * c).Select(_ => random.NextDouble() * 6 - 3).ToArray();
            var analytic = new double[n * c];
            var numeric = new double[n * c];
            loss.Gradient(z, analytic);
            ComplexStep.LossGradient(loss, z, numeric);
            for (int k = 0; k < n * c; k++) Assert.True(Math.Abs(analytic[k] - numeric[k]) <= 1e-14, $"trial {trial} entry {k}: {analytic[k]:R} vs {numeric[k]:R}");
        }
    }

    [Fact]
    public void Complex_gradient_of_a_vector_function()
    {
        static Complex F(ReadOnlySpan<Complex> x) => Complex.Exp(x[0]) * Complex.Sin(x[1]) + x[2] * x[2] * x[0];
        double[] x = [0.3, -1.2, 2.0];
        var g = new double[3];
        ComplexStep.Gradient(F, x, g);
        double[] exact = [Math.Exp(0.3) * Math.Sin(-1.2) + 4.0, Math.Exp(0.3) * Math.Cos(-1.2), 2 * 2.0 * 0.3];
        for (int k = 0; k < 3; k++) Assert.True(Math.Abs(g[k] - exact[k]) <= 1e-15 * Math.Abs(exact[k]), $"{k}: {g[k]:R} vs {exact[k]:R}");
    }

    public static IEnumerable<object[]> RichardsonCases =>
        from f in TestFunction.All
        from x in TestFunction.Points
        from rule in new[] { DifferenceRule.Forward, DifferenceRule.Backward, DifferenceRule.Central, DifferenceRule.FivePointCentral }
        from levels in new[] { 1, 2, 3, 4 }
        select new object[] { f.Name, x, rule, levels };

    [Theory]
    [MemberData(nameof(RichardsonCases))]
    public void Richardson_error_estimate_bounds_the_true_error(string name, double x, DifferenceRule rule, int levels)
    {
        var f = TestFunction.ByName(name);
        foreach (double h in new[] { 0.2, 0.05, 0.01 })
        {
            var e = Richardson.Derivative(f.F, x, rule, h, levels);
            double trueError = Math.Abs(e.Value - f.D1(x));
            Assert.True(trueError <= e.ErrorEstimate, $"{name} at {x}, {rule}, h = {h}, {levels} levels: true error {trueError:E3} > estimate {e.ErrorEstimate:E3}");
            // And the estimate is useful, not a blanket bound: at most twice the error of the plain rule at the finest
            // step used (what you would get without extrapolating), up to a rounding floor of 1e-9·scale.
            double plain = Math.Abs(FiniteDifference.Derivative(f.F, x, rule, h / Math.Pow(2, levels)) - f.D1(x));
            Assert.True(e.ErrorEstimate <= 2 * plain + 1e-9 * Math.Max(1, Math.Abs(f.F(x))), $"{name}, {rule}: estimate {e.ErrorEstimate:E3}, plain error {plain:E3}, true {trueError:E3}");
        }
    }

    [Fact]
    public void Richardson_on_central_differences_reaches_near_machine_precision()
    {
        foreach (var f in TestFunction.All)
            foreach (double x in TestFunction.Points)
            {
                var e = Richardson.Derivative(f.F, x);
                Assert.True(Math.Abs(e.Value - f.D1(x)) <= 1e-12 * Math.Max(1, Math.Abs(f.D1(x))), $"{f.Name} at {x}: {e}");
                var s = Richardson.SecondDerivative(f.F, x);
                Assert.True(Math.Abs(s.Value - f.D2(x)) <= s.ErrorEstimate, $"{f.Name} f'' at {x}: {s}, exact {f.D2(x):R}");
            }
    }

    [Fact]
    public void Generic_extrapolation_of_any_estimator()
    {
        // The trapezoid-like sequence T(h) = π + h² + h⁴ is cleared exactly by two levels (p = 2, q = 2).
        var e = Richardson.Extrapolate(h => Math.PI + h * h + Math.Pow(h, 4), 0.5, order: 2, orderStep: 2, levels: 2);
        Assert.True(Math.Abs(e.Value - Math.PI) <= 1e-14, e.ToString());
    }
}
