using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Checks;

public class HessianCheckTests
{
    // f(x) = Σ exp(0.3 x_k) + x_0 x_1 x_2: Hessian by hand.
    private static double F(ReadOnlySpan<double> x)
    {
        double s = x[0] * x[1] * x[2];
        foreach (var v in x) s += Math.Exp(0.3 * v);
        return s;
    }

    private static void G(ReadOnlySpan<double> x, Span<double> g)
    {
        for (int k = 0; k < x.Length; k++) g[k] = 0.3 * Math.Exp(0.3 * x[k]);
        g[0] += x[1] * x[2]; g[1] += x[0] * x[2]; g[2] += x[0] * x[1];
    }

    private static double[] H(double[] x)
    {
        int m = x.Length;
        var h = new double[m * m];
        for (int k = 0; k < m; k++) h[k * m + k] = 0.09 * Math.Exp(0.3 * x[k]);
        h[0 * m + 1] = h[1 * m + 0] = x[2];
        h[0 * m + 2] = h[2 * m + 0] = x[1];
        h[1 * m + 2] = h[2 * m + 1] = x[0];
        return h;
    }

    [Fact]
    public void Correct_Hessian_passes_by_value_and_by_gradient()
    {
        var r = new Random(21);
        for (int t = 0; t < 200; t++)
        {
            var x = Enumerable.Range(0, 4).Select(_ => r.NextDouble() * 4 - 2).ToArray();
            var h = H(x);
            var diag = Enumerable.Range(0, 4).Select(k => h[k * 4 + k]).ToArray();
            Assert.True(HessianCheck.Diagonal(F, x, diag).Passed);
            var byGradient = HessianCheck.Full(F, x, h, G);
            Assert.True(byGradient.Passed, byGradient.ToString());
            // Differencing the gradient is the sharper check (central, ~1e-10) — cs231n's "good" range.
            Assert.True(byGradient.MaxAbsoluteError < 1e-8, byGradient.ToString());
            var byValue = HessianCheck.Full(F, x, h);
            Assert.True(byValue.Passed, byValue.ToString());
            Assert.Equal(16, byValue.Entries.Count);
        }
    }

    [Fact]
    public void Wrong_Hessian_entry_fails_at_its_position()
    {
        var x = new[] { 0.4, -1.1, 0.7, 1.3 };
        var h = H(x);
        h[1 * 4 + 2] += 1e-2; // only the upper triangle: an asymmetric slip
        var report = HessianCheck.Full(F, x, h, G);
        Assert.False(report.Passed);
        Assert.Equal(1, report.Failures);
        Assert.Equal((1, 2), (report.Worst[0].Row, report.Worst[0].Column));
    }

    [Fact]
    public void Loss_diagonal_and_row_blocks()
    {
        var r = new Random(22);
        for (int t = 0; t < 50; t++)
        {
            int n = 3, c = 4;
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            var loss = new SoftmaxCrossEntropy(labels, c);
            var z = Enumerable.Range(0, n * c).Select(_ => r.NextDouble() * 6 - 3).ToArray();
            var diag = HessianCheck.Diagonal(loss, z);
            Assert.True(diag.Passed, diag.ToString());
            for (int row = 0; row < n; row++)
            {
                var block = HessianCheck.RowBlock(loss, z, row);
                Assert.True(block.Passed, block.ToString());
                Assert.Equal(c * c, block.Entries.Count);
            }
        }
    }

    [Fact]
    public void Hinge_Hessian_is_zero_with_kinks_reported()
    {
        var loss = new MulticlassHinge([0, 2], 3);
        double[] z = [2.0, 0.0, -1.0, 0.4, -0.3, 1.5];
        z[1] = z[0] - 1 + 1e-7; // z[0,1] 1e-7 from its kink
        var report = HessianCheck.Diagonal(loss, z);
        Assert.True(report.Passed, report.ToString());
        Assert.True(report.Kinks >= 1, report.ToString());
        Assert.Equal(CheckStatus.Kink, report.At(0, 1)!.Status);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        var x = new[] { 0.4, -1.1, 0.7 };
        Assert.Equal("analyticHessian", Assert.ThrowsAny<ArgumentException>(() => HessianCheck.Full(F, x, new double[8])).ParamName);
        Assert.Equal("analyticDiagonal", Assert.ThrowsAny<ArgumentException>(() => HessianCheck.Diagonal(F, x, new double[2])).ParamName);
        var loss = new SoftmaxCrossEntropy([0, 1], 3);
        Assert.Equal("row", Assert.ThrowsAny<ArgumentException>(() => HessianCheck.RowBlock(loss, new double[6], 2)).ParamName);
        Assert.Equal("options", Assert.ThrowsAny<ArgumentException>(() => HessianCheck.Diagonal(loss, new double[6], new CheckOptions { UseComplexStep = true })).ParamName);
    }
}
