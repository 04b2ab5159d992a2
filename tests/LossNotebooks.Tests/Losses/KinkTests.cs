using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

public class KinkTests
{
    /// <summary>
    /// Inside its kink distance d each entry's loss is exactly linear with the analytic (sub)gradient as slope — checked
    /// at ±0.9·d on inputs drawn without any kink avoidance (integer scores put many margins at 0) — and for the hinge
    /// the distance is tight: at 1.1·d one direction leaves the line by w·0.1·d.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hinge_and_WARP_are_linear_within_the_kink_distance(bool warp)
    {
        var r = new Random(warp ? 81 : 82);
        for (int t = 0; t < 1000; t++)
        {
            int n = r.Next(1, 4), c = r.Next(2, 6);
            var z = Enumerable.Range(0, n * c).Select(_ => t % 3 == 0 ? r.Next(-2, 3) : LossCases.Uniform(r, -3, 3)).ToArray();
            var labels = Enumerable.Range(0, n).Select(_ => r.Next(c)).ToArray();
            var w = Enumerable.Range(0, n).Select(_ => LossCases.Uniform(r, 0.5, 2)).ToArray();
            IKinkedScoreLoss loss = warp ? new WarpLoss(labels, c, r.Next(), 1.0, WarpRankWeight.Harmonic, w) : new MulticlassHinge(labels, c, 1.0, w);
            var g = new double[z.Length]; var dist = new double[z.Length];
            double f0 = loss.Gradient(z, g);
            loss.KinkDistances(z, dist);
            var work = z.ToArray();
            double F(int k, double a) { work[k] = z[k] + a; double v = loss.Value(work); work[k] = z[k]; return v; }
            double tol = 1e-10 * (1 + Math.Abs(f0) + z.Sum(Math.Abs));
            for (int k = 0; k < z.Length; k++)
            {
                if (dist[k] < 1e-9) continue; // sitting on a kink: nothing to check on a line of length 0
                double a = 0.9 * Math.Min(dist[k], 10);
                Assert.Equal(f0 + a * g[k], F(k, a), tol);
                Assert.Equal(f0 - a * g[k], F(k, -a), tol);
                if (!warp && double.IsFinite(dist[k]))
                {
                    double b = 1.1 * dist[k];
                    double off = Math.Max(Math.Abs(F(k, b) - (f0 + b * g[k])), Math.Abs(F(k, -b) - (f0 - b * g[k])));
                    Assert.True(off > 0.05 * w[k / c] * dist[k] - tol, $"case {t} entry {k}: no kink at distance {dist[k]}");
                }
            }
        }
    }

    [Fact]
    public void Huber_kink_distance_is_the_distance_to_the_curvature_jump()
    {
        var huber = new Huber([0.0, 1.0, -2.0], 3, delta: 0.5);
        var d = new double[3];
        huber.KinkDistances([0.2, 3.0, -2.5], d);
        Assert.Equal([0.3, 1.5, 0.0], d, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Warp_sample_renders_as_a_table()
    {
        var s = new WarpLoss([0, 1], 3, seed: 1).Sample([0, 0.5, -1, 2, 0, 0]);
        string html = s.ToHtml();
        Assert.Contains("<table>", html);
        Assert.Equal(3, html.Split("<tr>").Length - 1); // header + 2 rows
        Assert.Contains("2 rows", s.ToString());
    }
}
