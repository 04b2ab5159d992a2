using LossNotebooks.Losses;

namespace LossNotebooks.Tests.Losses;

/// <summary>Every loss, and a seeded generator of small random (loss, Z) cases for property tests.</summary>
public enum LossKind { SoftmaxCrossEntropyLabels, SoftmaxCrossEntropySoft, WeightedBrierLabels, WeightedBrierSoft, MulticlassHinge, BinaryLogistic, SquaredError, Huber, Focal, WarpHarmonic, WarpLog }

public static class LossCases
{
    public static IEnumerable<object[]> All => Enum.GetValues<LossKind>().Select(k => new object[] { k });

    public static IEnumerable<object[]> Smooth => Enum.GetValues<LossKind>().Where(IsSmooth).Select(k => new object[] { k });

    public static bool IsSmooth(LossKind k) => k is not (LossKind.MulticlassHinge or LossKind.WarpHarmonic or LossKind.WarpLog);

    /// <summary>Distance every kink is kept from, for hinge/WARP/Huber: far above the largest FD perturbation
    /// (Hessian steps ε^(1/4)·max(|z|,1) ≤ 1.2e-4·4 ≈ 5e-4, and a cross difference moves a margin by two of them).</summary>
    public const double KinkClearance = 0.02;

    public static double Uniform(Random r, double lo, double hi) => lo + (hi - lo) * r.NextDouble();

    /// <summary>A random probability row (normalised exponentials of normals: covers near-one-hot and flat rows).</summary>
    public static void SoftRow(Random r, Span<double> row)
    {
        double s = 0;
        double spread = Uniform(r, 0.1, 3);
        for (int j = 0; j < row.Length; j++) { row[j] = Math.Exp(spread * Normal(r)); s += row[j]; }
        for (int j = 0; j < row.Length; j++) row[j] /= s;
    }

    public static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    public static (IScoreLoss Loss, double[] Scores) Create(LossKind kind, Random r)
    {
        int n = r.Next(1, 4), c = r.Next(2, 5);
        var z = new double[n * c];
        for (int k = 0; k < z.Length; k++) z[k] = Uniform(r, -3, 3);
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = r.Next(c);
        double[]? rowWeights = r.Next(3) == 0 ? null : Enumerable.Range(0, n).Select(_ => Uniform(r, 0.2, 2)).ToArray();
        double[]? entryWeights = r.Next(3) == 0 ? null : Enumerable.Range(0, n * c).Select(_ => Uniform(r, 0.2, 2)).ToArray();
        var reduction = r.Next(4) == 0 ? Reduction.Mean : Reduction.Sum;
        var soft = new double[n * c];
        for (int i = 0; i < n; i++) SoftRow(r, soft.AsSpan(i * c, c));
        double[]? mixedWeights = r.Next(2) == 0 ? rowWeights : entryWeights;
        switch (kind)
        {
            case LossKind.SoftmaxCrossEntropyLabels: return (new SoftmaxCrossEntropy(labels, c, rowWeights, reduction), z);
            case LossKind.SoftmaxCrossEntropySoft: return (new SoftmaxCrossEntropy(soft, c, rowWeights, reduction), z);
            case LossKind.WeightedBrierLabels: return (new WeightedBrier(labels, c, entryWeights, reduction), z);
            case LossKind.WeightedBrierSoft: return (new WeightedBrier(soft, c, entryWeights, reduction), z);
            case LossKind.MulticlassHinge:
            {
                double delta = Uniform(r, 0.2, 1.5);
                AwayFromMargins(r, z, labels, c, delta);
                return (new MulticlassHinge(labels, c, delta, rowWeights, reduction), z);
            }
            case LossKind.WarpHarmonic or LossKind.WarpLog:
            {
                double delta = Uniform(r, 0.2, 1.5);
                AwayFromMargins(r, z, labels, c, delta);
                var form = kind == LossKind.WarpHarmonic ? WarpRankWeight.Harmonic : WarpRankWeight.Log;
                return (new WarpLoss(labels, c, r.Next(), delta, form, rowWeights, reduction), z);
            }
            case LossKind.BinaryLogistic:
            {
                var t = Enumerable.Range(0, n * c).Select(_ => r.Next(2) == 0 ? (double)r.Next(2) : r.NextDouble()).ToArray();
                return (new BinaryLogistic(t, c, mixedWeights, reduction), z);
            }
            case LossKind.SquaredError:
            {
                var t = Enumerable.Range(0, n * c).Select(_ => Uniform(r, -3, 3)).ToArray();
                return (new SquaredError(t, c, mixedWeights, reduction), z);
            }
            case LossKind.Huber:
            {
                double delta = Uniform(r, 0.3, 2);
                var t = Enumerable.Range(0, n * c).Select(_ => Uniform(r, -3, 3)).ToArray();
                // Keep |z − t| away from δ, where the second derivative jumps.
                for (int k = 0; k < z.Length; k++)
                    while (Math.Abs(Math.Abs(z[k] - t[k]) - delta) < KinkClearance) z[k] = Uniform(r, -3, 3);
                return (new Huber(t, c, delta, mixedWeights, reduction), z);
            }
            case LossKind.Focal:
            {
                var t = Enumerable.Range(0, n * c).Select(_ => r.Next(2) == 0 ? (double)r.Next(2) : r.NextDouble()).ToArray();
                return (new Focal(t, c, Uniform(r, 0, 3), mixedWeights, reduction), z);
            }
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>Redraws scores until every margin Δ + z_j − z_y (j ≠ y) is at least <see cref="KinkClearance"/> from 0.</summary>
    private static void AwayFromMargins(Random r, double[] z, int[] labels, int c, double delta)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            for (int j = 0; j < c; j++)
            {
                if (j == y) continue;
                while (Math.Abs(delta + z[i * c + j] - z[i * c + y]) < KinkClearance) z[i * c + j] = Uniform(r, -3, 3);
            }
        }
    }
}

/// <summary>Helpers the Losses tests share: an argument error naming a parameter, and a softmax written from its definition.</summary>
public static class Expect
{
    /// <summary>The action throws an <see cref="ArgumentException"/> (or a subclass) naming <paramref name="param"/>, with a message.</summary>
    public static void Throws(string param, Action action)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(param, e.ParamName);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    /// <summary>softmax(z)_j = exp(z_j − max z) / Σ_k exp(z_k − max z): the reference the kernels are compared with.</summary>
    public static double[] SoftmaxOf(ReadOnlySpan<double> z)
    {
        double m = double.NegativeInfinity;
        foreach (var v in z) m = Math.Max(m, v);
        var p = new double[z.Length];
        double s = 0;
        for (int j = 0; j < z.Length; j++) { p[j] = Math.Exp(z[j] - m); s += p[j]; }
        for (int j = 0; j < z.Length; j++) p[j] /= s;
        return p;
    }
}
