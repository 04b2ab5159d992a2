using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

public class LossPropertiesTests
{
    /// <summary>
    /// IsSmooth tells the derivative checkers whether a disagreement can be a kink (hinge, WARP) rather than a bug;
    /// Huber is smooth (C¹, only ℓ'' jumps). Names label check reports and notebook tables, with the loss's parameter.
    /// Integer parameters keep the names culture-independent.
    /// </summary>
    [Fact]
    public void Each_loss_declares_its_smoothness_and_names_itself_with_its_parameter()
    {
        (IScoreLoss Loss, bool Smooth, string Name)[] cases =
        [
            (new SoftmaxCrossEntropy([0], 2), true, "softmax cross-entropy"),
            (new WeightedBrier([0], 2), true, "weighted Brier"),
            (new BinaryLogistic([1.0]), true, "binary logistic"),
            (new SquaredError([1.0]), true, "squared error"),
            (new Huber([1.0], delta: 2), true, "Huber (δ = 2)"),
            (new Focal([1.0], gamma: 3), true, "focal (γ = 3)"),
            (new MulticlassHinge([0], 2, margin: 2), false, "multiclass hinge (Δ = 2)"),
            (new WarpLoss([0], 2, seed: 1, margin: 2, rankWeight: WarpRankWeight.Log), false, "WARP (Log, Δ = 2)"),
        ];
        foreach (var (loss, smooth, name) in cases)
        {
            Assert.Equal(smooth, loss.IsSmooth);
            Assert.Equal(name, loss.Name);
        }
    }
}
