using LossNotebooks.Checks;
using LossNotebooks.Losses;
using LossNotebooks.Tests.Losses;

namespace LossNotebooks.Tests.Checks;

/// <summary>The checks run on every loss of the library (cases from the loss tests' seeded generator).</summary>
public class LossCheckTests
{
    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void Every_loss_gradient_passes_the_default_check(LossKind kind)
    {
        // Default central tolerance (atol 1e-6, rtol 1e-4) vs errors ≲ 1e-8 on these small cases (see
        // DerivativeCheckTests). Hinge/WARP cases keep margins ≥ 0.02 from kinks, so no entry should be a kink either.
        var r = new Random(3000 + (int)kind);
        for (int t = 0; t < 200; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            var report = GradientCheck.Run(loss, z);
            Assert.True(report.Passed, report.ToString());
            Assert.Equal(0, report.Kinks);
        }
    }

    [Theory]
    [MemberData(nameof(LossCases.Smooth), MemberType = typeof(LossCases))]
    public void Complex_capable_losses_pass_the_complex_step_check(LossKind kind)
    {
        // Complex step: no cancellation, so the analytic gradient must match to atol 1e-12 / rtol 1e-10.
        var r = new Random(4000 + (int)kind);
        for (int t = 0; t < 200; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            if (loss is not IComplexScoreLoss) continue;
            var report = GradientCheck.Run(loss, z, new CheckOptions { UseComplexStep = true });
            Assert.True(report.Passed, report.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void Every_loss_Hessian_diagonal_and_row_blocks_pass(LossKind kind)
    {
        var r = new Random(5000 + (int)kind);
        for (int t = 0; t < 100; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            var diag = HessianCheck.Diagonal(loss, z);
            Assert.True(diag.Passed, diag.ToString());
            for (int row = 0; row < loss.Rows; row++)
            {
                var block = HessianCheck.RowBlock(loss, z, row);
                Assert.True(block.Passed, block.ToString());
            }
        }
    }
}
