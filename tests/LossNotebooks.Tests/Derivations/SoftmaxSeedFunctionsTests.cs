using LossNotebooks.Derivations;
using static LossNotebooks.Derivations.SoftmaxSeedFunctions;

namespace LossNotebooks.Tests.Derivations;

/// <summary>The functions of the logits behind seed 001's lines, on a two-row input whose softmax is known exactly.</summary>
public class SoftmaxSeedFunctionsTests
{
    // Logits (ln 3, 0) and (0, ln 3) → σ = (3/4, 1/4) and (1/4, 3/4). Targets (1, 0) and (1/2, 1/2); weights (1, 2), (1, 1).
    private static StepInput Two() =>
        new(2, 2, [Math.Log(3), 0, 0, Math.Log(3)], [1, 0, 0.5, 0.5], [1, 2, 1, 1], 0, 0, 0, 0, 0, TargetKind.Soft);

    [Fact]
    public void Kullback_leibler_skips_zero_targets()
    {
        var s = Two();
        // Row 0: 1·log(1/(3/4)) = log(4/3), the 0·log 0 term is 0. Row 1: ½ log(½/¼) + ½ log(½/¾) = ½ log(4/3).
        Assert.Equal(1.5 * Math.Log(4.0 / 3), KullbackLeibler(s, s.Logits), 14);
    }

    [Fact]
    public void Brier_is_the_weighted_sum_of_squared_residuals()
    {
        var s = Two();
        // Row 0: (3/4 − 1)²·1 + (1/4)²·2 = 3/16. Row 1: (1/4 − 1/2)² + (3/4 − 1/2)² = 2/16.
        Assert.Equal(5.0 / 16, Brier(s, s.Logits), 14);
        // a_kl = (σ_kl − y_kl) w_kl: (3/4 − 1)·1 and (1/4 − 0)·2.
        Assert.Equal(-0.25, BrierResidual(s, s.Logits, 0, 0), 14);
        Assert.Equal(0.5, BrierResidual(s, s.Logits, 0, 1), 14);
    }
}
