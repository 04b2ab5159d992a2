using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Checks;

public class GradientCheckTests
{
    // f(x) = Σ_k log(1 + exp(a_k x_k)) + ½ Σ_k x_k x_(k+1): smooth, coupled, gradient written by hand below.
    private static double[] A(int m) => Enumerable.Range(0, m).Select(k => 0.5 + 0.25 * k).ToArray();

    private static double Smooth(ReadOnlySpan<double> x)
    {
        var a = A(x.Length);
        double s = 0;
        for (int k = 0; k < x.Length; k++) s += Math.Log(1 + Math.Exp(a[k] * x[k]));
        for (int k = 0; k + 1 < x.Length; k++) s += 0.5 * x[k] * x[k + 1];
        return s;
    }

    private static double[] SmoothGradient(double[] x)
    {
        var a = A(x.Length);
        var g = new double[x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            g[k] = a[k] / (1 + Math.Exp(-a[k] * x[k]));
            if (k > 0) g[k] += 0.5 * x[k - 1];
            if (k + 1 < x.Length) g[k] += 0.5 * x[k + 1];
        }
        return g;
    }

    private static double[] RandomX(Random r, int m) => Enumerable.Range(0, m).Select(_ => r.NextDouble() * 6 - 3).ToArray();

    [Fact]
    public void Correct_gradient_passes_on_many_random_inputs()
    {
        // Default tolerance (central: atol 1e-6, rtol 1e-4) vs an expected error ≲ 1e-9 here (|f| ≲ 30, |f'''| ≲ 1).
        var r = new Random(1);
        foreach (var rule in new[] { DifferenceRule.Central, DifferenceRule.FivePointCentral, DifferenceRule.Forward, DifferenceRule.Backward })
            for (int t = 0; t < 200; t++)
            {
                var x = RandomX(r, 6);
                var report = GradientCheck.Run(Smooth, x, SmoothGradient(x), new CheckOptions { Rule = rule });
                Assert.True(report.Passed, report.ToString());
                Assert.Equal(0, report.Kinks);
                Assert.Equal(6, report.Entries.Count);
                // cs231n's "good" (1e-7) for the median; the max can be larger where an entry is tiny (|a| ~ 1e-5: an
                // absolute error of 1e-11 is a relative 1e-6) — that is what atol is for.
                if (rule == DifferenceRule.Central)
                    Assert.True(report.MedianRelativeError < 1e-7 && report.MaxAbsoluteError < 1e-8, report.ToString());
            }
    }

    [Fact]
    public void Sign_flip_fails_every_entry()
    {
        var x = RandomX(new Random(2), 6);
        var wrong = SmoothGradient(x).Select(g => -g).ToArray();
        var report = GradientCheck.Run(Smooth, x, wrong);
        Assert.False(report.Passed);
        Assert.Equal(6, report.Failures);
        Assert.Equal(2.0, report.MedianRelativeError, 6); // |a − (−a)| / max(|a|, |−a|) = 2
        Assert.Contains("FAIL", report.ToString());
    }

    [Fact]
    public void One_entry_off_is_found_with_its_row_and_column()
    {
        // A 3×4 matrix flattened row-major; entry (1, 2) = flat 6 is off by 1e-3 (relative ~1e-3 — a subtle slip).
        var x = RandomX(new Random(3), 12);
        var wrong = SmoothGradient(x);
        wrong[6] += 1e-3;
        var report = GradientCheck.Run(Smooth, x, wrong, new CheckOptions { Columns = 4, WorstCount = 3 });
        Assert.False(report.Passed);
        Assert.Equal(1, report.Failures);
        var worst = report.Worst[0];
        Assert.Equal((6, 1, 2, CheckStatus.Fail), (worst.Index, worst.Row, worst.Column, worst.Status));
        Assert.Equal(1e-3, worst.AbsoluteError, 8);
        Assert.Equal(3, report.Worst.Count);
        Assert.Contains("[1,2]", report.ToString());
        // Fixed-width table: header, rule and the 3 rows have one width.
        var table = report.ToString().Split('\n').SkipWhile(l => !l.StartsWith("entry")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(5, table.Length);
        Assert.Single(table.Select(l => l.Length).Distinct());
        Assert.Contains("<table", report.ToHtml());
        Assert.Equal(CheckStatus.Pass, report.At(0, 0)!.Status);
    }

    [Fact]
    public void Sampled_check_is_reproducible_and_checks_k_entries()
    {
        var x = RandomX(new Random(4), 50);
        var g = SmoothGradient(x);
        var o = new CheckOptions { SampleSize = 7, Seed = 9 };
        var a = GradientCheck.Run(Smooth, x, g, o);
        var b = GradientCheck.Run(Smooth, x, g, o);
        Assert.Equal(7, a.Entries.Count);
        Assert.Equal(50, a.TotalEntries);
        Assert.Equal(a.ToString(), b.ToString());
        Assert.Equal(a.ToHtml(), b.ToHtml());
        var c = GradientCheck.Run(Smooth, x, g, o with { Seed = 10 });
        Assert.NotEqual(a.Entries.Select(e => e.Index), c.Entries.Select(e => e.Index));
        // A wrong entry outside the sample is not seen; inside it, it is.
        var wrong = (double[])g.Clone();
        int inside = a.Entries[3].Index;
        wrong[inside] *= 1.01;
        Assert.False(GradientCheck.Run(Smooth, x, wrong, o).Passed);
    }

    [Fact]
    public void Loss_gradient_check_with_difference_rule_and_complex_step()
    {
        var r = new Random(5);
        for (int t = 0; t < 100; t++)
        {
            int n = 4, c = 3;
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            var loss = new SoftmaxCrossEntropy(labels, c);
            var z = RandomX(r, n * c);
            var central = GradientCheck.Run(loss, z);
            Assert.True(central.Passed, central.ToString());
            var complex = GradientCheck.Run(loss, z, new CheckOptions { UseComplexStep = true });
            Assert.True(complex.Passed, complex.ToString());
            Assert.True(complex.MaxAbsoluteError <= 1e-14, complex.ToString());
            Assert.Equal(n * c, complex.Entries.Count);
            Assert.Equal(c - 1, complex.Entries[^1].Column);
        }
    }

    [Fact]
    public void Matrix_forms_for_notebooks()
    {
        // f(W) = ½‖W‖²_F + W[0,1]·W[1,0]: ∂f/∂W = W + swap term.
        var w = Matrix<double>.Build.Dense(2, 3, (i, j) => 0.3 * i - 0.7 * j + 0.1);
        double F(Matrix<double> m) => 0.5 * m.FrobeniusNorm() * m.FrobeniusNorm() + m[0, 1] * m[1, 0];
        var analytic = w.Clone();
        analytic[0, 1] += w[1, 0];
        analytic[1, 0] += w[0, 1];
        var report = GradientCheck.Run(F, w, analytic);
        Assert.True(report.Passed, report.ToString());
        var numeric = FiniteDifference.Gradient(F, w);
        Assert.True((numeric - analytic).Enumerate().All(v => Math.Abs(v) < 1e-8));
        var sample = FiniteDifference.GradientSample(F, w, 3, seed: 1);
        Assert.Equal(3, sample.Count);
        foreach (var (row, col, value) in sample) Assert.True(Math.Abs(value - analytic[row, col]) < 1e-8);
    }
}
