using static LossNotebooks.Tests.Losses.Expect;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// The multiclass hinge's vectorised kernel and readable reference: class counts on both sides of every SIMD width
/// and of the 256-entry stack buffer against a loop written here, guards, outputs that start dirty, kink distances.
/// </summary>
public class HingeKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(40)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(300)]
    public void Kernel_matches_the_formula_at_every_class_count(int c)
    {
        // Scores are halves in [−2, 2], Δ ∈ {0, 0.5, 1} and weights quarters: many margins are exactly 0 (the strict
        // convention is exercised on the SIMD lanes and the scalar tail alike), and every sum is exact in binary
        // floating point whatever its order, so the kernel must agree with the loop exactly.
        var r = new Random(100 + c);
        const int n = 3;
        var z = Enumerable.Range(0, n * c).Select(_ => r.Next(-4, 5) * 0.5).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
        var w = Enumerable.Range(0, n).Select(_ => r.Next(1, 9) * 0.25).ToArray();
        foreach (double delta in new[] { 0.0, 0.5, 1.0 })
        {
            double expected = 0;
            var expectedG = new double[n * c];
            for (int i = 0; i < n; i++)
            {
                int y = labels[i];
                for (int j = 0; j < c; j++)
                {
                    if (j == y) continue;
                    double m = delta + z[i * c + j] - z[i * c + y];   // Σ_{j≠y} w max(0, m); slope w·[m > 0]
                    expected += w[i] * Math.Max(0, m);
                    if (m > 0) { expectedG[i * c + j] += w[i]; expectedG[i * c + y] -= w[i]; }
                }
            }
            var g = Enumerable.Repeat(7.0, n * c).ToArray();
            Assert.Equal(expected, MulticlassHinge.Kernel(z, c, labels, w, delta, g));
            Assert.Equal(expectedG, g);
            Assert.Equal(expected, MulticlassHinge.Kernel(z, c, labels, w, delta, default));
            Assert.Equal(expected / 2, MulticlassHinge.Kernel(z, c, labels, w, delta, g, scale: 0.5));
            Assert.Equal(expectedG.Select(v => v / 2), g);
        }
    }

    [Fact]
    public void Kernel_rejects_bad_input()
    {
        double[] z = [0.5, 0, 0, 0.25];
        int[] labels = [0, 1];
        var g = new double[4];
        Throws("scores", () => MulticlassHinge.Kernel([0.5, double.NaN, 0, 0.25], 2, labels, default, 1.0, g));
        Throws("scores", () => MulticlassHinge.Kernel(z, 3, labels, default, 1.0, g));
        Throws("rowWeights", () => MulticlassHinge.Kernel(z, 2, labels, [1.0, -1.0], 1.0, g));
        Throws("rowWeights", () => MulticlassHinge.Kernel(z, 2, labels, [1.0], 1.0, g));
        Throws("gradient", () => MulticlassHinge.Kernel(z, 2, labels, default, 1.0, new double[3]));
        Throws("scale", () => MulticlassHinge.Kernel(z, 2, labels, default, 1.0, g, scale: -1));
    }

    [Fact]
    public void Reference_gradient_rejects_bad_input_and_overwrites_a_dirty_buffer()
    {
        // cs231n's example: scores (3.2, 5.1, −1.7), true class 0, Δ = 1: only class 1 violates (m = 2.9).
        var g = new double[] { 7, 7, 7 };
        MulticlassHinge.ReferenceGradient([3.2, 5.1, -1.7], 3, [0], default, 1.0, g);
        Assert.Equal([-1.0, 1.0, 0.0], g);
        Throws("scores", () => MulticlassHinge.ReferenceGradient([3.2, double.NaN, -1.7], 3, [0], default, 1.0, g));
        Throws("margin", () => MulticlassHinge.ReferenceGradient([3.2, 5.1, -1.7], 3, [0], default, -1.0, g));
        Throws("gradient", () => MulticlassHinge.ReferenceGradient([3.2, 5.1, -1.7], 3, [0], default, 1.0, Span<double>.Empty));
    }

    [Fact]
    public void Diagonal_hessian_is_zero_even_when_the_buffer_starts_dirty()
    {
        var hinge = new MulticlassHinge([0], 3);
        var d = new[] { double.NaN, 7, -7 };
        hinge.DiagonalHessian([3.2, 5.1, -1.7], d);
        Assert.Equal([0.0, 0.0, 0.0], d);
    }

    [Fact]
    public void Kink_distances_are_the_margin_distances()
    {
        // Same hand example as WARP's: Δ = 1, row 0 (label 0) → 0.5, 0.5, 2; row 1 (label 2) → 0.75 everywhere.
        double[] z = [2, 0.5, 3, 0, 0, 0.25];
        var d = Enumerable.Repeat(double.NaN, 6).ToArray();
        var hinge = new MulticlassHinge([0, 2], 3);
        hinge.KinkDistances(z, d);
        Assert.Equal([0.5, 0.5, 2, 0.75, 0.75, 0.75], d);
        Throws("scores", () => hinge.KinkDistances([2, 0.5, 3, 0, double.PositiveInfinity, 0.25], d));
    }
}
