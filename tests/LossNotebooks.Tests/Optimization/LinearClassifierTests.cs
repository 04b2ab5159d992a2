using LossNotebooks.Data;
using LossNotebooks.Differentiation;
using LossNotebooks.Optimization;

namespace LossNotebooks.Tests.Optimization;

/// <summary>
/// The fused linear-model kernels against (a) a plain, obviously-correct triple loop written here from the formulas and
/// (b) central finite differences of the objective.
/// </summary>
public class LinearClassifierTests
{
    internal static (double[] X, int[] Y) RandomData(Random r, int n, int d, int c, double xScale = 1.0)
    {
        var x = new double[n * d];
        for (int k = 0; k < x.Length; k++) x[k] = xScale * (2 * r.NextDouble() - 1);
        var y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.Next(c);
        return (x, y);
    }

    internal static double[] RandomWeights(Random r, int count, double scale)
    {
        var w = new double[count];
        for (int k = 0; k < w.Length; k++) w[k] = scale * (2 * r.NextDouble() - 1);
        return w;
    }

    /// <summary>A small random problem (n ≤ 12, d ≤ 5, c ≤ 5, random bias / λ) and random W, for the numeric-gradient tests.</summary>
    internal static (LinearClassifier Model, double[] W) RandomProblem(Random r, LinearLoss loss)
    {
        int n = r.Next(1, 13), d = r.Next(1, 6), c = r.Next(2, 6);
        var (x, y) = RandomData(r, n, d, c, 2.0);
        var model = new LinearClassifier(x, y, d, c, loss, r.Next(3) == 0 ? 0 : r.NextDouble(), bias: r.Next(2) == 0);
        return (model, RandomWeights(r, model.Parameters, 1.5));
    }

    /// <summary>
    /// The direct implementation: scores row by row, the per-row loss from its textbook formula, dW = X̃ᵀ·dZ / n + 2λW.
    /// Written independently of the library's loss kernels.
    /// </summary>
    internal static double Direct(double[] x, int[] y, int d, int c, bool bias, LinearLoss loss, double lambda, double margin,
        double[] w, double[] gradient)
    {
        int n = y.Length, D = d + (bias ? 1 : 0);
        Array.Clear(gradient);
        double total = 0;
        var z = new double[c];
        var dz = new double[c];
        for (int i = 0; i < n; i++)
        {
            double Xt(int j) => j < d ? x[i * d + j] : 1.0;
            for (int k = 0; k < c; k++)
            {
                double s = 0;
                for (int j = 0; j < D; j++) s += Xt(j) * w[j * c + k];
                z[k] = s;
            }
            Array.Clear(dz);
            int t = y[i];
            switch (loss)
            {
                case LinearLoss.Hinge:
                    for (int k = 0; k < c; k++)
                    {
                        if (k == t) continue;
                        double m = margin + z[k] - z[t];
                        if (m > 0) { total += m; dz[k] += 1; dz[t] -= 1; }
                    }
                    break;
                case LinearLoss.SoftmaxCrossEntropy:
                {
                    double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                    total += -(z[t] - max - Math.Log(sum));
                    for (int k = 0; k < c; k++) dz[k] = Math.Exp(z[k] - max) / sum - (k == t ? 1 : 0);
                    break;
                }
                default:
                {
                    double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                    var p = z.Select(v => Math.Exp(v - max) / sum).ToArray();
                    var e = p.Select((pk, k) => pk - (k == t ? 1.0 : 0.0)).ToArray();
                    total += e.Sum(v => v * v);
                    // d/dz_l Σ_k e_k² = Σ_k 2 e_k p_k (δ_kl − p_l) = 2 p_l (e_l − Σ_k e_k p_k)
                    double s = 0;
                    for (int k = 0; k < c; k++) s += e[k] * p[k];
                    for (int k = 0; k < c; k++) dz[k] = 2 * p[k] * (e[k] - s);
                    break;
                }
            }
            for (int j = 0; j < D; j++)
                for (int k = 0; k < c; k++) gradient[j * c + k] += Xt(j) * dz[k] / n;
        }
        double penalty = 0;
        for (int e = 0; e < d * c; e++) { penalty += lambda * w[e] * w[e]; gradient[e] += 2 * lambda * w[e]; }
        return total / n + penalty;
    }

    public static TheoryData<LinearLoss> Losses => [LinearLoss.Hinge, LinearLoss.SoftmaxCrossEntropy, LinearLoss.Brier];

