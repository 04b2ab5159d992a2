using System.Numerics;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;
using MathNet.Numerics.LinearAlgebra;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>The complex-step entry points besides the scalar derivative: sparse gradient, matrix form, guards.</summary>
public class ComplexStepCoverageTests
{
    private static void Throws(string param, Action act)
    {
        var e = Assert.ThrowsAny<ArgumentException>(act);
        Assert.Equal(param, e.ParamName);
    }

    // f(x) = x0² x1 + exp(x2) x1: ∂f/∂x = (2 x0 x1, x0² + exp(x2), exp(x2) x1), analytic everywhere.
    private static Complex F(ReadOnlySpan<Complex> x) => x[0] * x[0] * x[1] + Complex.Exp(x[2]) * x[1];

    [Fact]
    public void Sparse_gradient_returns_the_listed_partials_in_the_listed_order()
    {
        double[] x = [1.5, -2.0, 0.25];
        double[] exact = [2 * 1.5 * -2.0, 1.5 * 1.5 + Math.Exp(0.25), Math.Exp(0.25) * -2.0];
        int[] indices = [2, 0];
        var values = new double[2];
        ComplexStep.GradientAt(F, x, indices, values);
        for (int i = 0; i < 2; i++)
            Assert.True(Math.Abs(values[i] - exact[indices[i]]) <= 1e-15 * Math.Abs(exact[indices[i]]), $"{i}: {values[i]:R} vs {exact[indices[i]]:R}");
        Assert.Equal([1.5, -2.0, 0.25], x);
    }

    [Fact]
    public void Sparse_gradient_rejects_bad_input()
    {
        double[] x = [1.5, -2.0, 0.25];
        Throws("indices", () => ComplexStep.GradientAt(F, x, [3], new double[1]));
        Throws("indices", () => ComplexStep.GradientAt(F, x, [0, -1], new double[2]));
        Throws("values", () => ComplexStep.GradientAt(F, x, [0, 1], new double[1]));
        Throws("x", () => ComplexStep.GradientAt(F, [1.5, double.NaN, 0.25], [0], new double[1]));
        Throws("h", () => ComplexStep.GradientAt(F, x, [0], new double[1], h: 0));
    }

    [Fact]
    public void Scalar_and_dense_forms_check_x_and_h()
    {
        // Without the x check Im f(NaN + ih)/h would come back NaN, without the h check a zero step gives 0/0.
        Throws("x", () => ComplexStep.Derivative(Complex.Sin, double.NaN));
        Throws("h", () => ComplexStep.Gradient(F, [1.0, 2.0, 3.0], new double[3], h: 0));
        Throws("h", () => ComplexStep.Gradient(F, [1.0, 2.0, 3.0], new double[3], h: double.PositiveInfinity));
    }

    [Fact]
    public void The_smallest_allowed_step_is_1e_290()
    {
        // Im (1 + ih)² / h = 2 exactly; 1e-290 is the documented lower edge (inclusive), anything below is refused.
        Assert.Equal(2.0, ComplexStep.Derivative(z => z * z, 1.0, 1e-290));
        Throws("h", () => ComplexStep.Derivative(z => z * z, 1.0, 5e-291));
    }

    [Fact]
    public void Loss_gradient_as_a_matrix_has_the_loss_shape_and_entries()
    {
        // One row, labels [0], c = 3, scores 0: p = 1/3 each, ∂L/∂z = p − y = (−2/3, 1/3, 1/3). Two rows, second label 2,
        // scores (ln 2, 0, 0): p = (1/2, 1/4, 1/4), ∂L/∂z = (1/2, 1/4, −3/4). (Sum reduction.)
        var loss = new SoftmaxCrossEntropy([0, 2], 3);
        var z = Matrix<double>.Build.DenseOfArray(new[,] { { 0.0, 0.0, 0.0 }, { Math.Log(2), 0.0, 0.0 } });
        var g = ComplexStep.LossGradient(loss, z);
        Assert.Equal(2, g.RowCount);
        Assert.Equal(3, g.ColumnCount);
        double[,] exact = { { -2.0 / 3, 1.0 / 3, 1.0 / 3 }, { 0.5, 0.25, -0.75 } };
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                Assert.True(Math.Abs(g[i, j] - exact[i, j]) <= 1e-15, $"[{i},{j}] {g[i, j]:R} vs {exact[i, j]:R}");
    }

    [Fact]
    public void Loss_gradient_rejects_scores_of_the_wrong_shape()
    {
        var loss = new SoftmaxCrossEntropy([0, 2], 3);
        Throws("scores", () => ComplexStep.LossGradient(loss, Matrix<double>.Build.Dense(3, 2)));
        Throws("scores", () => ComplexStep.LossGradient(loss, Matrix<double>.Build.Dense(2, 2)));
        Throws("scores", () => ComplexStep.LossGradient(loss, Matrix<double>.Build.Dense(1, 3)));
        // The span form: 5 scores for a 2×3 loss, with a gradient buffer that matches the scores.
        Throws("scores", () => ComplexStep.LossGradient(loss, new double[5], new double[5]));
    }
}
