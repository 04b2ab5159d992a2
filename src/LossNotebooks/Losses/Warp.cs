using LossNotebooks.Display;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>How WARP turns the rank estimate k = ⌊(C − 1)/trials⌋ into a weight.</summary>
public enum WarpRankWeight
{
    /// <summary>L(k) = Σ_{j≤k} 1/j (Weston et al.'s α_j = 1/j).</summary>
    Harmonic,
    /// <summary>
    /// ln k, the form the seed and LightFM use. H_k − ln k decreases to the Euler–Mascheroni constant 0.5772…, so this
    /// under-weights by about 0.58 and gives weight 0 at k = 1 (a violator found only on the last possible trial).
    /// </summary>
    Log,
}

/// <summary>The sampling WARP did for each row: the violating negative (−1 if none), the trials drawn, and L(k).</summary>
[TypeFormatterSource(typeof(RichDisplayFormatterSource))]
public sealed record WarpSample(int[] Negatives, int[] Trials, double[] RankWeights) : IRichDisplay
{
    /// <summary>A table: row, sampled negative, trials, rank weight L(k).</summary>
    public string ToHtml()
    {
        var sb = new System.Text.StringBuilder("<table><thead><tr><th>row</th><th>negative</th><th>trials</th><th>L(k)</th></tr></thead><tbody>");
        for (int i = 0; i < Negatives.Length; i++)
            sb.Append(System.FormattableString.Invariant($"<tr><td>{i}</td><td>{(Negatives[i] < 0 ? "none" : Negatives[i].ToString(System.Globalization.CultureInfo.InvariantCulture))}</td><td>{Trials[i]}</td><td>{RankWeights[i]:G6}</td></tr>"));
        return sb.Append("</tbody></table>").ToString();
    }

    public override string ToString() => $"WARP sample: {Negatives.Length} rows, {Negatives.Count(n => n >= 0)} with a violating negative";
}

/// <summary>
/// WARP (Weighted Approximate-Rank Pairwise) loss for one positive class per row.
/// <para>
/// Sampling, per row i in order, from one <c>System.Random(seed)</c>: negatives j ≠ y_i are drawn uniformly without
/// replacement until one violates, i.e. m = Δ + z_ij − z_i,y_i &gt; 0 (strict), or all C − 1 are used. With
/// trials = draws so far, the rank estimate is k = ⌊(C − 1)/trials⌋ and the row term is w_i·L(k)·m for the violator
/// (0 if none). Fixes relative to the seed (000): the positive is the true label (the seed takes argmax of the
/// predictions), the margin reads z[i, neg] (the seed reads y_hat[j, neg] with j the positive column), the RNG is
/// seeded, and the gradient is analytic (the seed differences a helper against the labels).
/// </para>
/// <para>
/// Every call of <see cref="ScoreLoss.Value"/> / <see cref="ScoreLoss.Gradient"/> re-runs the sampling from the same
/// seed, so L is a deterministic function of Z. With the sampling fixed (all sampled margins keep their sign) L is
/// piecewise linear: ∂L/∂z_i,neg = w_i L(k), ∂L/∂z_i,y = −w_i L(k), every other entry 0; the Hessian is 0.
/// Where a perturbation flips a sampled margin the sampling itself changes (a kink/jump); a margin exactly 0 counts as
/// non-violating.
/// </para>
/// </summary>
public sealed class WarpLoss : ScoreLoss, IKinkedScoreLoss
{
    private readonly int[] _labels;
    private readonly double[]? _weights;

