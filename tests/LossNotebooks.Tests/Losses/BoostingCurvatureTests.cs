using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

public class BoostingCurvatureTests
{
    [Fact]
    public void Boosting_diagonals_have_the_documented_forms()
    {
        var r = new Random(41);
        for (int t = 0; t < 300; t++)
        {
            int n = r.Next(1, 5), c = r.Next(2, 9);
            var z = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, -40, 40)).ToArray();
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            var w = Enumerable.Range(0, n).Select(_ => LossCases.Uniform(r, 0, 2)).ToArray();
            var loss = new SoftmaxCrossEntropy(labels, c, w);
            var exact = new double[n * c]; var viaExact = new double[n * c]; var xgb = new double[n * c]; var lgb = new double[n * c];
            loss.DiagonalHessian(z, exact);
            loss.BoostingDiagonal(z, viaExact, BoostingCurvature.Exact);
            loss.BoostingDiagonal(z, xgb, BoostingCurvature.XGBoost);
            loss.BoostingDiagonal(z, lgb, BoostingCurvature.LightGBM);
            Assert.Equal(exact, viaExact);
            var p = new double[c];
            for (int i = 0; i < n; i++)
            {
                Softmax.Row(z.AsSpan(i * c, c), p);
                for (int j = 0; j < c; j++)
                {
                    double pq = p[j] * (1 - p[j]);
                    Assert.Equal(Math.Max(2 * pq * w[i], 1e-16), xgb[i * c + j], 1e-15);
                    Assert.Equal(c / (c - 1.0) * pq * w[i], lgb[i * c + j], 1e-15);
                }
            }
        }
    }

    [Fact]
    public void XGBoost_factor_two_majorizes_the_row_Hessian()
    {
        // D = 2·diag(p(1−p)) ⪰ H = diag(p) − ppᵀ by diagonal dominance: vᵀ(D − H)v ≥ 0 for every v.
        var r = new Random(42);
        for (int t = 0; t < 1000; t++)
        {
            int c = r.Next(2, 8);
            var z = Enumerable.Range(0, c).Select(_ => LossCases.Uniform(r, -5, 5)).ToArray();
            var loss = new SoftmaxCrossEntropy([r.Next(c)], c);
            var h = new double[c * c]; var d = new double[c];
            loss.RowHessian(z, 0, h);
            loss.BoostingDiagonal(z, d, BoostingCurvature.XGBoost);
            var v = Enumerable.Range(0, c).Select(_ => LossCases.Normal(r)).ToArray();
            double q = 0;
            for (int a = 0; a < c; a++)
            {
                q += d[a] * v[a] * v[a];
                for (int b = 0; b < c; b++) q -= v[a] * h[a * c + b] * v[b];
            }
            Assert.True(q >= -1e-14, $"vᵀ(D − H)v = {q}");
        }
    }

    [Fact]
    public void LightGBM_factor_matches_the_top_eigenvalue_at_uniform_p_but_is_not_a_bound_everywhere()
    {
        for (int c = 2; c <= 10; c++)
        {
            var loss = new SoftmaxCrossEntropy([0], c);
            var z = new double[c];
            var d = new double[c];
            loss.BoostingDiagonal(z, d, BoostingCurvature.LightGBM);
            Assert.All(d, x => Assert.Equal(1.0 / c, x, 1e-15)); // top eigenvalue of (I − 11ᵀ/c)/c
        }
        // A skewed row where K/(K−1)·p(1−p) under-estimates the curvature along some direction (so it is no majorizer).
        var skew = new SoftmaxCrossEntropy([0], 3);
        double[] zs = [4, 0, 0];
        var h = new double[9]; var dl = new double[3];
        skew.RowHessian(zs, 0, h);
        skew.BoostingDiagonal(zs, dl, BoostingCurvature.LightGBM);
        double[] v = [1, -1, -1];
        double q = 0;
        for (int a = 0; a < 3; a++) { q += dl[a] * v[a] * v[a]; for (int b = 0; b < 3; b++) q -= v[a] * h[a * 3 + b] * v[b]; }
        Assert.True(q < 0, $"vᵀ(D − H)v = {q}");
    }
}
