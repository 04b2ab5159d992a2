using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// A hinge-like test function written here: f(x) = Σ_k max(0, 1 + x_k − t_k) + 0.5·|x_0 − x_1|, piecewise linear with
/// kinks at x_k = t_k − 1 and x_0 = x_1. Its subgradient (right-derivative convention at a kink) is written by hand.
/// </summary>
public class KinkTests
{
    private static readonly double[] T = [0.5, -1.0, 2.0, 0.0];

    private static double F(ReadOnlySpan<double> x)
    {
        double s = 0.5 * Math.Abs(x[0] - x[1]);
        for (int k = 0; k < x.Length; k++) s += Math.Max(0, 1 + x[k] - T[k]);
        return s;
    }

    private static double[] Subgradient(double[] x)
    {
        var g = new double[x.Length];
        for (int k = 0; k < x.Length; k++) g[k] = 1 + x[k] - T[k] > 0 ? 1 : 0;
        double sign = x[0] - x[1] >= 0 ? 0.5 : -0.5;
        g[0] += sign;
        g[1] -= sign;
        return g;
    }

    [Fact]
    public void Entries_whose_perturbation_crosses_a_kink_are_reported_as_kinks()
    {
        // Entry 2 sits 1e-7 from its hinge kink (x = t − 1 = 1): inside [x − h, x + h] for h ≈ 6e-6·max(|x|,1).
        // Entry 3 is far from every kink. Entries 0/1 are 2e-7 apart: the |x_0 − x_1| kink is crossed by both.
        double[] x = [0.3, 0.3 + 2e-7, 1.0 + 1e-7, -0.5];
        var g = Subgradient(x);
        var plain = GradientCheck.Run(F, x, g);
        Assert.False(plain.Passed); // without kink detection these are failures …
        var report = GradientCheck.Run(F, x, g, new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear });
        Assert.True(report.Passed, report.ToString()); // … with it, kinks
        Assert.Equal(3, report.Kinks);
        Assert.Equal(CheckStatus.Pass, report.Entries[3].Status);
        Assert.All(report.Entries.Take(3), e => Assert.Equal(CheckStatus.Kink, e.Status));
        Assert.Contains("PASS (3 at kinks)", report.ToString());
    }

    [Fact]
    public void Away_from_kinks_the_piecewise_linear_function_checks_exactly()
    {
        var r = new Random(12);
        for (int t = 0; t < 300; t++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => r.NextDouble() * 6 - 3).ToArray();
            var report = GradientCheck.Run(F, x, Subgradient(x), new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear });
            // Every kink distance here is ≥ 1e-3 with overwhelming probability, ≫ h; then no entry is flagged.
            bool near = x.Select((v, k) => Math.Abs(1 + v - T[k])).Append(Math.Abs(x[0] - x[1])).Min() < 1e-4;
            if (near) continue;
            Assert.True(report.Passed && report.Kinks == 0, report.ToString());
            // A wrong subgradient away from kinks is still a plain failure, not excused as a kink.
            var wrong = Subgradient(x);
            wrong[3] += 0.5;
            var bad = GradientCheck.Run(F, x, wrong, new CheckOptions { KinkDetection = KinkDetection.PiecewiseLinear });
            Assert.Equal(1, bad.Failures);
            Assert.Equal(0, bad.Kinks);
        }
    }

    [Fact]
    public void Caller_predicate_marks_kinks()
    {
        double[] x = [0.3, 0.3 + 2e-7, 1.0 + 1e-7, -0.5];
        var report = GradientCheck.Run(F, x, Subgradient(x), new CheckOptions
        {
            KinkDetection = KinkDetection.Off,
            IsKink = (k, reach) => k switch { 0 or 1 => Math.Abs(x[0] - x[1]) <= reach, _ => Math.Abs(1 + x[k] - T[k]) <= reach },
        });
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(3, report.Kinks);
    }

    [Fact]
    public void Hinge_loss_kinks_are_found_automatically()
    {
        // Weston–Watkins hinge, margin Δ = 1: row 0 puts z[0,1] 1e-7 from its margin kink (m = Δ + z_01 − z_00 = 1e-7).
        var loss = new MulticlassHinge([0, 2], 3);
        double[] z = [2.0, 0.0, -1.0, 0.4, -0.3, 1.5];
        z[1] = z[0] - 1 + 1e-7;
        var report = GradientCheck.Run(loss, z);
        Assert.True(report.Passed, report.ToString());
        Assert.True(report.Kinks >= 1, report.ToString());
        Assert.Equal(CheckStatus.Kink, report.At(0, 1)!.Status);
        // Detection off and no distances: the same entry is a plain failure.
        var blind = GradientCheck.Run(new ScalarFunction(loss.Value), z, Grad(loss, z));
        Assert.False(blind.Passed);
    }

    private static double[] Grad(IScoreLoss loss, double[] z) { var g = new double[z.Length]; loss.Gradient(z, g); return g; }
}
