using static LossNotebooks.Tests.Losses.Expect;
using System.Numerics;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// The entry-wise kernel's guards and optional outputs, the diagonal row block, Huber's second derivative at
/// |z − t| = δ, and the logistic's complex evaluation far out on both sides (the complex-step path).
/// </summary>
public class ElementwiseKernelTests
{
    [Fact]
    public void Kernel_rejects_bad_input()
    {
        var sq = new SquaredElement();
        double[] z = [0.5, 0, 0, 0.25], t = [0, 1, 0, 1];
        var g = new double[4];
        Throws("scores", () => Elementwise.Kernel(sq, [0.5, 0, 0], [0.0, 1, 0], 2, default, g, default));
        Throws("scores", () => Elementwise.Kernel(sq, [], [], 2, default, default, default));
        Throws("classes", () => Elementwise.Kernel(sq, z, t, 0, default, g, default));
        Throws("scores", () => Elementwise.Kernel(sq, [0.5, double.NaN, 0, 0.25], t, 2, default, g, default));
        Throws("targets", () => Elementwise.Kernel(sq, z, [0, double.PositiveInfinity, 0, 1], 2, default, g, default));
        Throws("weights", () => Elementwise.Kernel(sq, z, t, 2, [1.0, -1.0], g, default));
        Throws("gradient", () => Elementwise.Kernel(sq, z, t, 2, default, new double[5], default));
        Throws("diagonal", () => Elementwise.Kernel(sq, z, t, 2, default, default, new double[5]));
        Throws("scale", () => Elementwise.Kernel(sq, z, t, 2, default, g, default, scale: -1));
    }

    [Fact]
    public void Kernel_fills_only_the_outputs_it_is_given()
    {
        // Squared error ½ w (z − t)² with per-row weights (2, 0.5): value ½·2·(0.25 + 1) + ½·0.5·(0 + 0.5625) = 1.390625,
        // gradient w (z − t), diagonal w; all dyadic, so exact.
        var sq = new SquaredElement();
        double[] z = [0.5, 0, 0, 0.25], t = [0, 1, 0, 1], w = [2, 0.5];
        double[] expectedG = [1, -2, 0, -0.375], expectedD = [2, 2, 0.5, 0.5];
        var g = new double[4]; var d = new double[4];
        Assert.Equal(1.390625, Elementwise.Kernel(sq, z, t, 2, w, default, default));
        Assert.Equal(1.390625, Elementwise.Kernel(sq, z, t, 2, w, g, default));
        Assert.Equal(expectedG, g);
        Assert.Equal(1.390625, Elementwise.Kernel(sq, z, t, 2, w, default, d));
        Assert.Equal(expectedD, d);
    }

    [Fact]
    public void Row_hessian_block_is_diagonal_even_when_the_buffer_starts_dirty()
    {
        // Huber δ = 1 on r = (0.5, 3, −0.25): second derivative 1, 0 (beyond δ), 1.
        var huber = new Huber([0, 0, 0], 3);
        var block = Enumerable.Repeat(7.0, 9).ToArray();
        huber.RowHessian([0.5, 3, -0.25], 0, block);
        Assert.Equal([1.0, 0, 0, 0, 0, 0, 0, 0, 1], block);
    }

    [Fact]
    public void Huber_at_the_threshold_takes_the_quadratic_piece_for_value_and_curvature()
    {
        // |r| = δ = 0.5 on both sides: ½r² = δ(|r| − ½δ) = 0.125 (the pieces meet), and by the documented convention
        // ℓ'' = 1 there; just beyond, at |r| = 0.75, ℓ'' = 0.
        var huber = new Huber([0, 0], 2, delta: 0.5);
        var g = new double[2]; var d = new double[2];
        Assert.Equal(0.25, huber.GradientAndDiagonalHessian([0.5, -0.5], g, d));
        Assert.Equal([0.5, -0.5], g);
        Assert.Equal([1.0, 1.0], d);
        huber.DiagonalHessian([0.75, -0.75], d);
        Assert.Equal([0.0, 0.0], d);
    }

    [Fact]
    public void Huber_kink_distances_reject_bad_input()
    {
        var huber = new Huber([0, 0, 0], 3);
        Throws("scores", () => huber.KinkDistances([0, double.NaN, 0], new double[3]));
        Throws("distances", () => huber.KinkDistances([0, 0, 0], new double[1]));
    }

    [Fact]
    public void Logistic_complex_step_is_exact_far_out_on_both_sides()
    {
        // ℓ = softplus(z) − t z. At z = 800, t = 0: ℓ = 800, ℓ' = σ(800) = 1; at z = −800, t = 1: ℓ = 800, ℓ' = σ(−800) − 1 = −1
        // (e^−800 is below double range, so both are exact). e^800 overflows, so each side needs the softplus form
        // that exponentiates −|z|.
        var loss = new BinaryLogistic([0, 1]);
        Complex v = loss.ComplexValue([new Complex(800, 0), new Complex(-800, 0)]);
        Assert.Equal(new Complex(1600, 0), v);
        var g = new double[2];
        ComplexStep.LossGradient(loss, [800.0, -800.0], g);
        Assert.Equal([1.0, -1.0], g);
    }
}
