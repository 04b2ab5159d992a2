using static LossNotebooks.Tests.Losses.Expect;
using System.Numerics;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// The guards of the static kernels, <see cref="Softmax"/>, the target checks and the MathNet layer that the broader
/// bad-input tests do not reach: each bad input would otherwise give NaN, a silent wrong answer, or an exception that
/// does not name the parameter.
/// </summary>
public class EntryPointGuardTests
{
    private static readonly double[] Z = [0.1, 0.2, 0.3, 0.4];        // n = 2, c = 2
    private static readonly double[] Y = [0.5, 0.5, 0.25, 0.75];
    private static readonly double[] NaNScores = [0.1, double.NaN, 0.3, 0.4];

    [Fact]
    public void Soft_target_cross_entropy_kernel_checks_scores_targets_and_row_weights()
    {
        Throws("scores", () => SoftmaxCrossEntropy.Kernel(NaNScores, 2, Y, default, default, default));
        Throws("classes", () => SoftmaxCrossEntropy.Kernel(Z, 0, Y, default, default, default));
        // One entry too many: still 2 rows of 2 by integer division, so only the length check sees it.
        Throws("targets", () => SoftmaxCrossEntropy.Kernel(Z, 2, [0.5, 0.5, 0.25, 0.75, 0.1], default, default, default));
        Throws("rowWeights", () => SoftmaxCrossEntropy.Kernel(Z, 2, Y, [1.0, 1.0, 1.0], default, default));
        Throws("rowWeights", () => SoftmaxCrossEntropy.Kernel(Z, 2, [0, 1], [1.0], default, default));
    }

    [Fact]
    public void Brier_kernels_check_shape_scores_targets_weights_outputs_and_scale()
    {
        Throws("scores", () => WeightedBrier.Kernel(NaNScores, 2, Y, default, default, default));
        Throws("scores", () => WeightedBrier.Kernel(NaNScores, 2, [0, 1], default, default, default));
        Throws("targets", () => WeightedBrier.Kernel(Z, 2, [0.5, 0.5, 0.25, 0.75, 0.1], default, default, default));
        Throws("targets", () => WeightedBrier.Kernel(Z, 2, [0.5, 0.5, -0.25, 1.25], default, default, default));
        Throws("classes", () => WeightedBrier.Kernel(Z, 0, [0, 1], default, default, default));
        Throws("scores", () => WeightedBrier.Kernel(Z, 2, [0], default, default, default));   // 1 label for 2 rows
        Throws("scores", () => WeightedBrier.Kernel(Z, 3, [0], default, default, default));   // 4 not a multiple of 3
        Throws("weights", () => WeightedBrier.Kernel(Z, 2, [0, 1], [1.0, -1.0, 1.0, 1.0], default, default));
        Throws("gradient", () => WeightedBrier.Kernel(Z, 2, [0, 1], default, new double[5], default));
        Throws("diagonal", () => WeightedBrier.Kernel(Z, 2, [0, 1], default, default, new double[5]));
        Throws("scale", () => WeightedBrier.Kernel(Z, 2, [0, 1], default, default, default, scale: -1));
    }

    [Fact]
    public void Kernels_reject_empty_scores()
    {
        Throws("scores", () => SoftmaxCrossEntropy.Kernel([], 2, ReadOnlySpan<int>.Empty, default, default, default));
        Throws("scores", () => WeightedBrier.Kernel([], 2, ReadOnlySpan<double>.Empty, default, default, default));
    }

    [Fact]
    public void Softmax_helpers_reject_empty_non_finite_and_misshapen_rows()
    {
        Throws("row", () => Softmax.LogSumExp(ReadOnlySpan<Complex>.Empty));
        Throws("row", () => Softmax.LogSumExp([Complex.One, new Complex(double.NaN, 0)]));
        Throws("row", () => Softmax.LogSumExp([Complex.One, new Complex(0, double.PositiveInfinity)]));
        Throws("row", () => Softmax.Row(ReadOnlySpan<double>.Empty, Span<double>.Empty));
        Throws("classes", () => Softmax.Rows(Z, 0, new double[4]));
        Throws("scores", () => Softmax.Rows([1.0, 2.0, 3.0], 2, new double[3]));
        Throws("scores", () => Softmax.Rows([], 2, []));
    }

