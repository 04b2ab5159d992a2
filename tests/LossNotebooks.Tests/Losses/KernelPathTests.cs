using static LossNotebooks.Tests.Losses.Expect;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// The span kernels of the two boosting losses against references written here from the formulas, on inputs that
/// reach every path: unnormalised soft targets (the kernels use the row sum s_i as given, which normalised targets
/// never exercise), class counts on both sides of every SIMD width (main loop and scalar tail, c up to 40), logits at
/// ±30, and n·c above the row-parallel threshold (2^16 entries). Tolerance 1e-11 relative: the references sum in a
/// different order, so only rounding may differ (~1e-15 per term, c ≤ 40 terms per row).
/// </summary>
public class KernelPathTests
{
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 2 }, { 3, 3 }, { 2, 4 }, { 3, 5 }, { 2, 7 }, { 2, 8 }, { 3, 9 }, { 2, 15 }, { 2, 16 }, { 3, 17 }, { 2, 31 }, { 2, 33 }, { 3, 40 },
        { 1700, 40 },   // 68,000 entries: the row-parallel path
        { 16400, 4 },   // 65,600 entries: parallel, narrow rows
    };

    private static (double[] Z, double[] Y, double[] W, double[] RowW) Draw(int n, int c, int seed)
    {
        var r = new Random(seed);
        var z = new double[n * c];
        for (int k = 0; k < z.Length; k++) z[k] = r.Next(10) == 0 ? (r.Next(2) == 0 ? -30 : 30) : LossCases.Uniform(r, -4, 4);
        var y = new double[n * c];
        for (int k = 0; k < y.Length; k++) y[k] = LossCases.Uniform(r, 0, 1.5);   // row sums anywhere in [0, 1.5c]: not probabilities
        var w = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, 0.2, 2)).ToArray();
        var rowW = Enumerable.Range(0, n).Select(_ => LossCases.Uniform(r, 0.2, 2)).ToArray();
        return (z, y, w, rowW);
    }


    private static void Close(double expected, double actual, string what)
    {
        double err = Math.Abs(expected - actual);
        Assert.True(err <= 1e-11 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Cross_entropy_with_unnormalised_targets_uses_each_rows_mass(int n, int c)
    {
        var (z, y, _, rowW) = Draw(n, c, 1000 * n + c);
        var g = new double[n * c];
        var d = new double[n * c];
        double value = SoftmaxCrossEntropy.Kernel(z, c, y, rowW, g, d);
        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            var zi = z.AsSpan(i * c, c);
            var p = SoftmaxOf(zi);
            double m = zi.ToArray().Max(), lse = m + Math.Log(zi.ToArray().Sum(v => Math.Exp(v - m)));
            double mass = 0, dot = 0;
            for (int j = 0; j < c; j++) { mass += y[i * c + j]; dot += y[i * c + j] * zi[j]; }
            expected += rowW[i] * (mass * lse - dot);                                       // −Σ_j y_ij log p_ij
            for (int j = 0; j < c; j++)
            {
                Close(rowW[i] * (mass * p[j] - y[i * c + j]), g[i * c + j], $"gradient [{i},{j}] (n={n}, c={c})");   // w(s p − y)
                Close(rowW[i] * mass * p[j] * (1 - p[j]), d[i * c + j], $"diagonal [{i},{j}] (n={n}, c={c})");      // w s p(1 − p)
            }
        }
        Close(expected, value, $"value (n={n}, c={c})");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weighted_brier_with_unnormalised_targets_matches_the_corrected_derivation(int n, int c)
    {
        var (z, y, w, _) = Draw(n, c, 7000 * n + c);
        var g = new double[n * c];
        var d = new double[n * c];
        double value = WeightedBrier.Kernel(z, c, y, w, g, d);
        double expected = 0;
        for (int i = 0; i < n; i++)
        {
            var p = SoftmaxOf(z.AsSpan(i * c, c));
            double S = 0, T = 0;   // S_k = Σ_j p_j a_j, T = Σ_j w_j p_j (2 p_j − y_j)
            for (int j = 0; j < c; j++)
            {
                int k = i * c + j;
                double a = (p[j] - y[k]) * w[k];
                expected += (p[j] - y[k]) * (p[j] - y[k]) * w[k];
                S += p[j] * a;
                T += w[k] * p[j] * (2 * p[j] - y[k]);
            }
            for (int l = 0; l < c; l++)
            {
                int k = i * c + l;
                double pl = p[l], a = (pl - y[k]) * w[k];
                Close(2 * pl * (a - S), g[k], $"gradient [{i},{l}] (n={n}, c={c})");
                // Notebook 02's corrected final line: 2σ(1−σ)(a−S) + 2σ²w(1−σ) − 2σ²(w(2σ−y) − Σ_j w_j σ_j(2σ_j − y_j)).
                double h = 2 * pl * (1 - pl) * (a - S) + 2 * pl * pl * w[k] * (1 - pl) - 2 * pl * pl * (w[k] * (2 * pl - y[k]) - T);
                Close(h, d[k], $"diagonal [{i},{l}] (n={n}, c={c})");
            }
        }
        Close(expected, value, $"value (n={n}, c={c})");
    }
}
