using LossNotebooks.Data;
using LossNotebooks.Differentiation;
using LossNotebooks.Optimization;

namespace LossNotebooks.Tests.Optimization;

public class NumericGradientTests
{
    /// <summary>
    /// Incremental (shift one score column, re-run the kernel) vs plain (re-evaluate L(W) per entry): the same rule, the
    /// same h, the same loss-summation order, so they differ only by the rounding of Z + o·X̃[:,i] versus X̃·(W + o·e_ik),
    /// a few ε·|z|. Divided by h that is ≲ ε·|z|/h; with h = 1e-3·max(|w|,1) and |z| ≲ 10 it is ~1e-12, far inside the
    /// required 1e-9 relative (to ‖plain‖∞). The theory step is checked as well for the central rules (h ≈ 6e-6 and 7e-4:
    /// ε·|z|/h ≲ 4e-10), not for the one-sided ones: their theory step √ε ≈ 1.5e-8 turns that same score rounding into
    /// ~1e-8 — the inherent noise of any forward difference at that step, in either method, not a disagreement of formulas.
    /// Hinge kinks: not avoided — both methods see the same function at the same points, so kink crossings agree too.
    /// </summary>
    [Theory]
    [InlineData(LinearLoss.Hinge, DifferenceRule.Central)]
    [InlineData(LinearLoss.Hinge, DifferenceRule.Forward)]
    [InlineData(LinearLoss.SoftmaxCrossEntropy, DifferenceRule.Central)]
    [InlineData(LinearLoss.SoftmaxCrossEntropy, DifferenceRule.FivePointCentral)]
    [InlineData(LinearLoss.Brier, DifferenceRule.Central)]
    [InlineData(LinearLoss.Brier, DifferenceRule.Backward)]
    public void Incremental_equals_plain_every_entry_method(LinearLoss loss, DifferenceRule rule)
    {
        var r = new Random(42);
        var steps = rule is DifferenceRule.Forward or DifferenceRule.Backward ? new StepSize?[] { StepSize.Relative(1e-3) } : [StepSize.Relative(1e-3), null];
        foreach (var step in steps)
            for (int t = 0; t < 20; t++)
            {
                var (model, w) = LinearClassifierTests.RandomProblem(r, loss);
                var plain = new double[w.Length];
                var incremental = new double[w.Length];
                LinearNumericGradient.Plain(model, w, plain, rule, step);
                LinearNumericGradient.Incremental(model, w, incremental, rule, step);
                double scale = plain.Max(Math.Abs);
                for (int e = 0; e < w.Length; e++)
                    Assert.True(Math.Abs(plain[e] - incremental[e]) <= 1e-9 * scale,
                        $"{loss} {rule} case {t} entry {e}: plain {plain[e]}, incremental {incremental[e]}");
            }
    }

    [Fact]
    public void Incremental_on_digits_matches_plain_and_the_analytic_gradient()
    {
        var split = Datasets.Load("digits").Split(0.25, 0).Standardized();
        var small = split.Train.Subset(Enumerable.Range(0, 60).ToArray());
        var model = new LinearClassifier(small, LinearLoss.SoftmaxCrossEntropy, 1e-2);
        var w = new double[model.Parameters];
        Gaussian.Fill(new Random(5), w, 0.01);
        var plain = new double[w.Length];
        var incremental = new double[w.Length];
        var analytic = new double[w.Length];
        LinearNumericGradient.Plain(model, w, plain);
        LinearNumericGradient.Incremental(model, w, incremental);
        model.ValueAndGradient(w, analytic);
        double scale = plain.Max(Math.Abs);
        for (int e = 0; e < w.Length; e++)
        {
            Assert.True(Math.Abs(plain[e] - incremental[e]) <= 1e-9 * scale, $"entry {e}: {plain[e]} vs {incremental[e]}");
            Assert.True(Math.Abs(analytic[e] - incremental[e]) <= 1e-7 * (1 + Math.Abs(analytic[e])), $"entry {e}: {analytic[e]} vs {incremental[e]}");
        }
    }
}