    public WarpLoss(int[] labels, int classes, int seed, double margin = 1.0, WarpRankWeight rankWeight = WarpRankWeight.Harmonic,
        double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(Targets.Labels(labels, classes, 2, nameof(labels)).Length, classes, reduction)
    {
        Guard.NonNegative(margin, nameof(margin));
        if (rankWeight is not (WarpRankWeight.Harmonic or WarpRankWeight.Log))
            throw new ArgumentOutOfRangeException(nameof(rankWeight), rankWeight, "Unknown rank weight.");
        _labels = (int[])labels.Clone();
        _weights = Targets.Weights(weights, "one per row", Rows);
        Seed = seed;
        Margin = margin;
        RankWeight = rankWeight;
    }

    public int Seed { get; }
    public double Margin { get; }
    public WarpRankWeight RankWeight { get; }
    public override string Name => $"WARP ({RankWeight}, Δ = {Margin})";
    public override bool IsSmooth => false;

    /// <summary>Runs the seeded sampling at <paramref name="scores"/> and returns what it drew per row.</summary>
    public WarpSample Sample(ReadOnlySpan<double> scores)
    {
        CheckScores(scores);
        var sample = new WarpSample(new int[Rows], new int[Rows], new double[Rows]);
        SampleCore(scores, Classes, _labels, Margin, Seed, RankWeight, sample.Negatives, sample.Trials, sample.RankWeights);
        return sample;
    }

    /// <summary>L with the sampling held fixed (the piecewise-linear function whose gradient <see cref="GradientFixed"/> is).</summary>
    public double ValueFixed(ReadOnlySpan<double> scores, WarpSample sample)
    {
        CheckScores(scores);
        CheckSample(sample);
        return FixedCore(scores, Classes, _labels, sample.Negatives, sample.RankWeights, _weights, Margin, Scale, Span<double>.Empty);
    }

    /// <summary>∂L/∂Z with the sampling fixed; returns the fixed-sampling value.</summary>
    public double GradientFixed(ReadOnlySpan<double> scores, WarpSample sample, Span<double> gradient)
    {
        CheckScores(scores);
        CheckSample(sample);
        Guard.Length(gradient.Length, Rows * Classes, "n×c, row-major", nameof(gradient));
        return FixedCore(scores, Classes, _labels, sample.Negatives, sample.RankWeights, _weights, Margin, Scale, gradient);
    }

    private void CheckSample(WarpSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        Guard.Length(sample.Negatives.Length, Rows, "one per row", nameof(sample));
        Guard.Length(sample.RankWeights.Length, Rows, "one per row", nameof(sample));
        for (int i = 0; i < Rows; i++)
            if (sample.Negatives[i] < -1 || sample.Negatives[i] >= Classes || sample.Negatives[i] == _labels[i])
                throw new ArgumentException($"sample.Negatives[{i}] = {sample.Negatives[i]} is not −1 or a negative class of row {i}.", nameof(sample));
        Guard.AllNonNegative(sample.RankWeights, nameof(sample));
    }

    protected override double Evaluate(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal)
    {
        if (!diagonal.IsEmpty) diagonal.Clear();
        var negatives = new int[Rows];
        var trials = new int[Rows];
        var rankWeights = new double[Rows];
        SampleCore(scores, Classes, _labels, Margin, Seed, RankWeight, negatives, trials, rankWeights);
        return FixedCore(scores, Classes, _labels, negatives, rankWeights, _weights, Margin, Scale, gradient);
    }

    /// <summary>Every margin of a row steers the sampling, so the distances are the hinge's (see <see cref="IKinkedScoreLoss"/>).</summary>
    public void KinkDistances(ReadOnlySpan<double> scores, Span<double> distances)
    {
        CheckScores(scores);
        Guard.Length(distances.Length, Rows * Classes, "n×c, row-major", nameof(distances));
        Kinks.MarginDistances(scores, Classes, _labels, Margin, distances);
    }

    protected override void RowBlock(ReadOnlySpan<double> rowScores, int row, Span<double> block) => block.Clear();

    /// <summary>L(k) for the chosen form; k ≥ 1.</summary>
    public static double RankWeightOf(int k, WarpRankWeight form)
    {
        Guard.Positive(k, nameof(k));
        if (form == WarpRankWeight.Log) return Math.Log(k);
        if (form != WarpRankWeight.Harmonic) throw new ArgumentOutOfRangeException(nameof(form), form, "Unknown rank weight.");
        double h = 0;
        for (int j = k; j >= 1; j--) h += 1.0 / j; // small terms first: less rounding
        return h;
    }

    /// <summary>
    /// Span kernel for the sampling: writes per row the violating negative (−1 if none), the trial count and L(k).
    /// Deterministic for a given seed and Z.
    /// </summary>
    public static void SampleKernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, double margin, int seed,
        WarpRankWeight rankWeight, Span<int> negatives, Span<int> trials, Span<double> rankWeights)
    {
        SoftmaxCrossEntropy.CheckKernel(scores, classes, labels.Length, default, default, default, 1.0);
        Guard.Labels(labels, classes, nameof(labels));
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "WARP needs at least 2 classes.");
        Guard.NonNegative(margin, nameof(margin));
        Guard.Length(negatives.Length, labels.Length, "one per row", nameof(negatives));
        Guard.Length(trials.Length, labels.Length, "one per row", nameof(trials));
        Guard.Length(rankWeights.Length, labels.Length, "one per row", nameof(rankWeights));
        SampleCore(scores, classes, labels, margin, seed, rankWeight, negatives, trials, rankWeights);
    }

    /// <summary>Span kernel for the fixed-sampling value and (when non-empty) gradient.</summary>
    public static double FixedKernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, ReadOnlySpan<int> negatives,
        ReadOnlySpan<double> rankWeights, ReadOnlySpan<double> rowWeights, double margin, Span<double> gradient, double scale = 1.0)
    {
        SoftmaxCrossEntropy.CheckKernel(scores, classes, labels.Length, rowWeights, gradient, default, scale);
        Guard.Labels(labels, classes, nameof(labels));
        Guard.NonNegative(margin, nameof(margin));
        Guard.Length(negatives.Length, labels.Length, "one per row", nameof(negatives));
        Guard.Length(rankWeights.Length, labels.Length, "one per row", nameof(rankWeights));
        Guard.AllNonNegative(rankWeights, nameof(rankWeights));
        for (int i = 0; i < negatives.Length; i++)
            if (negatives[i] < -1 || negatives[i] >= classes || negatives[i] == labels[i])
                throw new ArgumentOutOfRangeException(nameof(negatives), negatives[i], $"negatives[{i}] must be −1 or a class other than labels[{i}].");
        return FixedCore(scores, classes, labels, negatives, rankWeights, rowWeights, margin, scale, gradient);
    }

    private static void SampleCore(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, double margin, int seed,
        WarpRankWeight form, Span<int> negatives, Span<int> trials, Span<double> rankWeights)
    {
        var rng = new Random(seed);
        Span<int> pool = c <= 1024 ? stackalloc int[1024] : new int[c];
        pool = pool[..(c - 1)];
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            for (int j = 0, k = 0; j < c; j++) if (j != y) pool[k++] = j;
            double positive = scores[i * c + y];
            negatives[i] = -1;
            trials[i] = c - 1;
            rankWeights[i] = 0;
            // Partial Fisher–Yates: draw t is uniform over the negatives not yet drawn.
            for (int t = 0; t < c - 1; t++)
            {
                int r = rng.Next(t, c - 1);
                (pool[t], pool[r]) = (pool[r], pool[t]);
                int neg = pool[t];
                if (margin + scores[i * c + neg] - positive > 0)
                {
                    negatives[i] = neg;
                    trials[i] = t + 1;
                    rankWeights[i] = RankWeightOf((c - 1) / (t + 1), form);
                    break;
                }
            }
        }
    }

    private static double FixedCore(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, ReadOnlySpan<int> negatives,
        ReadOnlySpan<double> rankWeights, ReadOnlySpan<double> weights, double margin, double scale, Span<double> gradient)
    {
        if (!gradient.IsEmpty) gradient.Clear();
        double total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int neg = negatives[i], y = labels[i];
            if (neg < 0) continue;
            double a = scale * (weights.IsEmpty ? 1.0 : weights[i]) * rankWeights[i];
            double m = margin + scores[i * c + neg] - scores[i * c + y];
            // With the sampling fixed the term is the hinge max(0, m): zero slope once the margin is no longer violated.
            if (m <= 0) continue;
            total += a * m;
            if (!gradient.IsEmpty)
            {
                gradient[i * c + neg] += a;
                gradient[i * c + y] -= a;
            }
        }
        return total;
    }
}
