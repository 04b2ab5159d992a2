using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>Values known in closed form, invariances, reductions, stability at ±1e4 logits, and limiting cases.</summary>
public class ClosedFormTests
{
    [Fact]
    public void Cross_entropy_of_equal_logits_is_log_c_per_row()
    {
        var r = new Random(11);
        for (int t = 0; t < 200; t++)
        {
            int n = r.Next(1, 6), c = r.Next(2, 30);
            var z = new double[n * c];
            for (int i = 0; i < n; i++) z.AsSpan(i * c, c).Fill(LossCases.Uniform(r, -50, 50));
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            var w = Enumerable.Range(0, n).Select(_ => LossCases.Uniform(r, 0, 3)).ToArray();
            double expected = w.Sum() * Math.Log(c);
            Assert.Equal(expected, new SoftmaxCrossEntropy(labels, c, w).Value(z), 1e-12 * (1 + expected));
            var soft = new double[n * c];
            for (int i = 0; i < n; i++) LossCases.SoftRow(r, soft.AsSpan(i * c, c));
            Assert.Equal(expected, new SoftmaxCrossEntropy(soft, c, w).Value(z), 1e-11 * (1 + expected));
            Assert.Equal(n * Math.Log(c) / n, new SoftmaxCrossEntropy(labels, c, reduction: Reduction.Mean).Value(z), 1e-12);
        }
    }

    [Theory]
    [InlineData(LossKind.SoftmaxCrossEntropyLabels)]
    [InlineData(LossKind.SoftmaxCrossEntropySoft)]
    [InlineData(LossKind.WeightedBrierLabels)]
    [InlineData(LossKind.WeightedBrierSoft)]
    public void Softmax_losses_are_invariant_to_a_shift_of_each_row(LossKind kind)
    {
        var r = new Random(12);
        for (int t = 0; t < 300; t++)
        {
            var (loss, z) = LossCases.Create(kind, r);
            int c = loss.Classes;
            var shifted = z.ToArray();
            for (int i = 0; i < loss.Rows; i++)
            {
                double s = LossCases.Uniform(r, -100, 100);
                for (int j = 0; j < c; j++) shifted[i * c + j] += s;
            }
            var g0 = new double[z.Length]; var g1 = new double[z.Length];
            var d0 = new double[z.Length]; var d1 = new double[z.Length];
            double v0 = loss.Gradient(z, g0), v1 = loss.Gradient(shifted, g1);
            loss.DiagonalHessian(z, d0); loss.DiagonalHessian(shifted, d1);
            // Shifting by |s| ≤ 100 changes z's last bits (≈ 100·ε ≈ 2e-14) and the subtraction of the max: 1e-11 is ample.
            Assert.Equal(v0, v1, 1e-11 * (1 + Math.Abs(v0)));
            for (int k = 0; k < z.Length; k++)
            {
                Assert.Equal(g0[k], g1[k], 1e-11);
                Assert.Equal(d0[k], d1[k], 1e-11);
            }
        }
    }

