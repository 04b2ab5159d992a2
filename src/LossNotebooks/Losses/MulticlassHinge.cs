using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// Weston–Watkins multiclass SVM hinge: L = Σ_i w_i Σ_{j≠y_i} max(0, Δ + z_ij − z_i,y_i), margins m_ij = Δ + z_ij − z_i,y_i.
/// <para>
/// Subgradient convention: an entry counts as active only when m_ij &gt; 0 strictly (at a kink m_ij = 0 the zero slope is
/// taken, as cs231n's <c>margins &gt; 0</c>). Then ∂L/∂z_ij = w_i·[m_ij &gt; 0] for j ≠ y_i and
/// ∂L/∂z_i,y_i = −w_i·#{j ≠ y_i : m_ij &gt; 0}. The loss is piecewise linear: the Hessian (diagonal and row block) is 0
/// everywhere off the kinks, and undefined on them; these methods write 0.
/// </para>
/// <para>
/// The seed (002) loops <c>for i in range(1000)</c> instead of over the n rows and divides by n; here rows are all
/// summed (or averaged with <see cref="Reduction.Mean"/>) and the readable per-example loop
/// (<see cref="ReferenceValue"/>, <see cref="ReferenceGradient"/>) is kept beside the vectorised kernel and tested to agree.
/// </para>
/// </summary>
public sealed class MulticlassHinge : ScoreLoss, IKinkedScoreLoss
{
    private readonly int[] _labels;
    private readonly double[]? _weights;

    public MulticlassHinge(int[] labels, int classes, double margin = 1.0, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(Targets.Labels(labels, classes, 2, nameof(labels)).Length, classes, reduction)
    {
        Guard.NonNegative(margin, nameof(margin));
        _labels = (int[])labels.Clone();
        _weights = Targets.Weights(weights, "one per row", Rows);
        Margin = margin;
    }

    /// <summary>Δ, the required gap between the true class score and every other score.</summary>
    public double Margin { get; }

    public override string Name => $"multiclass hinge (Δ = {Margin})";
    public override bool IsSmooth => false;

    protected override double Evaluate(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal)
    {
        if (!diagonal.IsEmpty) diagonal.Clear();
        return Core(scores, Classes, _labels, _weights, Margin, Scale, gradient);
    }

    public void KinkDistances(ReadOnlySpan<double> scores, Span<double> distances)
    {
        CheckScores(scores);
        Guard.Length(distances.Length, Rows * Classes, "n×c, row-major", nameof(distances));
        Kinks.MarginDistances(scores, Classes, _labels, Margin, distances);
    }

    protected override void RowBlock(ReadOnlySpan<double> rowScores, int row, Span<double> block) => block.Clear();

    /// <summary>
    /// Vectorised span kernel: returns scale·Σ_i w_i Σ_{j≠y_i} max(0, m_ij) and, when <paramref name="gradient"/> is
    /// non-empty (n×c), the subgradient (convention in the type's remarks). Empty <paramref name="rowWeights"/> = ones.
    /// </summary>
    public static double Kernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, ReadOnlySpan<double> rowWeights,
        double margin, Span<double> gradient, double scale = 1.0)
    {
        CheckKernel(scores, classes, labels, rowWeights, margin, gradient, scale);
        return Core(scores, classes, labels, rowWeights, margin, scale, gradient);
    }

    private static void CheckKernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, ReadOnlySpan<double> rowWeights,
        double margin, Span<double> gradient, double scale)
    {
        SoftmaxCrossEntropy.CheckKernel(scores, classes, labels.Length, rowWeights, gradient, Span<double>.Empty, scale);
        Guard.Labels(labels, classes, nameof(labels));
        Guard.NonNegative(margin, nameof(margin));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Core(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights,
        double margin, double scale, Span<double> gradient)
    {
        int n = labels.Length;
        bool wantG = !gradient.IsEmpty;
        Span<double> buffer = c <= 256 ? stackalloc double[256] : new double[c];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var zi = scores.Slice(i * c, c);
            int y = labels[i];
            double w = (weights.IsEmpty ? 1.0 : weights[i]) * scale;
            // m = z + (Δ − z_y); the j = y lane holds exactly Δ ≥ 0, so it is removed from the sums afterwards.
            var m = wantG ? gradient.Slice(i * c, c) : buffer[..c];
            TensorPrimitives.Add(zi, margin - zi[y], m);
            total += w * (PositivePartSumAndIndicator(m, w, wantG) - margin);
            if (wantG)
            {
                m[y] = 0;
                m[y] = -TensorPrimitives.Sum(m);
            }
        }
        return total;
    }

    /// <summary>Returns Σ max(0, m); when <paramref name="writeIndicator"/>, overwrites m with w·[m &gt; 0] (strict).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double PositivePartSumAndIndicator(Span<double> m, double w, bool writeIndicator)
    {
        int c = m.Length, k = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<double>.Zero;
            var vw = new Vector<double>(w);
            for (; k <= c - Vector<double>.Count; k += Vector<double>.Count)
            {
                var v = new Vector<double>(m.Slice(k));
                acc += Vector.Max(v, Vector<double>.Zero);
                if (writeIndicator) Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<double>.Zero), vw, Vector<double>.Zero).CopyTo(m.Slice(k));
            }
            sum = Vector.Sum(acc);
        }
        for (; k < c; k++)
        {
            double v = m[k];
            sum += Math.Max(v, 0);
            if (writeIndicator) m[k] = v > 0 ? w : 0;
        }
        return sum;
    }

    /// <summary>The readable per-example loop: Σ_i w_i Σ_{j≠y_i} max(0, Δ + z_ij − z_i,y_i) (scale 1, no checks beyond shape).</summary>
    public static double ReferenceValue(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, ReadOnlySpan<double> rowWeights, double margin)
    {
        CheckKernel(scores, classes, labels, rowWeights, margin, Span<double>.Empty, 1.0);
        double loss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double correct = scores[i * classes + labels[i]];
            double wi = rowWeights.IsEmpty ? 1.0 : rowWeights[i];
            for (int j = 0; j < classes; j++)
            {
                if (j == labels[i]) continue;
                loss += wi * Math.Max(0, margin + scores[i * classes + j] - correct);
            }
        }
        return loss;
    }

    /// <summary>The readable per-example loop for the subgradient (same convention: active iff margin &gt; 0).</summary>
    public static void ReferenceGradient(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, ReadOnlySpan<double> rowWeights,
        double margin, Span<double> gradient)
    {
        CheckKernel(scores, classes, labels, rowWeights, margin, gradient, 1.0);
        Guard.Length(gradient.Length, scores.Length, "n×c", nameof(gradient));
        gradient.Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            double correct = scores[i * classes + y];
            double wi = rowWeights.IsEmpty ? 1.0 : rowWeights[i];
            for (int j = 0; j < classes; j++)
            {
                if (j == y) continue;
                if (margin + scores[i * classes + j] - correct > 0)
                {
                    gradient[i * classes + j] += wi;
                    gradient[i * classes + y] -= wi;
                }
            }
        }
    }
}
