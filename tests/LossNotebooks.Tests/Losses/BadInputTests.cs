using static LossNotebooks.Tests.Losses.Expect;
using System.Numerics;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Losses;

/// <summary>Every public entry point rejects bad input with an ArgumentException naming the parameter.</summary>
public class BadInputTests
{
    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void Loss_methods_reject_bad_scores_and_buffers(LossKind kind)
    {
        var (loss, z) = LossCases.Create(kind, new Random(51 + (int)kind));
        int m = z.Length, c = loss.Classes;
        var ok = new double[m];
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var zb = z.ToArray();
            zb[m - 1] = bad;
            Throws("scores", () => loss.Value(zb));
            Throws("scores", () => loss.Gradient(zb, ok));
            Throws("scores", () => loss.DiagonalHessian(zb, ok));
            Throws("scores", () => loss.RowHessian(zb, 0, new double[c * c]));
            if (loss is IComplexScoreLoss cl)
            {
                var zc = z.Select(x => new Complex(x, 0)).ToArray();
                zc[0] = new Complex(bad, 0);
                Throws("scores", () => cl.Value(zc));
            }
        }
        Throws("scores", () => loss.Value(z.AsSpan(1).ToArray()));
        Throws("scores", () => loss.Value(Array.Empty<double>()));
        Throws("gradient", () => loss.Gradient(z, new double[m + 1]));
        Throws("diagonal", () => loss.DiagonalHessian(z, new double[m - 1]));
        Throws("row", () => loss.RowHessian(z, loss.Rows, new double[c * c]));
        Throws("row", () => loss.RowHessian(z, -1, new double[c * c]));
        Throws("block", () => loss.RowHessian(z, 0, new double[c]));
        if (loss is ScoreLoss sl)
        {
            Throws("gradient", () => sl.GradientAndDiagonalHessian(z, new double[1], ok));
            Throws("diagonal", () => sl.GradientAndDiagonalHessian(z, ok, new double[1]));
        }
        Throws("scores", () => loss.Value(Matrix<double>.Build.Dense(loss.Rows + 1, c)));
        Throws("scores", () => loss.Gradient(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(m + 1)));
    }

    [Fact]
    public void Constructors_reject_bad_targets_weights_and_parameters()
    {
        // Labels: out of range, negative, empty (zero rows), too few classes.
        Throws("labels", () => new SoftmaxCrossEntropy([0, 3], 3));
        Throws("labels", () => new WeightedBrier([-1], 3));
        Throws("labels", () => new MulticlassHinge([], 3));
        Throws("labels", () => new WarpLoss([5], 3, seed: 1));
        Throws("classes", () => new SoftmaxCrossEntropy([0], 1));
        Throws("classes", () => new SoftmaxCrossEntropy([0.5, 0.5], 1));
        // Soft targets: shape, NaN, negative, rows not summing to 1, zero rows.
        Throws("targets", () => new SoftmaxCrossEntropy([0.5, 0.5, 1.0], 2));
        Throws("targets", () => new SoftmaxCrossEntropy([double.NaN, 1.0], 2));
        Throws("targets", () => new WeightedBrier([1.5, -0.5], 2));
        Throws("targets", () => new WeightedBrier([0.6, 0.6], 2));
        Throws("targets", () => new SoftmaxCrossEntropy(Array.Empty<double>(), 2));
        Throws("targets", () => new BinaryLogistic([1.2], 1));
        Throws("targets", () => new Focal([-0.1], 1));
        Throws("targets", () => new SquaredError([double.PositiveInfinity], 1));
        Throws("targets", () => new Huber([1, 2, 3], 2));
        Throws("targets", () => new SquaredError([], 1));
        // Weights: negative, NaN, wrong length.
        Throws("weights", () => new SoftmaxCrossEntropy([0, 1], 2, [1.0, -1.0]));
        Throws("weights", () => new SoftmaxCrossEntropy([0, 1], 2, [1.0]));
        Throws("weights", () => new WeightedBrier([0, 1], 2, [1.0, 1.0]));
        Throws("weights", () => new WeightedBrier([0], 2, [1.0, double.NaN]));
        Throws("weights", () => new MulticlassHinge([0], 2, weights: [double.PositiveInfinity]));
        Throws("weights", () => new WarpLoss([0], 2, 1, weights: [1, 2]));
        Throws("weights", () => new Huber([0, 0], 2, weights: [1, 1, 1]));
        // Parameters.
        Throws("margin", () => new MulticlassHinge([0], 2, margin: -1));
        Throws("margin", () => new WarpLoss([0], 2, 1, margin: double.NaN));
        Throws("delta", () => new Huber([0], 1, delta: 0));
        Throws("gamma", () => new Focal([0], 1, gamma: -1));
        Throws("reduction", () => new SquaredError([0], 1, reduction: (Reduction)7));
        Throws("rankWeight", () => new WarpLoss([0], 2, 1, rankWeight: (WarpRankWeight)9));
        Throws("k", () => WarpLoss.RankWeightOf(0, WarpRankWeight.Harmonic));
    }

    [Fact]
    public void Kernels_reject_bad_input()
    {
        double[] z = [0.1, 0.2, 0.3, 0.4];
        var g = new double[4];
        Throws("labels", () => SoftmaxCrossEntropy.Kernel(z, 2, [0, 2], default, g, default));
        Throws("scores", () => SoftmaxCrossEntropy.Kernel(z, 2, [0], default, g, default));
        Throws("scores", () => SoftmaxCrossEntropy.Kernel([0.1, double.NaN], 2, [0], default, default, default));
        Throws("scores", () => SoftmaxCrossEntropy.Kernel(z, 3, [0], default, default, default));
        Throws("classes", () => SoftmaxCrossEntropy.Kernel(z, 0, [0], default, default, default));
        Throws("rowWeights", () => SoftmaxCrossEntropy.Kernel(z, 2, [0, 1], [1.0, -2.0], g, default));
        Throws("gradient", () => SoftmaxCrossEntropy.Kernel(z, 2, [0, 1], default, new double[3], default));
        Throws("diagonal", () => SoftmaxCrossEntropy.Kernel(z, 2, [0, 1], default, default, new double[5]));
        Throws("scale", () => SoftmaxCrossEntropy.Kernel(z, 2, [0, 1], default, default, default, scale: double.NaN));
        Throws("targets", () => SoftmaxCrossEntropy.Kernel(z, 2, [0.5, 0.5, -1.0, 2.0], default, default, default));
        Throws("labels", () => WeightedBrier.Kernel(z, 2, [0, 9], default, g, default));
        Throws("weights", () => WeightedBrier.Kernel(z, 2, [0, 1], [1.0, 1.0], g, default));
        Throws("margin", () => MulticlassHinge.Kernel(z, 2, [0, 1], default, -0.5, g));
        Throws("labels", () => MulticlassHinge.ReferenceValue(z, 2, [0, 7], default, 1.0));
        Throws("targets", () => Elementwise.Kernel(new LogisticElement(), z, [0.0, 1.0], 2, default, g, default));
        Throws("weights", () => Elementwise.Kernel(new LogisticElement(), z, [0.0, 1.0, 0.0, 1.0], 2, [1.0, 1.0, 1.0], g, default));
        Throws("negatives", () => WarpLoss.SampleKernel(z, 2, [0, 1], 1.0, 1, WarpRankWeight.Harmonic, new int[1], new int[2], new double[2]));
        Throws("negatives", () => WarpLoss.FixedKernel(z, 2, [0, 1], [0, -1], [1.0, 1.0], default, 1.0, g));
        Throws("probabilities", () => Softmax.Rows(z, 2, new double[3]));
        Throws("values", () => LossMatrixExtensions.FromRowMajor(2, 2, new double[3]));
        var warp = new WarpLoss([0, 1], 2, 1);
        Throws("sample", () => warp.ValueFixed(z, new WarpSample([0, -1], [1, 1], [1.0, 1.0])));
    }
}

