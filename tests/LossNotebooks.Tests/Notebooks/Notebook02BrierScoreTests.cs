using LossNotebooks.Checks;
using LossNotebooks.Derivations;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>The calls notebooks/02-brier-score.ipynb makes, with the outcomes its prose states.</summary>
public class Notebook02BrierScoreTests
{
    // The notebook's 6×4 problem (seed 11).
    private static (int N, int C, double[] Scores, int[] Labels, double[] Weights, double[] Y) Problem()
    {
        var rng = new Random(11);
        int n = 6, c = 4;
        var scores = Enumerable.Range(0, n * c).Select(_ => 1.5 * StepInput.Gaussian(rng)).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        var weights = Enumerable.Range(0, n * c).Select(_ => 0.2 + 1.8 * rng.NextDouble()).ToArray();
        var y = new double[n * c];
        for (int i = 0; i < n; i++) y[i * c + labels[i]] = 1;
        return (n, c, scores, labels, weights, y);
    }

    [Fact]
    public void The_transliterated_python_grads_equal_the_library_gradient_and_the_numeric_one()
    {
        var (n, c, scores, labels, weights, y) = Problem();
        var preds = new double[n * c];
        Softmax.Rows(scores, c, preds);
        var python = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            double tmp = 0;
            for (int j = 0; j < c; j++) tmp += preds[i * c + j] * (preds[i * c + j] - y[i * c + j]) * weights[i * c + j];
            for (int j = 0; j < c; j++) python[i * c + j] = 2 * preds[i * c + j] * ((preds[i * c + j] - y[i * c + j]) * weights[i * c + j] - tmp);
        }
        var brier = new WeightedBrier(labels, c, weights);
        var library = new double[n * c];
        brier.Gradient(scores, library);
        var numeric = new double[n * c];
        FiniteDifference.Gradient(x => brier.Value(x), scores, numeric);
        for (int t = 0; t < n * c; t++)
        {
            Assert.Equal(python[t], library[t], 1e-14);    // same formula, different summation order: a few ulps (measured 1.1e-16)
            Assert.Equal(library[t], numeric[t], 1e-9);    // central differences: rounding ε·|L|/h ≈ 2e-16·5/6e-6 ≈ 2e-10; measured 4.2e-11
        }
    }

    private static StepInput Row(double[] z, double[] y, double[] w, int l) => new(1, z.Length, z, y, w, 0, l, 0, l, 0, TargetKind.OneHot);

    [Fact]
    public void Brier_row_blocks_match_numeric_and_are_indefinite_with_negative_diagonal_entries()
    {
        var (n, c, scores, labels, weights, _) = Problem();
        var brier = new WeightedBrier(labels, c, weights);
        var block = new double[c * c];
        brier.RowHessian(scores, 0, block);
        var numeric = new double[c * c];
        FiniteDifference.Hessian(x => new WeightedBrier([labels[0]], c, weights.Take(c).ToArray()).Value(x), scores.Take(c).ToArray(), numeric);
        for (int t = 0; t < c * c; t++) Assert.Equal(block[t], numeric[t], 1e-6);   // measured 2.3e-8
        var eig = Matrix<double>.Build.DenseOfRowMajor(c, c, block).Evd().EigenValues.Select(v => v.Real).ToArray();
        Assert.True(eig.Min() < -0.1 && eig.Max() > 0.1, string.Join(", ", eig));    // measured −0.239 and 0.240
        var diag = new double[n * c];
        brier.DiagonalHessian(scores, diag);
        Assert.Contains(diag, v => v < 0);
    }

    [Fact]
    public void Library_checks_the_notebook_shows_pass()
    {
        var (_, c, scores, labels, weights, _) = Problem();
        var brier = new WeightedBrier(labels, c, weights);
        var complex = GradientCheck.Run(brier, scores, new CheckOptions { UseComplexStep = true });
        Assert.True(complex.Passed && complex.MaxAbsoluteError < 1e-14, complex.ToString());   // measured 1.7e-16
        var diagonal = HessianCheck.Diagonal(brier, scores);
        Assert.True(diagonal.Passed && diagonal.MaxAbsoluteError < 1e-9, diagonal.ToString()); // measured 1.5e-11
        var block = HessianCheck.RowBlock(brier, scores, 0);
        Assert.True(block.Passed && block.MaxAbsoluteError < 1e-9, block.ToString());          // measured 1.2e-11
    }
}
