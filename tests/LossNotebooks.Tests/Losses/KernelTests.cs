using static LossNotebooks.Tests.Losses.Expect;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>The span kernels against straightforward per-entry formulas, on sizes that take the parallel path.</summary>
public class KernelTests
{
    // 3000 × 40 = 120 000 entries: above the 65 536-entry parallel threshold, split into several chunks.
    private const int N = 3000, C = 40;

    private static (double[] Z, int[] Labels, double[] RowWeights, double[] Soft) Data(int seed)
    {
        var r = new Random(seed);
        var z = Enumerable.Range(0, N * C).Select(_ => LossCases.Uniform(r, -6, 6)).ToArray();
        var labels = Enumerable.Range(0, N).Select(_ => r.Next(C)).ToArray();
        var w = Enumerable.Range(0, N).Select(_ => LossCases.Uniform(r, 0, 2)).ToArray();
        var soft = new double[N * C];
        for (int i = 0; i < N; i++) LossCases.SoftRow(r, soft.AsSpan(i * C, C));
        return (z, labels, w, soft);
    }


    [Fact]
    public void Cross_entropy_kernel_matches_per_entry_formulas_and_is_bitwise_repeatable()
    {
        var (z, labels, w, soft) = Data(21);
        var g = new double[N * C]; var d = new double[N * C];
        double value = SoftmaxCrossEntropy.Kernel(z, C, labels, w, g, d);
        double expected = 0;
        for (int i = 0; i < N; i++)
        {
            var p = SoftmaxOf(z.AsSpan(i * C, C));
            expected += w[i] * -Math.Log(p[labels[i]]);
            for (int j = 0; j < C; j++)
            {
                Assert.Equal(w[i] * (p[j] - (j == labels[i] ? 1 : 0)), g[i * C + j], 1e-14);
                Assert.Equal(w[i] * p[j] * (1 - p[j]), d[i * C + j], 1e-14);
            }
        }
        // The sum of 3000 terms of size ≲ 20: rounding ≲ 3000·20·ε ≈ 1e-11, relative 1e-14; 1e-12 relative is safe.
        Assert.Equal(expected, value, 1e-12 * expected);

        var g2 = new double[N * C]; var d2 = new double[N * C];
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(SoftmaxCrossEntropy.Kernel(z, C, labels, w, g2, d2)));
        Assert.Equal(g, g2);
        Assert.Equal(d, d2);