public class MoreBadInputTests
{
    [Fact]
    public void Helpers_and_extra_members_reject_bad_input()
    {
        Throws("row", () => Softmax.LogSumExp(ReadOnlySpan<double>.Empty));
        Throws("row", () => Softmax.LogSumExp([1.0, double.NaN]));
        Throws("row", () => Softmax.Row([1.0, double.PositiveInfinity], new double[2]));
        Throws("probabilities", () => Softmax.Row([1.0, 2.0], new double[3]));
        Throws("probabilities", () => Softmax.Row([System.Numerics.Complex.One], new System.Numerics.Complex[2]));
        Throws("scores", () => Softmax.Rows([1.0, double.NaN], 2, new double[2]));
        var ce = new SoftmaxCrossEntropy([0, 1], 2);
        Throws("diagonal", () => ce.BoostingDiagonal([0, 0, 0, 0], new double[3], BoostingCurvature.XGBoost));
        Throws("scores", () => ce.BoostingDiagonal([0, 0, 0, double.NaN], new double[4], BoostingCurvature.XGBoost));
        Throws("curvature", () => SoftmaxCrossEntropy.CurvatureFactor((BoostingCurvature)5, 3));
        Throws("classes", () => SoftmaxCrossEntropy.CurvatureFactor(BoostingCurvature.LightGBM, 1));
        var warp = new WarpLoss([0, 1], 2, 1);
        Throws("scores", () => warp.Sample([0, 0, double.NaN, 0]));
        var sample = warp.Sample([0, 0, 0, 0]);
        Throws("gradient", () => warp.GradientFixed([0, 0, 0, 0], sample, new double[3]));
        Throws("sample", () => warp.GradientFixed([0, 0, 0, 0], sample with { RankWeights = [1.0, -1.0] }, new double[4]));
        Throws("distances", () => warp.KinkDistances([0, 0, 0, 0], new double[2]));
        Throws("distances", () => new MulticlassHinge([0], 2).KinkDistances([0, 0], new double[1]));
        Throws("rankWeights", () => WarpLoss.FixedKernel([0, 0], 2, [0], [1], [-1.0], default, 1.0, new double[2]));
        Throws("gradient", () => MulticlassHinge.ReferenceGradient([0, 0], 2, [0], default, 1.0, new double[1]));
    }
}
