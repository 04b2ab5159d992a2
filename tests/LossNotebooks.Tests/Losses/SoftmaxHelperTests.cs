using System.Numerics;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// <see cref="Softmax"/>'s log-sum-exp and row softmax against hand values: lse(a, a + ln 3) = a + ln 4 for every a,
/// including a = ±800 where exp overflows to ∞ or underflows to 0 and the unshifted formula fails.
/// </summary>
public class SoftmaxHelperTests
{
    private static readonly double Ln3 = Math.Log(3), Ln4 = Math.Log(4);

    [Theory]
    [InlineData(0.0)]
    [InlineData(800.0)]     // exp(800) = ∞
    [InlineData(-800.0)]    // exp(−800) = 0
    public void LogSumExp_of_a_and_a_plus_ln3_is_a_plus_ln4(double a)
    {
        // Only the rounding of a + ln 3 and of the result: ≲ 2·ε·max(|a|, 1) ≈ 4e-13 at |a| = 800.
        double tol = 1e-15 * Math.Max(1, Math.Abs(a)) * 2;
        Assert.Equal(a + Ln4, Softmax.LogSumExp([a, a + Ln3]), tol);
        Assert.Equal(a + Ln4, Softmax.LogSumExp([a + Ln3, a]), tol);
        Complex c = Softmax.LogSumExp([new Complex(a, 0), new Complex(a + Ln3, 0)]);
        Assert.Equal(a + Ln4, c.Real, tol);
        Assert.Equal(0, c.Imaginary);
    }

    [Fact]
    public void LogSumExp_ignores_an_entry_a_thousand_below_the_rest_and_keeps_a_single_entry()
    {
        // e^−1000 / 4 is far below ε: the sum is ln 4 to the last bit; shifting by the minimum would overflow.
        Assert.Equal(Ln4, Softmax.LogSumExp([-1000, 0, Ln3]), 1e-15);
        Assert.Equal(Ln4, Softmax.LogSumExp([0, -1000, Ln3]), 1e-15);
        Assert.Equal(-7.5, Softmax.LogSumExp([-7.5]));
    }

    [Fact]
    public void Complex_LogSumExp_derivative_is_the_softmax()
    {
        // ∂lse/∂z_j = p_j: for (0, ln 3) that is (1/4, 3/4); the complex step reads it off Im(·)/h with no cancellation.
        const double h = 1e-20;
        Assert.Equal(0.25, Softmax.LogSumExp([new Complex(0, h), new Complex(Ln3, 0)]).Imaginary / h, 1e-15);
        Assert.Equal(0.75, Softmax.LogSumExp([new Complex(800, 0), new Complex(800 + Ln3, h)]).Imaginary / h, 1e-12);
    }

    [Fact]
    public void Row_returns_the_log_sum_exp_and_writes_the_probabilities()
    {
        var p = new double[2];
        Assert.Equal(Ln4, Softmax.Row([0, Ln3], p), 1e-15);
        Assert.Equal(0.25, p[0], 1e-15);
        Assert.Equal(0.75, p[1], 1e-15);
        Assert.Equal(800 + Ln4, Softmax.Row([800 + Ln3, 800], p), 1e-12);
        Assert.Equal(0.75, p[0], 1e-12);
    }
}

/// <summary>What tables, legends and consumers of <see cref="IScoreLoss.IsSmooth"/> read off the two softmax losses.</summary>
public class SoftmaxLossDescriptionTests
{
    [Fact]
    public void Softmax_losses_are_smooth_and_named_in_their_descriptions()
    {
        IScoreLoss ce = new SoftmaxCrossEntropy([0.25, 0.75, 1, 0, 0.5, 0.5], 2, reduction: Reduction.Mean);
        IScoreLoss brier = new WeightedBrier([0, 2], 3);
        Assert.True(ce.IsSmooth);
        Assert.True(brier.IsSmooth);
        Assert.Equal("softmax cross-entropy (n = 3, c = 2, Mean)", ce.ToString());
        Assert.Equal("weighted Brier (n = 2, c = 3, Sum)", brier.ToString());
    }
}