        // Soft targets, no weights, value only / gradient only / diagonal only agree with the fused call.
        var gs = new double[N * C]; var ds = new double[N * C];
        double vs = SoftmaxCrossEntropy.Kernel(z, C, soft, default, gs, ds);
        Assert.Equal(vs, SoftmaxCrossEntropy.Kernel(z, C, soft, default, default, default));
        var gOnly = new double[N * C]; var dOnly = new double[N * C];
        SoftmaxCrossEntropy.Kernel(z, C, soft, default, gOnly, default);
        SoftmaxCrossEntropy.Kernel(z, C, soft, default, default, dOnly);
        Assert.Equal(gs, gOnly);
        Assert.Equal(ds, dOnly);
        // And the class gives the kernel's numbers.
        var loss = new SoftmaxCrossEntropy(soft, C);
        var gc = new double[N * C];
        Assert.Equal(vs, loss.Gradient(z, gc));
        Assert.Equal(gs, gc);
    }

    [Fact]
    public void Brier_kernel_matches_per_entry_formulas_on_the_parallel_path()
    {
        var (z, labels, _, soft) = Data(22);
        var r = new Random(23);
        var w = Enumerable.Range(0, N * C).Select(_ => LossCases.Uniform(r, 0, 2)).ToArray();
        var g = new double[N * C]; var d = new double[N * C];
        double value = WeightedBrier.Kernel(z, C, labels, w, g, d);
        double expected = 0;
        for (int i = 0; i < N; i++)
        {
            var p = SoftmaxOf(z.AsSpan(i * C, C));
            double S = 0, T = 0;
            var a = new double[C];
            for (int j = 0; j < C; j++)
            {
                double y = j == labels[i] ? 1 : 0, wj = w[i * C + j];
                a[j] = wj * (p[j] - y);
                expected += wj * (p[j] - y) * (p[j] - y);
                S += a[j] * p[j]; T += wj * p[j] * p[j];
            }
            for (int j = 0; j < C; j++)
            {
                double wj = w[i * C + j];
                Assert.Equal(2 * p[j] * (a[j] - S), g[i * C + j], 1e-14);
                Assert.Equal(2 * p[j] * (1 - p[j]) * (a[j] - S) + 2 * p[j] * p[j] * (wj * (1 - 2 * p[j]) - a[j] + T + S), d[i * C + j], 1e-14);
            }
        }
        Assert.Equal(expected, value, 1e-12 * expected);
        var loss = new WeightedBrier(labels, C, w);
        var gc = new double[N * C]; var dc = new double[N * C];
        Assert.Equal(value, loss.GradientAndDiagonalHessian(z, gc, dc));
        Assert.Equal(g, gc);
        Assert.Equal(d, dc);
        Assert.Equal(WeightedBrier.Kernel(z, C, soft, default, default, default), new WeightedBrier(soft, C).Value(z));
    }

    [Fact]
    public void Large_class_counts_use_pooled_scratch_and_agree_with_the_class()
    {
        // c = 300 > the 256-entry stack buffer.
        var r = new Random(24);
        int n = 7, c = 300;
        var z = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, -5, 5)).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
        double expected = 0;
        for (int i = 0; i < n; i++) expected -= Math.Log(SoftmaxOf(z.AsSpan(i * c, c))[labels[i]]);
        Assert.Equal(expected, new SoftmaxCrossEntropy(labels, c).Value(z), 1e-12 * expected);
        Assert.Equal(MulticlassHinge.ReferenceValue(z, c, labels, default, 1.0), new MulticlassHinge(labels, c).Value(z), 1e-10);
        double brier = 0;
        for (int i = 0; i < n; i++)
        {
            var p = SoftmaxOf(z.AsSpan(i * c, c));
            for (int j = 0; j < c; j++) brier += (p[j] - (j == labels[i] ? 1 : 0)) * (p[j] - (j == labels[i] ? 1 : 0));
        }
        Assert.Equal(brier, new WeightedBrier(labels, c).Value(z), 1e-12 * brier);
    }

    [Fact]
    public void Elementwise_kernel_matches_the_classes()
    {
        var r = new Random(25);
        var z = Enumerable.Range(0, 60).Select(_ => LossCases.Uniform(r, -4, 4)).ToArray();
        var t = Enumerable.Range(0, 60).Select(_ => r.NextDouble()).ToArray();
        var w = Enumerable.Range(0, 20).Select(_ => LossCases.Uniform(r, 0, 2)).ToArray();
        var g1 = new double[60]; var g2 = new double[60]; var d1 = new double[60]; var d2 = new double[60];
        double v1 = Elementwise.Kernel(new FocalElement(1.5), z, t, 3, w, g1, d1);
        var focal = new Focal(t, 3, 1.5, w);
        Assert.Equal(v1, focal.GradientAndDiagonalHessian(z, g2, d2));
        Assert.Equal(g1, g2);
        Assert.Equal(d1, d2);
    }
}

/// <summary>The hot path (value, gradient, diagonal on a single-chunk problem) allocates nothing on the managed heap.</summary>
public class AllocationTests
{
    [Fact]
    public void Smooth_and_hinge_losses_do_not_allocate_per_call()
    {
        var r = new Random(71);
        int n = 50, c = 10;
        var z = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, -3, 3)).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
        var t = Enumerable.Range(0, n * c).Select(_ => r.NextDouble()).ToArray();
        var soft = new double[n * c];
        for (int i = 0; i < n; i++) LossCases.SoftRow(r, soft.AsSpan(i * c, c));
        ScoreLoss[] losses =
        [
            new SoftmaxCrossEntropy(labels, c), new SoftmaxCrossEntropy(soft, c), new WeightedBrier(labels, c), new WeightedBrier(soft, c),
            new MulticlassHinge(labels, c), new BinaryLogistic(t, c), new SquaredError(t, c), new Huber(t, c), new Focal(t, c),
        ];
        var g = new double[n * c]; var d = new double[n * c];
        foreach (var loss in losses)
        {
            loss.GradientAndDiagonalHessian(z, g, d); // warm up (JIT, static state)
            // A per-call allocation shows in every round; a one-off runtime event under load does not.
            long least = long.MaxValue;
            for (int round = 0; round < 5 && least > 0; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                loss.Value(z);
                loss.Gradient(z, g);
                loss.DiagonalHessian(z, d);
                loss.GradientAndDiagonalHessian(z, g, d);
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.True(least == 0, $"{loss.Name} allocated {least} bytes in every one of five rounds");
        }
    }
}
