using System.Numerics;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// Analytic derivatives of every loss against the skeleton's central finite differences, 1000 seeded random inputs per
/// loss × {gradient, diagonal Hessian, row Hessian} (n ≤ 3, c ≤ 4, |z| ≤ 3, weights in [0.2, 2]).
/// <para>
/// Tolerances scale with F = 1 + |L| + Σ|z|, which bounds the size of the numbers whose rounding pollutes L.
/// Gradient (central, h = ε^(1/3)·max(|z|,1) ∈ [6e-6, 1.9e-5]): error ≈ h²|L'''|/6 + ε·F/h ≤ 6e-11·|L'''| + 4e-11·F;
/// with |L'''| ≲ 10 here, TolGradient = 1e-8·F leaves a margin of ≥ 10× and still flags any formula slip (O(1e-2) and up).
/// Second differences (h = ε^(1/4)·max(|z|,1) ∈ [1.2e-4, 3.7e-4]): error ≈ h²|L''''|/12 + 4ε·F/h² ≤ 1.2e-8·|L''''| + 6e-8·F;
/// TolHessian = 1e-6·F (≥ 10× margin). Hinge/WARP inputs keep every margin ≥ 0.02 from its kink (≫ 2h), so no
/// difference straddles a kink and their (sub)gradients are exact up to rounding; Huber keeps ||r| − δ| ≥ 0.02.
/// </para>
/// </summary>
public class DerivativeCheckTests
{
    private const int Cases = 1000;
    private const double TolGradient = 1e-8;
    private const double TolHessian = 1e-6;

    private static double ErrorScale(IScoreLoss loss, double[] z) => 1 + Math.Abs(loss.Value(z)) + z.Sum(Math.Abs);

    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void Gradient_matches_central_differences(LossKind kind)
    {
        var r = new Random(1000 + (int)kind);
        double worst = 0;
        for (int t = 0; t < Cases; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            var analytic = new double[z.Length];
            var numeric = new double[z.Length];
            double value = loss.Gradient(z, analytic);
            Assert.Equal(loss.Value(z), value, 12);
            FiniteDifference.Gradient(loss.Value, z, numeric, DifferenceRule.Central);
            double tol = TolGradient * ErrorScale(loss, z);
            for (int k = 0; k < z.Length; k++)
            {
                double err = Math.Abs(analytic[k] - numeric[k]);
                worst = Math.Max(worst, err / tol);
                Assert.True(err <= tol, $"{loss} case {t} entry {k}: analytic {analytic[k]}, numeric {numeric[k]}, |diff| {err:E2} > tol {tol:E2}");
            }
        }
        Assert.True(worst <= 1, $"worst error/tol {worst}");
    }

    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void Diagonal_Hessian_matches_second_differences(LossKind kind)
    {
        var r = new Random(2000 + (int)kind);
        for (int t = 0; t < Cases; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            var analytic = new double[z.Length];
            var numeric = new double[z.Length];
            loss.DiagonalHessian(z, analytic);
            FiniteDifference.HessianDiagonal(loss.Value, z, numeric);
            double tol = TolHessian * ErrorScale(loss, z);
            for (int k = 0; k < z.Length; k++)
                Assert.True(Math.Abs(analytic[k] - numeric[k]) <= tol,
                    $"{loss} case {t} entry {k}: analytic {analytic[k]}, numeric {numeric[k]}, tol {tol:E2}");
        }
    }

    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void Row_Hessian_matches_cross_differences(LossKind kind)
    {
        var r = new Random(3000 + (int)kind);
        for (int t = 0; t < Cases; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            int c = loss.Classes;
            double tol = TolHessian * ErrorScale(loss, z);
            var block = new double[c * c];
            var numeric = new double[c * c];
            var work = z.ToArray();
            for (int row = 0; row < loss.Rows; row++)
            {
                loss.RowHessian(z, row, block);
                int at = row * c;
                // The row's scores as the variables, the other rows held fixed.
                double RowFunction(ReadOnlySpan<double> x) { x.CopyTo(work.AsSpan(at, c)); return loss.Value(work); }
                FiniteDifference.Hessian(RowFunction, z.AsSpan(at, c), numeric);
                z.AsSpan(at, c).CopyTo(work.AsSpan(at, c));
                for (int k = 0; k < c * c; k++)
                    Assert.True(Math.Abs(block[k] - numeric[k]) <= tol,
                        $"{loss} case {t} row {row} entry ({k / c},{k % c}): analytic {block[k]}, numeric {numeric[k]}, tol {tol:E2}");
                for (int a = 0; a < c; a++)
                    for (int b = 0; b < a; b++)
                        Assert.Equal(block[a * c + b], block[b * c + a], 14);
            }
        }
    }

    [Theory]
    [MemberData(nameof(LossCases.All), MemberType = typeof(LossCases))]
    public void Diagonal_Hessian_is_the_diagonal_of_the_row_blocks(LossKind kind)
    {
        var r = new Random(4000 + (int)kind);
        for (int t = 0; t < 200; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            int c = loss.Classes;
            var diagonal = new double[z.Length];
            loss.DiagonalHessian(z, diagonal);
            var block = new double[c * c];
            for (int row = 0; row < loss.Rows; row++)
            {
                loss.RowHessian(z, row, block);
                for (int j = 0; j < c; j++) Assert.Equal(block[j * c + j], diagonal[row * c + j], 12);
            }
        }
    }

    /// <summary>
    /// Complex step: Im L(Z + i·h·e_k)/h has no subtractive cancellation, so with h = 1e-20 it matches the analytic
    /// gradient to a few ulps of the gradient scale; 1e-12·(1 + |g|) allows for the rounding in the complex arithmetic.
    /// Also: the real part of the complex value equals the real value (same formula, real inputs).
    /// </summary>
    [Theory]
    [MemberData(nameof(LossCases.Smooth), MemberType = typeof(LossCases))]
    public void Complex_step_gradient_and_real_part(LossKind kind)
    {
        var r = new Random(5000 + (int)kind);
        for (int t = 0; t < Cases; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            var complexLoss = Assert.IsAssignableFrom<IComplexScoreLoss>(loss);
            var analytic = new double[z.Length];
            double value = loss.Gradient(z, analytic);
            var zc = z.Select(x => new Complex(x, 0)).ToArray();
            Assert.Equal(value, complexLoss.Value(zc).Real, 1e-12 * (1 + Math.Abs(value)));
            const double h = 1e-20;
            for (int k = 0; k < z.Length; k++)
            {
                zc[k] = new Complex(z[k], h);
                double numeric = complexLoss.Value(zc).Imaginary / h;
                zc[k] = new Complex(z[k], 0);
                Assert.True(Math.Abs(numeric - analytic[k]) <= 1e-12 * (1 + Math.Abs(analytic[k])),
                    $"{loss} case {t} entry {k}: complex step {numeric}, analytic {analytic[k]}");
            }
        }
    }
}
