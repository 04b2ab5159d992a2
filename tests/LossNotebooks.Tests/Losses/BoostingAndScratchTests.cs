using System.Buffers;
using LossNotebooks.Losses;
using static LossNotebooks.Tests.Losses.Expect;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// Guards of the boosting curvature measures that Stryker's second Losses run found untested, and a kernel whose heap
/// scratch comes back dirty from the shared pool.
/// </summary>
public class BoostingAndScratchTests
{
    [Fact]
    public void Curvature_measures_reject_an_empty_diagonal_and_non_finite_blocks_or_gradients()
    {
        double[] h = [2, 1, 1, 2], d = [2, 2];
        Throws("diagonal", () => BoostingObjective.CurvatureRatios([], []));
        Throws("diagonal", () => BoostingObjective.StepCurvatureRatio([], [], []));
        Throws("rowHessian", () => BoostingObjective.CurvatureRatios([2, double.NaN, 1, 2], d));
        Throws("rowHessian", () => BoostingObjective.StepCurvatureRatio([2, 1, double.PositiveInfinity, 2], d, [1, -1]));
        Throws("rowHessian", () => BoostingObjective.StepCurvatureRatio([2, 1, 1], d, [1, -1]));
        Throws("diagonal", () => BoostingObjective.StepCurvatureRatio(h, [2, 0], [1, -1]));
        Throws("gradient", () => BoostingObjective.StepCurvatureRatio(h, d, [1, double.NaN]));
    }

    [Fact]
    public void Brier_with_labels_does_not_depend_on_what_the_pool_hands_back()
    {
        // c = 300: the kernel's 3c scratch (softmax, one-hot row, ones) is rented from ArrayPool<double>.Shared. Returning
        // an array of the same size class filled with 7 first makes this thread's next rent of that size class likely to
        // get it back: the one-hot row must be cleared before use, or a label row reads 7s.
        const int n = 3, c = 300;
        var r = new Random(8);
        var z = Enumerable.Range(0, n * c).Select(_ => r.NextDouble() - 0.5).ToArray();
        int[] labels = [0, 150, 299];
        var clean = new double[n * c];
        double cleanValue = WeightedBrier.Kernel(z, c, labels, default, clean, Span<double>.Empty, 1.0);
        // Reference value: Σ_i Σ_j (p_ij − [j = y_i])², p the row's softmax (unit weights).
        double reference = 0;
        for (int i = 0; i < n; i++)
        {
            var p = SoftmaxOf(z.AsSpan(i * c, c));
            for (int j = 0; j < c; j++) reference += Math.Pow(p[j] - (j == labels[i] ? 1 : 0), 2);
        }
        Assert.Equal(reference, cleanValue, reference * 1e-12);
        var junk = ArrayPool<double>.Shared.Rent(3 * c);
        junk.AsSpan().Fill(7);
        ArrayPool<double>.Shared.Return(junk);
        var dirty = new double[n * c];
        double dirtyValue = WeightedBrier.Kernel(z, c, labels, default, dirty, Span<double>.Empty, 1.0);
        Assert.Equal(cleanValue, dirtyValue);
        Assert.Equal(clean, dirty);
    }
}