    [Theory]
    [MemberData(nameof(Losses))]
    public void Fused_value_and_gradient_equal_the_direct_implementation(LinearLoss loss)
    {
        var r = new Random(11 + (int)loss);
        // Shapes cover: n below one tile, n not a multiple of the tile or the 2-row / 4-row register tiles, several
        // parallel blocks (n ≥ 128), d below and above the SIMD width, c not a multiple of 4, bias on and off; c = 12 and
        // d = 45 leave both a single-class remainder and a column tail in the register-tiled gradient; c = 300 is past the
        // gradient kernel's stack buffer for active classes.
        foreach (var (n, d, c, bias) in new[] { (1, 1, 2, true), (7, 3, 3, false), (37, 9, 5, true), (130, 17, 10, true), (1000, 33, 7, false), (515, 64, 10, true), (200, 45, 12, false), (40, 20, 300, true) })
        {
            var (x, y) = RandomData(r, n, d, c);
            var model = new LinearClassifier(x, y, d, c, loss, regularization: 0.01, bias: bias, margin: 1.0);
            var w = RandomWeights(r, model.Parameters, 0.5);
            var fused = new double[w.Length];
            var direct = new double[w.Length];
            double value = model.ValueAndGradient(w, fused);
            double expected = Direct(x, y, d, c, bias, loss, 0.01, 1.0, w, direct);
            // Same sums in a different order (SIMD lanes, tiles, blocks): agreement to a few ulps of the magnitudes
            // involved; 1e-12 relative to (1 + |value|) / (1 + max|g|) is ~10⁴ ulp of slack and catches any formula error.
            Assert.Equal(expected, value, 1e-12 * (1 + Math.Abs(expected)));
            Assert.Equal(value, model.Value(w)); // the value-only path runs the same blocks in the same order
            double gmax = direct.Max(Math.Abs);
            for (int e = 0; e < w.Length; e++)
                Assert.True(Math.Abs(fused[e] - direct[e]) <= 1e-12 * (1 + gmax), $"{loss} n={n} d={d} c={c} entry {e}: fused {fused[e]}, direct {direct[e]}");
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Analytic_gradient_matches_central_differences_on_random_small_problems(LinearLoss loss)
    {
        var r = new Random(500 + (int)loss);
        int checkedCases = 0;
        for (int t = 0; t < 300; t++)
        {
            int n = r.Next(1, 9), d = r.Next(1, 5), c = r.Next(2, 5);
            bool bias = r.Next(2) == 0;
            double lambda = r.Next(3) == 0 ? 0 : r.NextDouble();
            var (x, y) = RandomData(r, n, d, c, 2.0);
            var model = new LinearClassifier(x, y, d, c, loss, lambda, bias, margin: 1.0);
            var w = RandomWeights(r, model.Parameters, 1.5);
            if (loss == LinearLoss.Hinge && !AwayFromKinks(model, w, 0.02)) continue;
            checkedCases++;
            var analytic = new double[w.Length];
            var numeric = new double[w.Length];
            double value = model.ValueAndGradient(w, analytic);
            FiniteDifference.Gradient(model.Value, w, numeric, DifferenceRule.Central);
            // Central differences, h = ε^(1/3)·max(|w|, 1) ≤ 1e-5 here (|w| ≤ 1.5): truncation h²|L'''|/6 with
            // |L'''| ≤ Σ|x|³ ≤ 8·(d+1)... ≲ 1e-9 for these small shapes, rounding ε·F/h ≈ 2e-11·F with F = 1 + |L| + Σ|w|.
            // 1e-7·F is ≥ 10× both and far below a formula error (O(0.1)). Hinge cases are kept only when every margin
            // is ≥ 0.02 from its kink, while a step moves a score by ≤ h·max|x̃| ≤ 2e-5: no difference straddles a kink,
            // so the function is exactly linear-plus-quadratic along each step and only rounding remains.
            double tol = 1e-7 * (1 + Math.Abs(value) + w.Sum(Math.Abs));
            for (int e = 0; e < w.Length; e++)
                Assert.True(Math.Abs(analytic[e] - numeric[e]) <= tol,
                    $"{loss} case {t} (n={n}, d={d}, c={c}, bias={bias}, λ={lambda}) entry {e}: analytic {analytic[e]}, numeric {numeric[e]}");
        }
        Assert.True(checkedCases >= 100, $"only {checkedCases} cases were away from the hinge kinks");
    }

    /// <summary>True when every hinge margin Δ + z_j − z_y is at least <paramref name="gap"/> away from 0.</summary>
    internal static bool AwayFromKinks(LinearClassifier model, double[] w, double gap)
    {
        var z = new double[model.Rows * model.Classes];
        model.Scores(w, z);
        int c = model.Classes;
        for (int i = 0; i < model.Rows; i++)
            for (int k = 0; k < c; k++)
                if (k != model.Labels[i] && Math.Abs(model.Margin + z[i * c + k] - z[i * c + model.Labels[i]]) < gap) return false;
        return true;
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void Batch_of_draws_scores_like_one_draw_at_a_time(LinearLoss loss)
    {
        var r = new Random(77);
        var (x, y) = RandomData(r, 300, 20, 10);
        var model = new LinearClassifier(x, y, 20, 10, loss, 1e-3);
        int B = 7, P = model.Parameters;
        var draws = RandomWeights(r, B * P, 0.3);
        var losses = new double[B];
        model.Values(draws, losses);
        for (int q = 0; q < B; q++)
        {
            double one = model.Value(draws.AsSpan(q * P, P));
            // The batch product groups columns of different draws into the same register tile, so a score may be
            // summed in a different order: a few ulps of difference, hence 1e-12 relative.
            Assert.Equal(one, losses[q], 1e-12 * (1 + Math.Abs(one)));
        }
    }

    [Fact]
    public void Mini_batch_of_all_rows_equals_the_full_gradient_and_a_subset_equals_a_model_of_that_subset()
    {
        var r = new Random(5);
        var (x, y) = RandomData(r, 200, 12, 4);
        var model = new LinearClassifier(x, y, 12, 4, LinearLoss.SoftmaxCrossEntropy, 0.05);
        var w = RandomWeights(r, model.Parameters, 0.5);
        var full = new double[w.Length];
        var batch = new double[w.Length];
        double v = model.ValueAndGradient(w, full);
        double vb = model.ValueAndGradient(w, batch, Enumerable.Range(0, 200).ToArray());
        Assert.Equal(v, vb, 1e-12);
        for (int e = 0; e < w.Length; e++) Assert.Equal(full[e], batch[e], 1e-12);

        int[] rows = [3, 150, 7, 7, 99];
        var sub = new LinearClassifier(rows.SelectMany(i => x.Skip(i * 12).Take(12)).ToArray(), rows.Select(i => y[i]).ToArray(), 12, 4,
            LinearLoss.SoftmaxCrossEntropy, 0.05);
        var expected = new double[w.Length];
        double ve = sub.ValueAndGradient(w, expected);
        Assert.Equal(ve, model.ValueAndGradient(w, batch, rows), 1e-12);
        for (int e = 0; e < w.Length; e++) Assert.Equal(expected[e], batch[e], 1e-12);
    }

    [Fact]
    public void Accuracy_and_prediction_use_the_argmax_of_the_scores()
    {
        // Two features, classes separated by sign of x0; W puts +x0 on class 1, −x0 on class 0.
        double[] x = [1, 0, -1, 0, 2, 5, -3, 1];
        int[] y = [1, 0, 1, 0]; // rows 0 and 3 right, 1... : row 2 (x0 = 2) is class 1 → right; row 1 (x0 = −1) → class 0 right
        var model = new LinearClassifier(x, y, 2, 2, LinearLoss.Hinge, 0);
        double[] w = [-1, 1, 0, 0, 0, 0];
        Assert.Equal(1.0, model.Accuracy(w));
        Assert.Equal(0, model.Predict(w, [-0.5, 9]));
        var other = new Dataset("v", [1, 0, 1, 0], [0, 1], 2, ["a", "b"]);
        Assert.Equal(0.5, model.Accuracy(w, other));
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        var r = new Random(1);
        var (x, y) = RandomData(r, 10, 3, 3);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new LinearClassifier(x.Take(29).ToArray(), y, 3, 3, LinearLoss.Hinge)).ParamName);
        var nan = (double[])x.Clone();
        nan[4] = double.NaN;
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => new LinearClassifier(nan, y, 3, 3, LinearLoss.Hinge)).ParamName);
        var bad = (int[])y.Clone();
        bad[2] = 3;
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearClassifier(x, bad, 3, 3, LinearLoss.Hinge)).ParamName);
        bad[2] = -1;
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearClassifier(x, bad, 3, 3, LinearLoss.Hinge)).ParamName);
        Assert.Equal("regularization", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearClassifier(x, y, 3, 3, LinearLoss.Hinge, double.NaN)).ParamName);
        var model = new LinearClassifier(x, y, 3, 3, LinearLoss.Hinge);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => model.Value(new double[5])).ParamName);
        var w = new double[model.Parameters];
        w[0] = double.PositiveInfinity;
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => model.Value(w)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => model.ValueAndGradient(new double[model.Parameters], new double[1])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => model.ValueAndGradient(new double[model.Parameters], new double[model.Parameters], [0, 10])).ParamName);
    }
}
