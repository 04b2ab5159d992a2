using FsCheck;
using FsCheck.Xunit;
using LossNotebooks.Checks;

namespace LossNotebooks.Tests.Checks;

/// <summary>
/// FsCheck properties of the check itself on f(x) = Σ_k c_k·sin(x_k) + ½(Σ x_k)² with generated coefficients and points.
/// Inputs are bounded (|x|, |c| ≤ 10) so |f| ≲ 10³ and |f'''| ≲ 10: central error ≲ 1e-10·10³ = 1e-7 < atol 1e-6.
/// </summary>
public class GradientCheckProperties
{
    private static double Bounded(NormalFloat v) => Math.Clamp(v.Get, -10, 10);

    [Property(MaxTest = 300)]
    public bool Correct_gradient_passes(NormalFloat x0, NormalFloat x1, NormalFloat x2, NormalFloat c0, NormalFloat c1)
    {
        double[] x = [Bounded(x0), Bounded(x1), Bounded(x2)];
        double[] c = [Bounded(c0), Bounded(c1), 1.0];
        double F(ReadOnlySpan<double> v) { double s = 0, t = 0; for (int k = 0; k < 3; k++) { s += c[k] * Math.Sin(v[k]); t += v[k]; } return s + 0.5 * t * t; }
        double sum = x.Sum();
        var g = Enumerable.Range(0, 3).Select(k => c[k] * Math.Cos(x[k]) + sum).ToArray();
        return GradientCheck.Run(F, x, g).Passed;
    }

    [Property(MaxTest = 300)]
    public bool An_entry_off_by_more_than_the_tolerance_fails(NormalFloat x0, NormalFloat x1, PositiveInt which)
    {
        double[] x = [Bounded(x0), Bounded(x1)];
        double F(ReadOnlySpan<double> v) => Math.Exp(0.1 * v[0]) * v[1] + v[1] * v[1];
        double[] g = [0.1 * Math.Exp(0.1 * x[0]) * x[1], Math.Exp(0.1 * x[0]) + 2 * x[1]];
        int k = which.Get % 2;
        g[k] += 1e-3 + 1e-2 * Math.Abs(g[k]); // ≥ 100× above atol + rtol·|n| = 1e-6 + 1e-4·|n| for any |n| (the boundary itself: CheckBoundaryTests)
        var report = GradientCheck.Run(F, x, g);
        return !report.Passed && report.Worst[0].Index == k;
    }
}
