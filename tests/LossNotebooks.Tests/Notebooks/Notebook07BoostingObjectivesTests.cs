using LossNotebooks.Checks;
using LossNotebooks.Derivations;
using LossNotebooks.Differentiation;
using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Notebooks;

/// <summary>
/// The calls notebooks/07-boosting-objectives.ipynb makes (including the new <see cref="BoostingObjective"/> helper) and the
/// claims its prose makes about them, each with numbers that do not come from the code under test where possible.
/// </summary>
public class Notebook07BoostingObjectivesTests
{
    private static readonly BoostingCurvature[] Curvatures = [BoostingCurvature.Exact, BoostingCurvature.XGBoost, BoostingCurvature.LightGBM];

    // ------------------------------------------------------------------ layout

    [Fact]
    public void Class_major_puts_entry_i_j_at_j_n_plus_i_and_round_trips_bit_for_bit()
    {
        int n = 4, c = 3;
        var rowMajor = Enumerable.Range(0, n * c).Select(t => 10.0 * (t / c) + t % c).ToArray();   // value = 10·i + j
        var classMajor = new double[n * c];
        BoostingObjective.ToClassMajor(rowMajor, c, classMajor);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
                Assert.Equal(10.0 * i + j, classMajor[j * n + i]);
        var back = new double[n * c];
        BoostingObjective.FromClassMajor(classMajor, c, back);
        Assert.Equal(rowMajor, back);
    }