    [Fact]
    public void Constructors_reject_null_targets_too_few_classes_and_zero_classes()
    {
        var nullLabels = Assert.Throws<ArgumentNullException>(() => new SoftmaxCrossEntropy((int[])null!, 3));
        Assert.Equal("labels", nullLabels.ParamName);
        var nullTargets = Assert.Throws<ArgumentNullException>(() => new WeightedBrier((double[])null!, 3));
        Assert.Equal("targets", nullTargets.ParamName);
        // One class: [1.0] is a valid probability row, so only the class-count check refuses it.
        Throws("classes", () => new WeightedBrier([1.0], 1));
        Throws("classes", () => new SquaredError([0.0], 0));
    }

    [Fact]
    public void Loss_methods_check_scores_on_the_fused_and_complex_entry_points()
    {
        var ce = new SoftmaxCrossEntropy([0, 1], 2);
        Throws("scores", () => ce.GradientAndDiagonalHessian(NaNScores, new double[4], new double[4]));
        Throws("scores", () => ce.GradientAndDiagonalHessian(Z.AsSpan(1), default, default));
        Throws("scores", () => ce.ComplexValue(new Complex[5]));
        Throws("scores", () => new WeightedBrier([0, 1], 2).ComplexValue(new Complex[6]));
    }

    /// <summary>A loss built on the public base class by outside code: the base, not a library subclass, must check n and c.</summary>
    private sealed class Outside(int rows, int classes) : ScoreLoss(rows, classes, Reduction.Sum)
    {
        public override string Name => "outside";
        public override bool IsSmooth => true;
        protected override double Evaluate(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal) => 0;
        protected override void RowBlock(ReadOnlySpan<double> rowScores, int row, Span<double> block) { }
    }

    [Fact]
    public void ScoreLoss_base_rejects_non_positive_rows_and_classes()
    {
        Throws("rows", () => new Outside(0, 2));
        Throws("classes", () => new Outside(2, 0));
        Throws("classes", () => new Outside(2, -3));
    }

    /// <summary>An IScoreLoss that checks nothing, so the MathNet layer's own shape checks are what the tests see.</summary>
    private sealed class Unchecked(int rows, int classes) : IScoreLoss
    {
        public string Name => "unchecked";
        public int Rows => rows;
        public int Classes => classes;
        public bool IsSmooth => true;
        public double Value(ReadOnlySpan<double> scores) => scores.Length;
        public double Gradient(ReadOnlySpan<double> scores, Span<double> gradient) => scores.Length;
        public void DiagonalHessian(ReadOnlySpan<double> scores, Span<double> diagonal) { }
        public void RowHessian(ReadOnlySpan<double> scores, int row, Span<double> block) { }
    }

    [Fact]
    public void MathNet_layer_checks_the_shape_for_any_loss()
    {
        var loss = new Unchecked(2, 3);
        Throws("scores", () => loss.Value(Matrix<double>.Build.Dense(3, 2)));   // transposed: same count, wrong layout
        Throws("scores", () => loss.Value(Matrix<double>.Build.Dense(3, 3)));   // one dimension wrong
        Throws("scores", () => loss.Value(Matrix<double>.Build.Dense(2, 4)));
        Throws("scores", () => loss.Value(MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(7)));
        Throws("scores", () => new SoftmaxCrossEntropy([0, 1], 3).Value(Matrix<double>.Build.Dense(3, 2)));
        Throws("rows", () => LossMatrixExtensions.FromRowMajor(0, 3, []));
        Throws("columns", () => LossMatrixExtensions.FromRowMajor(3, 0, []));
        Throws("rows", () => LossMatrixExtensions.FromRowMajor(-1, -2, new double[2]));
    }
}
