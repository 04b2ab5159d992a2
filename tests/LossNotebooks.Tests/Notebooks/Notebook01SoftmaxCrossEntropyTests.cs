using LossNotebooks.Checks;
using LossNotebooks.Derivations;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>
/// The calls notebooks/01-softmax-cross-entropy.ipynb makes, with the outcomes its prose states, so that a regression fails
/// here and not only in the executed notebook.
/// </summary>
public class Notebook01SoftmaxCrossEntropyTests
{
    [Fact]
    public void Hand_example_only_the_corrected_diagonal_matches_for_every_class()
    {
        double[] z = [2.0, 0.0, -1.0];
        var loss = new SoftmaxCrossEntropy([0], 3);
        var numeric = new double[3];
        FiniteDifference.HessianDiagonal(x => loss.Value(x), z, numeric);
        var p = new double[3];
        Softmax.Row(z, p);
        for (int l = 0; l < 3; l++)
        {
            double corrected = p[l] * (1 - p[l]);
            double literal = (1 - p[l]) * p[0];   // (1 − σ_l) Σ_j σ_j y_j with y = e_0
            // Plain second difference, h = ε^(1/4)·max(|z|, 1) ≈ 2.4e-4: rounding ε·|L|/h² ≈ 2e-16·0.4/6e-8 ≈ 1.5e-9, truncation
            // h²·|f''''|/12 < 1e-8; 1e-6 is generous and still 1e5× below the seed's errors.
            Assert.Equal(corrected, numeric[l], 1e-6);
            if (l == 0) Assert.Equal(corrected, literal, 1e-15);           // the coincidence at the labelled class
            else Assert.True(Math.Abs(literal - numeric[l]) > 0.5, $"l = {l}: literal {literal} vs numeric {numeric[l]}");
        }
        // "off by up to 20×": the literal reading at l = 2 over the true value (measured 20.08).
        Assert.InRange((1 - p[2]) * p[0] / (p[2] * (1 - p[2])), 19.0, 21.0);
    }

    [Fact]
    public void Row_block_matches_the_numeric_Hessian_sums_to_zero_by_rows_and_is_semidefinite()
    {
        double[] z = [1.5, 0.3, -0.4, 0.9, -1.2];
        var loss = new SoftmaxCrossEntropy([3], 5);
        var block = new double[25];
        loss.RowHessian(z, 0, block);
        var numeric = new double[25];
        FiniteDifference.Hessian(x => loss.Value(x), z, numeric);
        // Second and cross differences with h ≈ 1.2e-4·max(|z|,1): measured max error 2.6e-8; rounding bound ε·|L|/h² ≈ 1e-8·|L|.
        for (int t = 0; t < 25; t++) Assert.Equal(block[t], numeric[t], 1e-6);
        for (int r = 0; r < 5; r++) Assert.True(Math.Abs(Enumerable.Range(0, 5).Sum(c => block[r * 5 + c])) < 1e-15);
        var eig = Matrix<double>.Build.DenseOfRowMajor(5, 5, block).Evd().EigenValues.Select(v => v.Real).OrderBy(v => v).ToArray();
        Assert.True(Math.Abs(eig[0]) < 1e-14, $"null direction eigenvalue {eig[0]}");
        Assert.All(eig.Skip(1), v => Assert.True(v > 0.01, $"eigenvalue {v}"));   // measured smallest non-zero: 0.038
    }

    [Fact]
    public void Whole_matrix_gradient_agrees_with_central_differences()
    {
        var rng = new Random(7);
        int n = 8, c = 4;
        var scores = Enumerable.Range(0, n * c).Select(_ => 2 * StepInput.Gaussian(rng)).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        var loss = new SoftmaxCrossEntropy(labels, c);
        var analytic = new double[n * c];
        loss.Gradient(scores, analytic);
        var numeric = new double[n * c];
        FiniteDifference.Gradient(x => loss.Value(x), scores, numeric);
        // Central differences, h = ε^(1/3)·max(|z|,1) ≥ 6e-6: rounding ε·|L|/h with |L| ≈ 10 gives ≈ 4e-10; measured max 1.7e-10.
        for (int t = 0; t < n * c; t++) Assert.Equal(analytic[t], numeric[t], 1e-9);
    }

    [Fact]
    public void Logits_of_plus_minus_1e4_give_exact_values_where_the_naive_formula_overflows()
    {
        double[] z = [1e4, 0, -1e4];
        var loss = new SoftmaxCrossEntropy([1], 3);
        var g = new double[3];
        double v = loss.Gradient(z, g);
        var h = new double[3];
        loss.DiagonalHessian(z, h);
        Assert.Equal(1e4, v);                    // 1e4 + log(1 + e^-1e4 + e^-2e4) rounds to exactly 1e4
        Assert.Equal([1.0, -1.0, 0.0], g);
        Assert.Equal([0.0, 0.0, 0.0], h);
        var numeric = new double[3];
        FiniteDifference.Gradient(x => loss.Value(x), z, numeric);
        for (int t = 0; t < 3; t++) Assert.Equal(g[t], numeric[t], 1e-6);   // the loss is linear to double precision here
        // The literal formula the notebook contrasts with.
        Assert.Equal(double.PositiveInfinity, -(z[1] - Math.Log(z.Sum(Math.Exp))));
        Assert.True(double.IsNaN(Math.Exp(z[0]) / z.Sum(Math.Exp)));
    }

    [Fact]
    public void Boosting_diagonals_of_the_notebook_row_are_the_documented_multiples()
    {
        double[] z = [1.5, 0.3, -0.4, 0.9, -1.2];
        var loss = new SoftmaxCrossEntropy([3], 5);
        var block = new double[25];
        loss.RowHessian(z, 0, block);
        var exact = new double[5]; var xgb = new double[5]; var lgb = new double[5];
        loss.BoostingDiagonal(z, exact, BoostingCurvature.Exact);
        loss.BoostingDiagonal(z, xgb, BoostingCurvature.XGBoost);
        loss.BoostingDiagonal(z, lgb, BoostingCurvature.LightGBM);
        for (int l = 0; l < 5; l++)
        {
            Assert.Equal(block[l * 5 + l], exact[l], 1e-15);
            Assert.Equal(2 * exact[l], xgb[l], 1e-15);
            Assert.Equal(1.25 * exact[l], lgb[l], 1e-15);
        }
    }

    [Fact]
    public void Library_checks_the_notebook_shows_pass_central_and_complex_step_and_the_row_block()
    {
        var rng = new Random(7);
        int n = 8, c = 4;
        var scores = Enumerable.Range(0, n * c).Select(_ => 2 * StepInput.Gaussian(rng)).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        var loss = new SoftmaxCrossEntropy(labels, c);
        var central = GradientCheck.Run(loss, scores);
        Assert.True(central.Passed, central.ToString());
        var complex = GradientCheck.Run(loss, scores, new CheckOptions { UseComplexStep = true });
        Assert.True(complex.Passed, complex.ToString());
        Assert.True(complex.MaxAbsoluteError < 1e-14, complex.Summary);   // "agreement at the 1e-15 level" (measured 1.1e-16)
        var block = HessianCheck.RowBlock(new SoftmaxCrossEntropy([3], 5), [1.5, 0.3, -0.4, 0.9, -1.2], 0);
        Assert.True(block.Passed, block.ToString());
        Assert.True(block.MaxAbsoluteError < 1e-9, block.Summary);        // "~1e-10" (measured 9.2e-12)
    }
}
