using static LossNotebooks.Tests.Losses.Expect;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>
/// Every span kernel of the two softmax losses (labels / soft targets) with every choice of outputs — value only,
/// gradient only, diagonal only, both — against a per-row reference written here. The shapes reach the SIMD main loop
/// and scalar tail (c = 2…9), the stack scratch at its limit (c = 256) and the pooled one (c = 300), and the row
/// chunking: one chunk at the limit, several chunks run serially (n·c below 2^16) with a last chunk of one row or of a
/// few, and several chunks run in parallel with a short last chunk.
/// </summary>
public class KernelOutputAndChunkTests
{
    public enum Kind { CrossEntropyLabels, CrossEntropySoft, BrierLabels, BrierSoft }

    public static TheoryData<int, int> Shapes => new()
    {
        { 3, 2 }, { 3, 3 }, { 3, 4 }, { 3, 5 }, { 2, 8 }, { 2, 9 }, { 2, 40 }, { 2, 256 }, { 2, 300 },
        { 5461, 3 },   // 16 383 entries: exactly one chunk of ⌊2^14/3⌋ = 5461 rows
        { 5462, 3 },   // two chunks run serially, the last of one row
        { 1000, 40 },  // 40 000 entries, 409 rows per chunk: three serial chunks, the last of 182 rows
        { 1639, 41 },  // 67 199 entries ≥ 2^16: five parallel chunks of 399 rows, the last of 43
    };


    /// <summary>Value, gradient and diagonal from the per-row formulas (see each loss's summary), rows summed in order.</summary>
    private static (double Value, double[] G, double[] D) Reference(Kind kind, double[] z, int c, int[] labels, double[] y, double[] rowW, double[] entryW)
    {
        int n = z.Length / c;
        var g = new double[n * c]; var d = new double[n * c];
        double value = 0;
        for (int i = 0; i < n; i++)
        {
            var p = SoftmaxOf(z.AsSpan(i * c, c));
            double Y(int j) => kind is Kind.CrossEntropyLabels or Kind.BrierLabels ? (labels[i] == j ? 1 : 0) : y[i * c + j];
            if (kind is Kind.CrossEntropyLabels or Kind.CrossEntropySoft)
            {
                // −Σ_j y_j log p_j; gradient w(s p − y); diagonal w s p(1 − p), s = Σ_j y_j.
                double w = kind == Kind.CrossEntropyLabels ? rowW[i] : 1.0, s = 0, row = 0;
                for (int j = 0; j < c; j++) { s += Y(j); row -= Y(j) * Math.Log(p[j]); }
                value += w * row;
                for (int j = 0; j < c; j++)
                {
                    g[i * c + j] = w * (s * p[j] - Y(j));
                    d[i * c + j] = w * s * p[j] * (1 - p[j]);
                }
            }
            else
            {
                // Σ_j w_j (p_j − y_j)²; a = w(p − y), S = Σ a p, T = Σ w p²; g = 2p(a − S);
                // d = 2p(1 − p)(a − S) + 2p²[w(1 − 2p) − a + T + S].
                double W(int j) => kind == Kind.BrierSoft ? entryW[i * c + j] : 1.0;
                double S = 0, T = 0;
                for (int j = 0; j < c; j++)
                {
                    double e = p[j] - Y(j);
                    value += W(j) * e * e;
                    S += W(j) * e * p[j];
                    T += W(j) * p[j] * p[j];
                }
                for (int j = 0; j < c; j++)
                {
                    double a = W(j) * (p[j] - Y(j));
                    g[i * c + j] = 2 * p[j] * (a - S);
                    d[i * c + j] = 2 * p[j] * (1 - p[j]) * (a - S) + 2 * p[j] * p[j] * (W(j) * (1 - 2 * p[j]) - a + T + S);
                }
            }
        }
        return (value, g, d);
    }

    private static double Run(Kind kind, double[] z, int c, int[] labels, double[] y, double[] rowW, double[] entryW, Span<double> g, Span<double> d) => kind switch
    {
        Kind.CrossEntropyLabels => SoftmaxCrossEntropy.Kernel(z, c, labels, rowW, g, d),
        Kind.CrossEntropySoft => SoftmaxCrossEntropy.Kernel(z, c, y, default, g, d),     // empty weights: ones
        Kind.BrierLabels => WeightedBrier.Kernel(z, c, labels, default, g, d),           // empty weights: the ones scratch row
        Kind.BrierSoft => WeightedBrier.Kernel(z, c, y, entryW, g, d),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    // The kernels and the reference evaluate the same formulas in another order (SIMD lanes, vectorised exp, chunked
    // sums): a few ulps per term. Relative 1e-11 covers sums of up to ~67 000 terms (n·ε ≈ 1e-11 at worst for the value)
    // and is far below anything a wrong row range, missing chunk or wrong scratch row produces (O(1) per term).
    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-11 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_kernel_and_output_choice_matches_the_per_row_reference(int n, int c)
    {
        var r = new Random(31 * n + c);
        var z = new double[n * c];
        for (int k = 0; k < z.Length; k++) z[k] = r.Next(12) == 0 ? (r.Next(2) == 0 ? -30 : 30) : LossCases.Uniform(r, -4, 4);
        var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
        var y = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, 0, 1.5)).ToArray();   // unnormalised rows
        var rowW = Enumerable.Range(0, n).Select(_ => LossCases.Uniform(r, 0.2, 2)).ToArray();
        var entryW = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, 0.2, 2)).ToArray();

        foreach (var kind in Enum.GetValues<Kind>())
        {
            var (value, eg, ed) = Reference(kind, z, c, labels, y, rowW, entryW);
            foreach (var (wantG, wantD) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                var g = wantG ? new double[n * c] : null;
                var d = wantD ? new double[n * c] : null;
                string what = $"{kind}, n={n}, c={c}, gradient {wantG}, diagonal {wantD}";
                Close(value, Run(kind, z, c, labels, y, rowW, entryW, g, d), $"{what}: value");
                for (int k = 0; k < n * c; k++)
                {
                    if (g is not null) Close(eg[k], g[k], $"{what}: gradient [{k / c},{k % c}]");
                    if (d is not null) Close(ed[k], d[k], $"{what}: diagonal [{k / c},{k % c}]");
                }
            }
        }
    }
}