    [Fact]
    public void Layout_and_curvature_helpers_reject_bad_input_by_name()
    {
        Assert.Equal("rowMajor", Assert.Throws<ArgumentException>(() => BoostingObjective.ToClassMajor(new double[7], 3, new double[7])).ParamName);
        Assert.Equal("classMajor", Assert.Throws<ArgumentException>(() => BoostingObjective.ToClassMajor(new double[6], 3, new double[9])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => BoostingObjective.ToClassMajor(new double[6], 0, new double[6]));
        double[] h = [1, 0, 0, 1];
        Assert.Equal("diagonal", Assert.Throws<ArgumentOutOfRangeException>(() => BoostingObjective.CurvatureRatios(h, [1.0, -0.5])).ParamName);
        Assert.Equal("diagonal", Assert.Throws<ArgumentOutOfRangeException>(() => BoostingObjective.CurvatureRatios(h, [1.0, 0.0])).ParamName);
        Assert.Equal("rowHessian", Assert.Throws<ArgumentException>(() => BoostingObjective.CurvatureRatios([1.0, 0, 0], [1.0, 1.0])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => BoostingObjective.StepCurvatureRatio(h, [1.0, 1.0], [0.0, 0.0])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => BoostingObjective.StepCurvatureRatio(h, [1.0, 1.0], [1.0])).ParamName);
    }

    [Fact]
    public void Curvature_ratios_on_a_hand_computed_block()
    {
        // H = [[2, 1], [1, 2]] (eigenvalues 1 and 3), D = diag(2, 2): D^-½HD^-½ = H/2 → (0.5, 1.5).
        var (min, max) = BoostingObjective.CurvatureRatios([2.0, 1, 1, 2], [2.0, 2.0]);
        Assert.Equal(0.5, min, 1e-14);
        Assert.Equal(1.5, max, 1e-14);
        // g = (1, 1): d = −(0.5, 0.5), dᵀHd = 1.5, dᵀDd = 1 → 1.5 (along the top eigenvector).
        Assert.Equal(1.5, BoostingObjective.StepCurvatureRatio([2.0, 1, 1, 2], [2.0, 2.0], [1.0, 1.0]), 1e-14);
    }

    // ------------------------------------------------------------------ section 2a: equal scores

    [Fact]
    public void At_equal_scores_LightGBM_is_exact_Newton_and_the_others_are_off_by_the_hand_derived_factors()
    {
        var rng = new Random(5);
        for (int K = 2; K <= 10; K++)
        {
            var target = Enumerable.Range(0, K).Select(_ => rng.NextDouble() + 0.01).ToArray();
            double sum = target.Sum();
            for (int j = 0; j < K; j++) target[j] /= sum;
            var leaf = new SoftmaxCrossEntropy(target, K);
            var z = new double[K];
            var g = new double[K];
            leaf.Gradient(z, g);
            var h = new double[K * K];
            leaf.RowHessian(z, 0, h);
            // μ and the step ratio, by hand: H has eigenvalue 1/K on Σ = 0 and D = f·(1/K)(1 − 1/K), so μ = K/(f(K − 1)).
            foreach (var (k, expected) in new[] { (BoostingCurvature.Exact, K / (K - 1.0)), (BoostingCurvature.XGBoost, K / (2.0 * (K - 1))), (BoostingCurvature.LightGBM, 1.0) })
            {
                var d = new double[K];
                leaf.BoostingDiagonal(z, d, k);
                Assert.Equal(expected, BoostingObjective.CurvatureRatios(h, d).Max, 1e-12);   // K ≤ 10 eigenproblem: errors ~1e-15
                Assert.Equal(expected, BoostingObjective.StepCurvatureRatio(h, d, g), 1e-12);  // g sums to 0, so it lies in that eigenspace
            }
        }
    }

    [Fact]
    public void First_iteration_leaf_LightGBM_step_lowers_the_loss_most_then_XGBoost_then_exact()
    {
        var leaf = new SoftmaxCrossEntropy([0.7, 0.2, 0.1], 3);
        var z = new double[3];
        var g = new double[3];
        leaf.Gradient(z, g);
        double After(BoostingCurvature k)
        {
            var d = new double[3];
            leaf.BoostingDiagonal(z, d, k);
            return leaf.Value(g.Zip(d, (a, b) => -a / b).ToArray());
        }
        double exact = After(BoostingCurvature.Exact), xgb = After(BoostingCurvature.XGBoost), lgb = After(BoostingCurvature.LightGBM);
        Assert.True(lgb < xgb && xgb < exact && exact < Math.Log(3), $"{lgb} {xgb} {exact}");   // measured 0.808 < 0.820 < 0.879 < 1.099
        Assert.True(lgb > -(0.7 * Math.Log(0.7) + 0.2 * Math.Log(0.2) + 0.1 * Math.Log(0.1)));  // never below the entropy of ȳ
    }

    // ------------------------------------------------------------------ section 2b: random rows (the notebook's generator)

    private sealed record RowStats(double PMin, int K, Dictionary<BoostingCurvature, (double Mu, double StepRatio, bool WorseFull)> By);

    // Per test, not a static cache: under Stryker one test process runs many mutants, and rows computed under one
    // mutant must not be read under the next.
    private readonly Lazy<List<RowStats>> RandomRows = new(() =>
    {
        var rng = new Random(2016);
        var rows = new List<RowStats>();
        for (int t = 0; t < 3000; t++)
        {
            int K = rng.Next(2, 11);
            double s = 0.3 + 3.7 * rng.NextDouble();
            var z = Enumerable.Range(0, K).Select(_ => s * StepInput.Gaussian(rng)).ToArray();
            var target = Enumerable.Range(0, K).Select(_ => -Math.Log(1 - rng.NextDouble())).ToArray();
            double sum = target.Sum();
            for (int j = 0; j < K; j++) target[j] /= sum;
            var row = new SoftmaxCrossEntropy(target, K);
            var g = new double[K];
            double before = row.Gradient(z, g);
            var h = new double[K * K];
            row.RowHessian(z, 0, h);
            var p = new double[K];
            Softmax.Row(z, p);
            var by = new Dictionary<BoostingCurvature, (double, double, bool)>();
            foreach (var k in Curvatures)
            {
                var d = new double[K];
                row.BoostingDiagonal(z, d, k);
                var step = g.Zip(d, (a, b) => -a / b).ToArray();
                by[k] = (BoostingObjective.CurvatureRatios(h, d).Max, BoostingObjective.StepCurvatureRatio(h, d, g),
                         row.Value(z.Zip(step, (a, b) => a + b).ToArray()) > before);
            }
            rows.Add(new RowStats(p.Min(), K, by));
        }
        return rows;
    });

    // Eigenvalues of a ≤ 10×10 symmetric matrix with entries ≤ 1 are accurate to ~1e-14; 1e-9 is the slack on the bounds.
    private const double EigenSlack = 1e-9;

    [Fact]
    public void XGBoost_diagonal_is_an_upper_bound_on_every_random_row()
    {
        Assert.All(RandomRows.Value, r =>
        {
            Assert.True(r.By[BoostingCurvature.XGBoost].Mu <= 1 + EigenSlack, $"μ = {r.By[BoostingCurvature.XGBoost].Mu}");
            Assert.True(r.By[BoostingCurvature.XGBoost].StepRatio <= 1 + EigenSlack);
        });
    }

    [Fact]
    public void Exact_diagonal_is_never_an_upper_bound_and_mu_stays_below_two()
    {
        Assert.All(RandomRows.Value, r =>
        {
            // Trace argument: the other K − 1 eigenvalues average K/(K − 1), so the largest is at least that.
            Assert.True(r.By[BoostingCurvature.Exact].Mu >= r.K / (r.K - 1.0) - EigenSlack, $"K = {r.K}, μ = {r.By[BoostingCurvature.Exact].Mu}");
            Assert.True(r.By[BoostingCurvature.Exact].Mu <= 2 + EigenSlack);
        });
        Assert.True(RandomRows.Value.Max(r => r.By[BoostingCurvature.Exact].Mu) > 1.99);   // "reaches 2" (measured 2.000)
    }

    [Fact]
    public void LightGBM_diagonal_exceeds_one_on_skewed_rows_but_stays_below_two_K_minus_one_over_K()
    {
        var rows = RandomRows.Value;
        Assert.All(rows, r => Assert.True(r.By[BoostingCurvature.LightGBM].Mu <= 2 * (r.K - 1.0) / r.K + EigenSlack));
        Assert.True(rows.Count(r => r.By[BoostingCurvature.LightGBM].Mu > 1 + 1e-6) > rows.Count / 2);   // measured 90%
        Assert.Contains(rows, r => r.By[BoostingCurvature.LightGBM].StepRatio > 1.2);                  // some steps clearly too long
    }

    [Fact]
    public void On_moderate_rows_fewer_full_steps_increase_the_loss_with_XGBoost_than_LightGBM_than_exact()
    {
        var moderate = RandomRows.Value.Where(r => r.PMin >= 0.02).ToList();
        int Worse(BoostingCurvature k) => moderate.Count(r => r.By[k].WorseFull);
        int x = Worse(BoostingCurvature.XGBoost), l = Worse(BoostingCurvature.LightGBM), e = Worse(BoostingCurvature.Exact);
        // Measured 7.9%, 21.5%, 39.9% of 1107 rows: far apart compared with sampling noise (~1.5%).
        Assert.True(x < l && l < e, $"{x} {l} {e} of {moderate.Count}");
        Assert.True(x < 0.15 * moderate.Count && e > 0.3 * moderate.Count, $"{x} {e} of {moderate.Count}");
    }

    // ------------------------------------------------------------------ section 3: Brier

    [Fact]
    public void Brier_diagonal_at_zero_scores_matches_the_hand_formula_and_is_negative_at_the_label_for_K_at_least_4()
    {
        for (int K = 2; K <= 12; K++)
        {
            var d = new double[K];
            new WeightedBrier([0], K).DiagonalHessian(new double[K], d);
            double k3 = K * K * K;
            Assert.Equal(2.0 * (K - 1) * (3 - K) / k3, d[0], 1e-15);
            for (int l = 1; l < K; l++) Assert.Equal(2.0 * (2 * K - 3) / k3, d[l], 1e-15);
            if (K >= 4) Assert.True(d[0] < 0);
        }
    }

    [Fact]
    public void A_pure_Brier_leaf_with_negative_hessian_sum_moves_the_wrong_way()
    {
        int m = 100, K = 10;
        var pure = new WeightedBrier(Enumerable.Repeat(0, m).ToArray(), K);
        var g = new double[m * K];
        var h = new double[m * K];
        double before = pure.GradientAndDiagonalHessian(new double[m * K], g, h);
        double G = Enumerable.Range(0, m).Sum(i => g[i * K]), H = Enumerable.Range(0, m).Sum(i => h[i * K]);
        // By hand at p = 1/K: g_label = 2p(p − 1 − 0) = −0.18 per row, h_label = 2·9·(−7)/1000 = −0.126 per row.
        Assert.Equal(-18.0, G, 1e-12);
        Assert.Equal(-12.6, H, 1e-12);
        double leaf = -G / (H + 1);
        Assert.True(leaf < 0);
        var moved = new double[m * K];
        for (int i = 0; i < m; i++) moved[i * K] = leaf;
        Assert.True(pure.Value(moved) > before);
    }

    [Fact]
    public void Brier_negative_entries_are_common_and_Gauss_Newton_beats_clipping()
    {
        var rng = new Random(9);
        int leaves = 0, negative = 0;
        var up = new int[2, 3];
        for (int t = 0; t < 3000; t++)
        {
            int K = rng.Next(2, 11);
            double s = 0.3 + 2.7 * rng.NextDouble();
            var z = Enumerable.Range(0, K).Select(_ => s * StepInput.Gaussian(rng)).ToArray();
            var yb = Enumerable.Range(0, K).Select(_ => -Math.Log(1 - rng.NextDouble())).ToArray();
            double sum = yb.Sum();
            for (int j = 0; j < K; j++) yb[j] /= sum;
            var b = new WeightedBrier(yb, K, Enumerable.Repeat(1.0, K).ToArray());
            var g = new double[K];
            var h = new double[K];
            double before = b.GradientAndDiagonalHessian(z, g, h);
            var p = new double[K];
            Softmax.Row(z, p);
            var gn = Enumerable.Range(0, K).Select(l => 2 * Enumerable.Range(0, K).Sum(j => p[j] * p[j] * Math.Pow((j == l ? 1 : 0) - p[l], 2))).ToArray();
            Assert.All(gn, v => Assert.True(v >= 0));
            if (gn.Any(v => v < 1e-12)) continue;
            leaves++;
            if (h.Any(v => v < -1e-12)) negative++;
            var candidates = new[] { h.Select(v => Math.Max(v, 1e-6)).ToArray(), gn };
            for (int r = 0; r < 2; r++)
            {
                var step = g.Zip(candidates[r], (a, c) => -a / c).ToArray();
                var variants = new[] { step, step.Select(v => Math.Clamp(v, -1, 1)).ToArray(), step.Select(v => 0.1 * v).ToArray() };
                for (int v = 0; v < 3; v++)
                    if (b.Value(z.Zip(variants[v], (a, e) => a + e).ToArray()) > before) up[r, v]++;
            }
        }
        Assert.True(negative > leaves / 2, $"{negative} of {leaves}");                    // measured 2635 of 2997
        for (int v = 0; v < 3; v++) Assert.True(up[1, v] < up[0, v], $"setting {v}: GN {up[1, v]} vs clip {up[0, v]}");
        Assert.True(up[0, 1] < 0.05 * leaves && up[1, 1] < 0.05 * leaves);                // capped steps: measured 3.8% and 2.4%
    }

    // ------------------------------------------------------------------ section 4: seed 000's linear_approx

    private static double[] SoftmaxOf(double[] z) { var p = new double[z.Length]; Softmax.Row(z, p); return p; }

    [Fact]
    public void Seed_000_outer_product_is_rank_one_with_cross_row_entries_while_the_Hessian_is_zero()
    {
        // The notebook's data: Random(0), 6 rows of normalised exponentials over 5 classes, positive = argmax, ln weight.
        int n = 6, c = 5, dim = n * c;
        var rng = new Random(0);
        var yHat = new double[dim];
        for (int i = 0; i < n; i++)
        {
            var e = Enumerable.Range(0, c).Select(_ => -Math.Log(1 - rng.NextDouble())).ToArray();
            for (int j = 0; j < c; j++) yHat[i * c + j] = e[j] / e.Sum();
        }
        var positives = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, c).MaxBy(j => yHat[i * c + j])).ToArray();
        var loss = new WarpLoss(positives, c, seed: 0, margin: 1.0, rankWeight: WarpRankWeight.Log);
        var sample = loss.Sample(yHat);
        // Entries in (0, 1): every margin 1 + p_neg − p_pos is positive, so the first draw violates and L_i = ln 4.
        Assert.All(sample.Trials, t => Assert.Equal(1, t));
        Assert.All(sample.RankWeights, w => Assert.Equal(Math.Log(c - 1), w, 1e-15));
        var g = new double[dim];
        loss.Gradient(yHat, g);
        var hessian = new double[dim * dim];
        FiniteDifference.Jacobian((x, gr) => loss.Gradient(x, gr), yHat, dim, hessian);
        Assert.All(hessian, v => Assert.Equal(0.0, v));
        int nonzero = 0, crossRow = 0;
        for (int a = 0; a < dim; a++)
            for (int b = 0; b < dim; b++)
                if (g[a] * g[b] != 0) { nonzero++; if (a / c != b / c) crossRow++; }
        // g has 2 nonzeros per row (±L_i), so g gᵀ has (2n)² nonzeros, of which 4 per row block are within a row.
        Assert.Equal(4 * n * n, nonzero);
        Assert.Equal(4 * n * n - 4 * n, crossRow);
        Assert.Equal(Math.Log(4) * Math.Log(4), g.Max(Math.Abs) * g.Max(Math.Abs), 1e-14);
    }

    private static (double[] H, double[] GN) BrierCurvatures(double[] z, double[] y)
    {
        int k = z.Length;
        var b = new WeightedBrier(y, k);
        var h = new double[k * k];
        b.RowHessian(z, 0, h);
        var p = SoftmaxOf(z);
        double J(int j, int l) => (j == l ? p[j] : 0) - p[j] * p[l];
        var gn = new double[k * k];
        for (int l = 0; l < k; l++)
            for (int m = 0; m < k; m++) gn[l * k + m] = 2 * Enumerable.Range(0, k).Sum(j => J(j, l) * J(j, m));
        return (h, gn);
    }

    private static double Fro(IEnumerable<double> a) => Math.Sqrt(a.Sum(v => v * v));

    [Fact]
    public void Brier_Gauss_Newton_approaches_the_Hessian_as_the_residual_vanishes_and_the_outer_product_does_not()
    {
        double[] z = [1.5, -0.5, 0.2, -1.0];
        var p = SoftmaxOf(z);
        double[] oneHot = [0, 0, 1, 0];
        double previous = double.PositiveInfinity;
        foreach (double t in new[] { 1.0, 0.1, 0.01, 0.0 })
        {
            var y = p.Zip(oneHot, (u, v) => (1 - t) * u + t * v).ToArray();
            var (h, gn) = BrierCurvatures(z, y);
            double rel = Fro(gn.Zip(h, (u, v) => u - v)) / Fro(h);
            Assert.True(rel < previous, $"t = {t}: {rel} not below {previous}");
            previous = rel;
            var g = new double[4];
            new WeightedBrier(y, 4).Gradient(z, g);
            double outerRel = Fro(Enumerable.Range(0, 16).Select(e => g[e / 4] * g[e % 4] - h[e])) / Fro(h);
            Assert.True(outerRel > 0.9, $"t = {t}: g gᵀ within {outerRel} of H");   // measured ≥ 0.978 on every row
        }
        Assert.True(previous < 1e-12);                                               // equal at zero residual
        var (h1, gn1) = BrierCurvatures(z, oneHot);
        Assert.True(Fro(gn1.Zip(h1, (u, v) => u - v)) / Fro(h1) > 1);                 // measured 1.58
        // H indefinite with a one-hot target; GN positive semi-definite (a Gram matrix 2JᵀJ).
        var hm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(4, 4, h1);
        Assert.True((0.5 * (hm + hm.Transpose())).Evd().EigenValues.Min(e => e.Real) < -0.1);
        var gm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(4, 4, gn1);
        Assert.True(gm.Evd().EigenValues.Min(e => e.Real) > -1e-14);
    }

    [Fact]
    public void Cross_entropy_outer_products_average_to_the_Hessian_under_the_model_but_not_for_one_label()
    {
        double[] z = [1.0, -0.5, 0.3, 2.0];
        var p = SoftmaxOf(z);
        var h = new double[16];
        new SoftmaxCrossEntropy(new[] { 0 }, 4).RowHessian(z, 0, h);
        var fisher = new double[16];
        for (int y = 0; y < 4; y++)
        {
            var g = p.Select((v, j) => v - (j == y ? 1 : 0)).ToArray();
            var outer = Enumerable.Range(0, 16).Select(e => g[e / 4] * g[e % 4]).ToArray();
            Assert.True(Fro(outer.Zip(h, (u, v) => u - v)) / Fro(h) > 0.5);          // measured 0.55 … 3.3
            for (int e = 0; e < 16; e++) fisher[e] += p[y] * outer[e];
        }
        for (int e = 0; e < 16; e++) Assert.Equal(h[e], fisher[e], 1e-15);          // diag(p) − ppᵀ, algebraically equal
    }

    [Fact]
    public void Exercise_07_1_LightGBM_diagonal_passes_and_the_exact_diagonal_fails()
    {
        double[] z = [0.3, -1.2, 2.0, 0.0, 0.7];
        var expected = new double[5];
        new SoftmaxCrossEntropy(new[] { 0 }, 5).BoostingDiagonal(z, expected, BoostingCurvature.LightGBM);
        var p = SoftmaxOf(z);
        Assert.True(Exercise.CheckValues("07-1", expected, p.Select(v => 1.25 * v * (1 - v)).ToArray()).Passed);
        Assert.False(Exercise.CheckValues("07-1", expected, p.Select(v => v * (1 - v)).ToArray()).Passed);
        Assert.False(Exercise.CheckValues("07-1", expected, null).Attempted);
    }

    [Fact]
    public void Exercise_07_2_Gauss_Newton_block_passes_at_zero_residual_and_a_missing_factor_two_fails()
    {
        double[] z = [0.5, -1.0, 1.5, 0.2], w = [1.0, 2.0, 0.5, 1.5];
        var p = SoftmaxOf(z);
        var expected = new double[16];
        new WeightedBrier(p, 4, w).RowHessian(z, 0, expected);
        double J(int j, int l) => (j == l ? p[j] : 0) - p[j] * p[l];
        double[] Block(double factor) => Enumerable.Range(0, 16).Select(e => factor * Enumerable.Range(0, 4).Sum(j => w[j] * J(j, e / 4) * J(j, e % 4))).ToArray();
        Assert.True(Exercise.CheckValues("07-2", expected, Block(2), tolerance: 1e-9).Passed);
        Assert.False(Exercise.CheckValues("07-2", expected, Block(1), tolerance: 1e-9).Passed);
    }
}
