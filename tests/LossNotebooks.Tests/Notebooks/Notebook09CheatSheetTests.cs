using LossNotebooks.Checks;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>
/// The claims of notebooks/09-cheat-sheet.ipynb: its transcriptions of the formulas (written here again from the LaTeX,
/// not taken from the library) against numeric derivatives on many seeded inputs, the piecewise-linear losses' zero
/// Hessians, the WARP rank weight the sheet computes itself, and its exercise checks (a wrong answer says FAIL).
/// </summary>
public class Notebook09CheatSheetTests
{
    private static double[] Uniform(Random rng, int length, double lo, double hi) =>
        Enumerable.Range(0, length).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();

    private static double[] SoftmaxOf(ReadOnlySpan<double> row)
    {
        var p = new double[row.Length];
        Softmax.Row(row, p);
        return p;
    }

    /// <summary>The sheet's Brier block, (H)_lm = 2p_l(δ_lm − p_m)(a_l − S) + 2p_l[w_l p_l(δ_lm − p_m) − p_m(w_m p_m + a_m − T − S)].</summary>
    private static double[] BrierBlockFromSheet(double[] z, double[] y, double[] w)
    {
        int c = z.Length;
        var p = SoftmaxOf(z);
        var a = Enumerable.Range(0, c).Select(j => w[j] * (p[j] - y[j])).ToArray();
        double S = Enumerable.Range(0, c).Sum(j => a[j] * p[j]), T = Enumerable.Range(0, c).Sum(j => w[j] * p[j] * p[j]);
        var h = new double[c * c];
        for (int l = 0; l < c; l++)
            for (int m = 0; m < c; m++)
            {
                double d = l == m ? 1 : 0;
                h[l * c + m] = 2 * p[l] * (d - p[m]) * (a[l] - S) + 2 * p[l] * (w[l] * p[l] * (d - p[m]) - p[m] * (w[m] * p[m] + a[m] - T - S));
            }
        return h;
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Brier_row_block_as_written_in_the_sheet_matches_the_numeric_Hessian(int seed)
    {
        var rng = new Random(seed);
        int c = 2 + rng.Next(5);
        var z = Uniform(rng, c, -3, 3);
        var y = new double[c];
        y[rng.Next(c)] = 1;
        var w = Uniform(rng, c, 0.5, 2);
        var loss = new WeightedBrier(y, c, w);
        var numeric = new double[c * c];
        // Central differences of the library gradient (checked against the value in the loss tests): error ~1e-10.
        FiniteDifference.Jacobian((x, g) => loss.Gradient(x, g), z, c, numeric);
        var sheet = BrierBlockFromSheet(z, y, w);
        for (int k = 0; k < c * c; k++) Assert.Equal(numeric[k], sheet[k], 1e-8);
    }

    [Fact]
    public void Focal_second_derivative_as_written_in_the_sheet_matches_a_difference_of_its_first()
    {
        // f'(z) = q^γ(γ p log p − q), f''(z) = −γ p q^γ(γ p log p − q) + p q^(γ+1)(γ log p + γ + 1), p = σ(z), q = 1 − p.
        static double F1(double z, double g) { double p = 1 / (1 + Math.Exp(-z)), q = 1 - p; return Math.Pow(q, g) * (g * p * Math.Log(p) - q); }
        static double F2(double z, double g)
        {
            double p = 1 / (1 + Math.Exp(-z)), q = 1 - p, lp = Math.Log(p);
            return -g * p * Math.Pow(q, g) * (g * p * lp - q) + p * Math.Pow(q, g + 1) * (g * lp + g + 1);
        }
        var rng = new Random(8);
        for (int t = 0; t < 200; t++)
        {
            double z = 8 * rng.NextDouble() - 4, gamma = 4 * rng.NextDouble(), target = rng.NextDouble();
            // ℓ' = t f'(z) − (1 − t) f'(−z) against the library's element loss; ℓ'' against a central difference of ℓ'.
            double first = target * F1(z, gamma) - (1 - target) * F1(-z, gamma);
            Assert.Equal(new FocalElement(gamma).First(z, target), first, 1e-12);
            double second = target * F2(z, gamma) + (1 - target) * F2(-z, gamma);
            double numeric = FiniteDifference.Derivative(v => target * F1(v, gamma) - (1 - target) * F1(-v, gamma), z, DifferenceRule.Central, 1e-5);
            Assert.Equal(numeric, second, 1e-8);   // central error ~h²|ℓ''''| + ε/h ≈ 1e-10
        }
    }

    [Fact]
    public void Hinge_and_WARP_write_zero_Hessians_off_the_kinks_and_the_numeric_Hessian_is_zero_there()
    {
        var rng = new Random(2024);
        int n = 5, c = 4;
        var z = Uniform(rng, n * c, -2, 2);
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        foreach (IKinkedScoreLoss loss in new IKinkedScoreLoss[] { new MulticlassHinge(labels, c), new WarpLoss(labels, c, seed: 11) })
        {
            var distances = new double[n * c];
            loss.KinkDistances(z, distances);
            Assert.True(distances.Min() > 1e-3, "the seeded point is away from every kink");
            var diag = new double[n * c];
            loss.DiagonalHessian(z, diag);
            Assert.All(diag, v => Assert.Equal(0.0, v));
            var numeric = new double[n * c * n * c];
            FiniteDifference.Jacobian((x, g) => loss.Gradient(x, g), z, n * c, numeric);
            Assert.All(numeric, v => Assert.Equal(0.0, v));   // a piecewise-constant gradient differenced inside one piece
        }
    }

    [Fact]
    public void WARP_rank_weight_is_the_harmonic_number_of_floor_c_minus_1_over_the_draws()
    {
        var rng = new Random(5);
        for (int t = 0; t < 50; t++)
        {
            int n = 6, c = 2 + rng.Next(9);
            var z = Uniform(rng, n * c, -2, 2);
            var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
            var sample = new WarpLoss(labels, c, seed: t).Sample(z);
            for (int i = 0; i < n; i++)
            {
                if (sample.Negatives[i] < 0) continue;
                int k = (c - 1) / sample.Trials[i];
                double harmonic = 0;
                for (int r = 1; r <= k; r++) harmonic += 1.0 / r;
                Assert.Equal(harmonic, sample.RankWeights[i], 1e-12);
            }
        }
    }

    [Fact]
    public void Exercise_09_1_mean_reduction_gradient_passes_and_the_sum_gradient_fails()
    {
        var rng = new Random(2024);
        int n = 5, c = 4;
        var z = Uniform(rng, n * c, -2, 2);
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        var mean = new SoftmaxCrossEntropy(labels, c, reduction: Reduction.Mean);
        double[] Grad(double[] x, double scale) => Enumerable.Range(0, n * c).Select(k =>
            scale * (SoftmaxOf(x.AsSpan(k / c * c, c))[k % c] - (k % c == labels[k / c] ? 1.0 : 0.0))).ToArray();
        Assert.False(Exercise.CheckGradient("09-1", x => mean.Value(x), z, (Func<double[], double[]>?)null).Attempted);
        Assert.True(Exercise.CheckGradient("09-1", x => mean.Value(x), z, x => Grad(x, 1.0 / n)).Passed);
        var wrong = Exercise.CheckGradient("09-1", x => mean.Value(x), z, x => Grad(x, 1.0));
        Assert.False(wrong.Passed);
        Assert.StartsWith("09-1: FAIL", wrong.Message);
    }

    [Fact]
    public void Exercise_09_2_squared_hinge_gradient_passes_and_the_hinge_subgradient_fails()
    {
        var rng = new Random(2024);
        int n = 5, c = 4;
        var z = Uniform(rng, n * c, -2, 2);
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(c)).ToArray();
        double Margin(double[] x, int i, int j) => 1 + x[i * c + j] - x[i * c + labels[i]];
        double Value(double[] x) => Enumerable.Range(0, n).Sum(i => Enumerable.Range(0, c).Where(j => j != labels[i]).Sum(j => 0.5 * Math.Pow(Math.Max(0, Margin(x, i, j)), 2)));
        double[] Gradient(double[] x, Func<double, double> slope) => Enumerable.Range(0, n * c).Select(k =>
        {
            int i = k / c, j = k % c;
            return j != labels[i] ? slope(Margin(x, i, j)) : -Enumerable.Range(0, c).Where(l => l != labels[i]).Sum(l => slope(Margin(x, i, l)));
        }).ToArray();
        Assert.True(Exercise.CheckGradient("09-2", Value, z, x => Gradient(x, m => Math.Max(0, m))).Passed);
        Assert.False(Exercise.CheckGradient("09-2", Value, z, x => Gradient(x, m => m > 0 ? 1 : 0)).Passed);
    }
}
