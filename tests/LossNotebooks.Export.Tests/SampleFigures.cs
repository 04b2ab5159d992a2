using LossNotebooks.Differentiation;
using LossNotebooks.Figures;

namespace LossNotebooks.Export.Tests;

/// <summary>One figure of each kind from small, hand-made data (independent of other helpers' code).</summary>
internal static class SampleFigures
{
    public static readonly double[] Steps = Enumerable.Range(0, 15).Select(k => Math.Pow(10, -k)).ToArray();

    /// <summary>Measured errors of d/dx sin at x = 1 for two rules, plus their theory lines: 2 measured (stars as markers) + 2 theory + 1 slope-guide trace.</summary>
    public static Figure VCurve()
    {
        double exact = Math.Cos(1);
        double Err(DifferenceRule r, double h) => Math.Abs(FiniteDifference.Derivative(Math.Sin, 1, r, h) - exact);
        var fwd = new Series("forward", Steps, Steps.Select(h => Err(DifferenceRule.Forward, h)).ToArray());
        var cen = new Series("central", Steps, Steps.Select(h => Err(DifferenceRule.Central, h)).ToArray());
        const double eps = 2.2e-16;
        var tf = new Series("forward theory", Steps, Steps.Select(h => Math.Sin(1) / 2 * h + 2 * eps / h).ToArray());
        var tc = new Series("central theory", Steps, Steps.Select(h => Math.Cos(1) / 6 * h * h + eps / h).ToArray());
        return Plots.FiniteDifferenceError([fwd, cen], [tf, tc], title: "d/dx sin(x) at x = 1");
    }

    public static Figure Convergence()
    {
        var it = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var gd = new ConvergenceSeries("gradient descent", it, it.Select(i => 2.3 * Math.Exp(-i / 12) + 0.05).ToArray(), it.Select(i => 0.1 + 0.85 * (1 - Math.Exp(-i / 10))).ToArray())
        {
            LossLower = it.Select(i => 0.8 * (2.3 * Math.Exp(-i / 12) + 0.05)).ToArray(),
            LossUpper = it.Select(i => 1.25 * (2.3 * Math.Exp(-i / 12) + 0.05)).ToArray(),
        };
        var sgd = new ConvergenceSeries("mini-batch SGD", it, it.Select(i => 2.3 * Math.Exp(-i / 8) + 0.08 + 0.03 * Math.Sin(i)).ToArray(), it.Select(i => 0.1 + 0.8 * (1 - Math.Exp(-i / 7))).ToArray());
        return Plots.Convergence([gd, sgd], title: "Softmax regression on digits");
    }

    public static (double[] Analytic, double[] Numeric) GradientPairs()
    {
        var rng = new Random(7);
        var a = Enumerable.Range(0, 40).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var n = a.Select(v => v * (1 + 1e-7 * (rng.NextDouble() - 0.5))).ToArray();
        return (a, n);
    }

    public static Figure GradientCheck()
    {
        var (a, n) = GradientPairs();
        return Plots.GradientCheck(a, n);
    }

    /// <summary>Softmax cross-entropy Hessian diag(p) − p pᵀ for p = softmax([1, 0.5, −0.3, 0]).</summary>
    public static double[] SoftmaxHessian(out int c)
    {
        double[] z = [1, 0.5, -0.3, 0];
        c = z.Length;
        double s = z.Sum(Math.Exp);
        var p = z.Select(v => Math.Exp(v) / s).ToArray();
        var h = new double[c * c];
        for (int i = 0; i < c; i++)
            for (int j = 0; j < c; j++)
                h[i * c + j] = (i == j ? p[i] : 0) - p[i] * p[j];
        return h;
    }

    public static Figure Hessian()
    {
        var h = SoftmaxHessian(out int c);
        return Plots.HessianHeatmap(h, c, ["cat", "dog", "bird", "fish"]);
    }

    public static Figure Slice1D()
    {
        var t = Enumerable.Range(0, 81).Select(i => -2 + i * 0.05).ToArray();
        return Plots.LossSlice1D(t, t.Select(v => Math.Log(1 + Math.Exp(-(1 + v))) + 0.1 * v * v).ToArray());
    }

    public static Figure Landscape2D()
    {
        var x = Enumerable.Range(0, 41).Select(i => -2 + i * 0.1).ToArray();
        var y = Enumerable.Range(0, 31).Select(i => -1.5 + i * 0.1).ToArray();
        var z = new double[x.Length * y.Length];
        for (int r = 0; r < y.Length; r++)
            for (int c = 0; c < x.Length; c++)
                z[r * x.Length + c] = 0.5 * x[c] * x[c] + 2 * y[r] * y[r] + 0.3 * x[c] * y[r];
        double[] px = [1.8, 1.2, 0.7, 0.35, 0.1], py = [1.3, 0.5, 0.15, 0.03, 0.0];
        return Plots.LossLandscape2D(x, y, z, pathX: px, pathY: py, title: "Quadratic bowl with a GD path");
    }

    public static readonly double[] ExplorerSteps = [1, 0.5, 0.1, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12];

    public static Figure Explorer() =>
        Plots.StepSizeExplorer(Math.Exp, 0.5, Math.Exp(0.5), ExplorerSteps, DifferenceRule.Forward, halfWidth: 1.2, functionLabel: "exp(x)");

    public static IEnumerable<(string Name, Figure Figure)> All()
    {
        yield return ("v-curve", VCurve());
        yield return ("convergence", Convergence());
        yield return ("gradient-check", GradientCheck());
        yield return ("hessian", Hessian());
        yield return ("slice-1d", Slice1D());
        yield return ("landscape-2d", Landscape2D());
        yield return ("step-explorer", Explorer());
    }
}
