using static LossNotebooks.Tests.Losses.Expect;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// Cross-entropy with soft-target rows whose mass s_i = Σ_j t_ij is not exactly 1 (the constructor admits
/// |s_i − 1| ≤ <see cref="Targets.RowSumTolerance"/>): value, gradient, diagonal and row Hessian all carry s_i as given.
/// L_i = −Σ_j t_ij log p_ij = s_i·lse(z_i) − t_i·z_i, so ∂L_i/∂z_i = s_i p_i − t_i and ∂²L_i/∂z_i² = s_i (diag p_i − p_i p_iᵀ).
/// </summary>
public class SoftTargetMassTests
{
    // Row masses 1 + 8e-6 and 1 − 8e-6: inside the tolerance, yet far above rounding, so dropping or inverting s_i
    // moves every derivative by ~8e-6 relative.
    private static readonly double[] T = [0.2, 0.3, 0.5 + 8e-6, 0.6 - 8e-6, 0.1, 0.3];
    private static readonly double[] W = [0.7, 1.6];
    private static readonly double[] Z = [0.4, -1.1, 2.0, -0.3, 0.9, 0.2];
    private const int N = 2, C = 3;
    private const double Scale = 1.0 / N;   // Reduction.Mean


    private static double Mass(int i) => T[i * C] + T[i * C + 1] + T[i * C + 2];

    private static SoftmaxCrossEntropy Loss() => new(T, C, W, Reduction.Mean);

    [Fact]
    public void Cross_entropy_value_gradient_and_diagonal_use_each_rows_mass()
    {
        var loss = Loss();
        var g = new double[N * C]; var d = new double[N * C];
        double value = loss.GradientAndDiagonalHessian(Z, g, d);
        double expected = 0;
        for (int i = 0; i < N; i++)
        {
            var p = SoftmaxOf(Z.AsSpan(i * C, C));
            double s = Mass(i), ws = Scale * W[i];
            for (int j = 0; j < C; j++)
            {
                int k = i * C + j;
                expected -= ws * T[k] * Math.Log(p[j]);
                // Entries are O(1): 1e-14 absolute is a few ulps of reordering; the mass error would be ~1e-6.
                Assert.Equal(ws * (s * p[j] - T[k]), g[k], 1e-14);
                Assert.Equal(ws * s * p[j] * (1 - p[j]), d[k], 1e-14);
            }
        }
        Assert.Equal(expected, value, 1e-14);
    }

    [Fact]
    public void Cross_entropy_row_hessian_is_the_rows_mass_times_diag_p_minus_p_p_transpose()
    {
        var loss = Loss();
        var block = new double[C * C];
        for (int i = 0; i < N; i++)
        {
            loss.RowHessian(Z, i, block);
            var p = SoftmaxOf(Z.AsSpan(i * C, C));
            double ws = Scale * W[i] * Mass(i);
            for (int a = 0; a < C; a++)
                for (int b = 0; b < C; b++)
                    Assert.Equal(ws * ((a == b ? p[a] : 0) - p[a] * p[b]), block[a * C + b], 1e-14);
        }
    }

    [Fact]
    public void Cross_entropy_derivatives_with_unit_mass_deviation_agree_with_finite_differences()
    {
        // Central differences with h = 1e-5: truncation h²/6·|f'''| ≲ 1e-11, rounding ε·|f|/h ≲ 1e-11, so 1e-9 is
        // safe, while ignoring the 8e-6 mass deviation would be off by ≳ 8e-6·min(w·p/n) ≈ 1e-7.
        const double h = 1e-5, tol = 1e-9;
        var loss = Loss();
        var g = new double[N * C];
        loss.Gradient(Z, g);
        var block = new double[C * C];
        var gp = new double[N * C]; var gm = new double[N * C];
        for (int k = 0; k < N * C; k++)
        {
            var zp = Z.ToArray(); zp[k] += h;
            var zm = Z.ToArray(); zm[k] -= h;
            Assert.Equal((loss.Value(zp) - loss.Value(zm)) / (2 * h), g[k], tol);
            int i = k / C, b = k % C;
            loss.Gradient(zp, gp); loss.Gradient(zm, gm);
            loss.RowHessian(Z, i, block);
            for (int a = 0; a < C; a++)
                Assert.Equal((gp[i * C + a] - gm[i * C + a]) / (2 * h), block[a * C + b], tol);
        }
    }

    [Fact]
    public void Soft_target_constructors_accept_rows_within_the_tolerance_and_reject_the_rest()
    {
        // 0.8·tol inside is accepted (the tests above rely on it); 1.2·tol outside and negative entries are not.
        _ = new WeightedBrier([0.5, 0.5 + 0.8 * Targets.RowSumTolerance], 2);
        _ = new SoftmaxCrossEntropy([0.5, 0.5 - 0.8 * Targets.RowSumTolerance], 2);
        foreach (var bad in new double[][] { [0.5, 0.5 + 1.2 * Targets.RowSumTolerance], [0.5, 0.5 - 1.2 * Targets.RowSumTolerance], [1.25, -0.25] })
        {
            Assert.Equal("targets", Assert.ThrowsAny<ArgumentException>(() => new SoftmaxCrossEntropy(bad, 2)).ParamName);
            Assert.Equal("targets", Assert.ThrowsAny<ArgumentException>(() => new WeightedBrier(bad, 2)).ParamName);
        }
    }
}