    [Fact]
    public void Brier_of_a_perfect_prediction_is_zero()
    {
        var r = new Random(13);
        for (int t = 0; t < 200; t++)
        {
            int n = r.Next(1, 5), c = r.Next(2, 8);
            var z = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, -4, 4)).ToArray();
            var p = new double[n * c];
            Softmax.Rows(z, c, p);
            var w = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, 0, 3)).ToArray();
            var brier = new WeightedBrier(p, c, w);
            var g = new double[z.Length];
            Assert.Equal(0.0, brier.Gradient(z, g), 1e-28);
            Assert.All(g, x => Assert.Equal(0.0, x, 1e-15));
        }
        // Hard labels: a logit gap of 1e4 makes p one-hot exactly.
        var labels = new[] { 2, 0 };
        var zz = new double[] { 0, 0, 1e4, 1e4, -1e4, 0 };
        Assert.Equal(0.0, new WeightedBrier(labels, 3).Value(zz));
    }

    [Fact]
    public void Brier_matches_a_direct_sum_and_its_gradient_the_seed_formula()
    {
        // The seed's gradient 2p((p − y)w − Σ_j p_j (p_j − y_j) w_j) is right; its Hessian is not (see WeightedBrier docs).
        var r = new Random(14);
        for (int t = 0; t < 200; t++)
        {
            int c = r.Next(2, 7);
            var z = Enumerable.Range(0, c).Select(_ => LossCases.Uniform(r, -3, 3)).ToArray();
            var y = new double[c]; LossCases.SoftRow(r, y);
            var w = Enumerable.Range(0, c).Select(_ => LossCases.Uniform(r, 0, 2)).ToArray();
            var p = z.Select(Math.Exp).ToArray(); double s = p.Sum(); for (int j = 0; j < c; j++) p[j] /= s;
            double expected = 0, tmp = 0;
            for (int j = 0; j < c; j++) { expected += w[j] * (p[j] - y[j]) * (p[j] - y[j]); tmp += p[j] * (p[j] - y[j]) * w[j]; }
            var loss = new WeightedBrier(y, c, w);
            var g = new double[c];
            Assert.Equal(expected, loss.Gradient(z, g), 1e-13);
            for (int j = 0; j < c; j++) Assert.Equal(2 * p[j] * ((p[j] - y[j]) * w[j] - tmp), g[j], 1e-13);
        }
    }

    [Fact]
    public void Softmax_losses_stay_finite_at_logits_of_plus_minus_1e4()
    {
        var r = new Random(15);
        for (int t = 0; t < 200; t++)
        {
            int n = r.Next(1, 5), c = r.Next(2, 9);
            var z = Enumerable.Range(0, n * c).Select(_ => r.Next(3) switch { 0 => 1e4, 1 => -1e4, _ => LossCases.Uniform(r, -1e4, 1e4) }).ToArray();
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            var soft = new double[n * c];
            for (int i = 0; i < n; i++) LossCases.SoftRow(r, soft.AsSpan(i * c, c));
            var t01 = soft.Select(x => Math.Min(1, x * 2)).ToArray();
            IScoreLoss[] losses =
            [
                new SoftmaxCrossEntropy(labels, c), new SoftmaxCrossEntropy(soft, c), new WeightedBrier(labels, c),
                new WeightedBrier(soft, c), new BinaryLogistic(t01, c), new Focal(t01, c, 2.0), new Focal(t01, c, 0.5),
            ];
            foreach (var loss in losses)
            {
                var g = new double[z.Length]; var d = new double[z.Length]; var b = new double[c * c];
                Assert.True(double.IsFinite(loss.Gradient(z, g)), loss.Name);
                loss.DiagonalHessian(z, d);
                loss.RowHessian(z, 0, b);
                Assert.All(g, x => Assert.True(double.IsFinite(x), loss.Name));
                Assert.All(d, x => Assert.True(double.IsFinite(x), loss.Name));
                Assert.All(b, x => Assert.True(double.IsFinite(x), loss.Name));
            }
        }
        // The worst case in closed form: true class at −1e4, the other c − 1 at +1e4 → L = 2e4 + log(c − 1).
        var ce = new SoftmaxCrossEntropy([0], 4);
        var grad = new double[4];
        Assert.Equal(2e4 + Math.Log(3), ce.Gradient([-1e4, 1e4, 1e4, 1e4], grad), 1e-9);
        Assert.Equal([-1.0, 1.0 / 3, 1.0 / 3, 1.0 / 3], grad, (a, e) => Math.Abs(a - e) < 1e-15);
    }

    [Fact]
    public void Mean_reduction_is_the_sum_divided_by_n()
    {
        // Direct check through the public constructors instead of the generator's random reduction.
        var labels = new[] { 1, 0, 2 };
        var zz = new[] { 0.3, -1.2, 2.0, 0.5, 0.1, -0.4, 1.5, 1.0, -2.0 };
        var pairs = new (IScoreLoss Sum, IScoreLoss Mean)[]
        {
            (new SoftmaxCrossEntropy(labels, 3), new SoftmaxCrossEntropy(labels, 3, reduction: Reduction.Mean)),
            (new WeightedBrier(labels, 3), new WeightedBrier(labels, 3, reduction: Reduction.Mean)),
            (new MulticlassHinge(labels, 3), new MulticlassHinge(labels, 3, reduction: Reduction.Mean)),
            (new WarpLoss(labels, 3, 7), new WarpLoss(labels, 3, 7, reduction: Reduction.Mean)),
            (new BinaryLogistic(zz.Select(x => x > 0 ? 1.0 : 0.0).ToArray(), 3), new BinaryLogistic(zz.Select(x => x > 0 ? 1.0 : 0.0).ToArray(), 3, reduction: Reduction.Mean)),
            (new SquaredError(zz.Select(x => 0.5 * x).ToArray(), 3), new SquaredError(zz.Select(x => 0.5 * x).ToArray(), 3, reduction: Reduction.Mean)),
            (new Huber(zz.Select(x => 0.1).ToArray(), 3, 0.7), new Huber(zz.Select(x => 0.1).ToArray(), 3, 0.7, reduction: Reduction.Mean)),
            (new Focal(zz.Select(x => x > 0 ? 1.0 : 0.0).ToArray(), 3, 1.5), new Focal(zz.Select(x => x > 0 ? 1.0 : 0.0).ToArray(), 3, 1.5, reduction: Reduction.Mean)),
        };
        foreach (var (s, m) in pairs)
        {
            var gs = new double[9]; var gm = new double[9]; var ds = new double[9]; var dm = new double[9];
            Assert.Equal(s.Gradient(zz, gs) / 3, m.Gradient(zz, gm), 1e-14);
            s.DiagonalHessian(zz, ds); m.DiagonalHessian(zz, dm);
            for (int k = 0; k < 9; k++) { Assert.Equal(gs[k] / 3, gm[k], 1e-14); Assert.Equal(ds[k] / 3, dm[k], 1e-14); }
            var bs = new double[9]; var bm = new double[9];
            s.RowHessian(zz, 1, bs); m.RowHessian(zz, 1, bm);
            for (int k = 0; k < 9; k++) Assert.Equal(bs[k] / 3, bm[k], 1e-14);
        }
    }

    [Fact]
    public void Focal_with_gamma_zero_is_binary_logistic_and_Huber_with_large_delta_is_squared_error()
    {
        var r = new Random(17);
        for (int t = 0; t < 300; t++)
        {
            int n = r.Next(1, 4), c = r.Next(1, 4);
            var z = Enumerable.Range(0, n * c).Select(_ => LossCases.Uniform(r, -20, 20)).ToArray();
            var t01 = Enumerable.Range(0, n * c).Select(_ => r.NextDouble()).ToArray();
            var w = Enumerable.Range(0, n).Select(_ => LossCases.Uniform(r, 0, 2)).ToArray();
            AssertSame(new Focal(t01, c, 0.0, w), new BinaryLogistic(t01, c, w), z, 1e-12);
            AssertSame(new Huber(t01, c, 100.0, w), new SquaredError(t01, c, w), z, 1e-12);
        }

        static void AssertSame(IScoreLoss a, IScoreLoss b, double[] z, double tol)
        {
            var ga = new double[z.Length]; var gb = new double[z.Length]; var da = new double[z.Length]; var db = new double[z.Length];
            Assert.Equal(b.Gradient(z, gb), a.Gradient(z, ga), tol * (1 + Math.Abs(b.Value(z))));
            a.DiagonalHessian(z, da); b.DiagonalHessian(z, db);
            for (int k = 0; k < z.Length; k++) { Assert.Equal(gb[k], ga[k], tol); Assert.Equal(db[k], da[k], tol); }
        }
    }

    [Fact]
    public void Elementwise_closed_forms()
    {
        // Logistic at z = 0 is log 2 for any target; Huber beyond δ is linear with slope ±δ; focal(γ) at z = 0, t = 1 is 2^−γ log 2.
        Assert.Equal(3 * Math.Log(2), new BinaryLogistic([0, 0.3, 1], 3).Value([0, 0, 0]), 1e-15);
        var huber = new Huber([0.0, 0.0], 2, delta: 0.5);
        var g = new double[2];
        Assert.Equal(0.5 * (3 - 0.25) + 0.5 * 0.1 * 0.1, huber.Gradient([-3, 0.1], g), 1e-15);
        Assert.Equal([-0.5, 0.1], g, (a, e) => Math.Abs(a - e) < 1e-15);
        Assert.Equal(Math.Pow(2, -2.5) * Math.Log(2), new Focal([1.0], 1, 2.5).Value([0.0]), 1e-15);
        Assert.Equal(0.5 * 4 * 2.0, new SquaredError([1.0], 1, [2.0]).Value([3.0]), 1e-15);
    }
}
