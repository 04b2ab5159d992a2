using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// Softmax cross-entropy L = Σ_i w_i Σ_j y_ij (lse(z_i) − z_ij), p_i = softmax(z_i), s_i = Σ_j y_ij (= 1 for labels).
/// Gradient w_i (s_i p_ij − y_ij); row Hessian w_i s_i (diag p_i − p_i p_iᵀ); diagonal w_i s_i p_ij (1 − p_ij).
/// <para>
/// Gradient-boosting libraries use other diagonals (<see cref="BoostingDiagonal"/>). Checked against their source:
/// XGBoost's softmax objective (src/objective/multiclass_obj) writes
/// h = max(2·p(1−p)·w, 1e-16). LightGBM's multiclass objective wrote 2·p(1−p)·w in early releases; later ones write
/// factor·p(1−p)·w with factor = K/(K−1), commented there as rescaling the redundant K-output softmax to the
/// non-redundant form, after Friedman's GBDT paper (whose multiclass leaf step carries (K−1)/K).
/// Why not the true p(1−p): a tree leaf takes a Newton step per class with the off-diagonal coupling −p_j p_k
/// ignored. The row block H = diag(p) − ppᵀ has off-diagonal row sums Σ_{k≠j} p_j p_k = p_j(1−p_j) equal to its
/// diagonal, so by diagonal dominance D = 2·diag(p(1−p)) ⪰ H: XGBoost's factor 2 is a majorizer, so the diagonal
/// Newton step never overshoots along any direction (step-size safety; tested). LightGBM's K/(K−1) makes the diagonal equal the largest
/// eigenvalue 1/K of H at uniform p = 1/K (the usual starting point), but it is not a bound everywhere (a skewed row
/// where it under-estimates the curvature is in the tests). Both exceed the true diagonal, i.e. both shrink steps.
/// </para>
/// </summary>
public sealed class SoftmaxCrossEntropy : ScoreLoss, IComplexScoreLoss
{
    private readonly int[]? _labels;
    private readonly double[]? _targets;
    private readonly double[]? _weights;

    /// <summary>Hard labels y_i ∈ [0, c); optional per-row weights (length n, ≥ 0).</summary>
    public SoftmaxCrossEntropy(int[] labels, int classes, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(Targets.Labels(labels, classes, 2, nameof(labels)).Length, classes, reduction)
    {
        _labels = (int[])labels.Clone();
        _weights = Targets.Weights(weights, "one per row", Rows);
    }

    /// <summary>Soft targets: n×c row-major probability rows (y ≥ 0, rows sum to 1 within <see cref="Targets.RowSumTolerance"/>).</summary>
    public SoftmaxCrossEntropy(double[] targets, int classes, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(RowsOf(targets, classes), classes, reduction)
    {
        _targets = Targets.Matrix(targets, classes, nameof(targets), out _, probabilityRows: true);
        _weights = Targets.Weights(weights, "one per row", Rows);
    }

    private static int RowsOf(double[] targets, int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2 for a softmax.");
        Targets.Matrix(targets, classes, nameof(targets), out int rows, probabilityRows: true);
        return rows;
    }

    public override string Name => "softmax cross-entropy";
    public override bool IsSmooth => true;

    protected override double Evaluate(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal) =>
        Core(scores, Classes, _labels, _targets, _weights, Scale, gradient, diagonal, 1.0, 0.0);

    /// <summary>
    /// The diagonal curvature a gradient-boosting library would use (see the type's remarks), scaled by the reduction;
    /// <see cref="BoostingCurvature.Exact"/> equals <see cref="ScoreLoss.DiagonalHessian"/>.
    /// </summary>
    public void BoostingDiagonal(ReadOnlySpan<double> scores, Span<double> diagonal, BoostingCurvature curvature)
    {
        CheckScores(scores);
        Guard.Length(diagonal.Length, Rows * Classes, "n×c, row-major", nameof(diagonal));
        var (factor, floor) = CurvatureFactor(curvature, Classes);
        Core(scores, Classes, _labels, _targets, _weights, Scale, Span<double>.Empty, diagonal, factor, floor);
    }

    /// <summary>(factor, floor) of each curvature convention for K classes.</summary>
    public static (double Factor, double Floor) CurvatureFactor(BoostingCurvature curvature, int classes) => curvature switch
    {
        BoostingCurvature.Exact => (1.0, 0.0),
        BoostingCurvature.XGBoost => (2.0, 1e-16),
        BoostingCurvature.LightGBM => classes >= 2
            ? (classes / (classes - 1.0), 0.0)
            : throw new ArgumentOutOfRangeException(nameof(classes), classes, "LightGBM's K/(K−1) needs K ≥ 2."),
        _ => throw new ArgumentOutOfRangeException(nameof(curvature), curvature, "Unknown curvature."),
    };

    protected override void RowBlock(ReadOnlySpan<double> z, int row, Span<double> block)
    {
        int c = Classes;
        var p = new double[c];
        Softmax.Row(z, p);
        double ws = Scale * (_weights?[row] ?? 1.0) * (_targets is null ? 1.0 : TensorPrimitives.Sum(_targets.AsSpan(row * c, c)));
        for (int a = 0; a < c; a++)
            for (int b = 0; b < c; b++)
                block[a * c + b] = ws * ((a == b ? p[a] : 0.0) - p[a] * p[b]);
    }

    Complex IComplexScoreLoss.Value(ReadOnlySpan<Complex> scores) => ComplexValue(scores);

    /// <summary>L(Z) for complex Z (complex-step checks). Named apart from Value so that collection expressions like Value([1.0, 2.0]) bind to the real overload.</summary>
    public Complex ComplexValue(ReadOnlySpan<Complex> scores)
    {
        CheckComplexScores(scores);
        int c = Classes;
        Complex total = Complex.Zero;
        for (int i = 0; i < Rows; i++)
        {
            var z = scores.Slice(i * c, c);
            Complex lse = Softmax.LogSumExp(z), term = Complex.Zero;
            if (_labels is not null) term = lse - z[_labels[i]];
            else for (int j = 0; j < c; j++) term += _targets![i * c + j] * (lse - z[j]);
            total += (_weights?[i] ?? 1.0) * term;
        }
        return Scale * total;
    }

    /// <summary>
    /// Span kernel, hard labels: returns Σ_i scale·w_i·(lse(z_i) − z_i,y_i); writes gradient and/or
    /// max(factor·scale·w_i·p(1−p), floor) when those spans are non-empty (n×c). One softmax per row feeds all three.
    /// Empty <paramref name="rowWeights"/> means all ones. Rows run in parallel when n·c is large (deterministic sum).
    /// </summary>
    public static double Kernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, ReadOnlySpan<double> rowWeights,
        Span<double> gradient, Span<double> diagonal, double scale = 1.0, double curvatureFactor = 1.0, double curvatureFloor = 0.0)
    {
        CheckKernel(scores, classes, labels.Length, rowWeights, gradient, diagonal, scale);
        Guard.Labels(labels, classes, nameof(labels));
        return Core(scores, classes, labels, default, rowWeights, scale, gradient, diagonal, curvatureFactor, curvatureFloor);
    }

    /// <summary>Span kernel, soft targets (n×c, row-major, y ≥ 0; the row sum s_i is used as given).</summary>
    public static double Kernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<double> targets, ReadOnlySpan<double> rowWeights,
        Span<double> gradient, Span<double> diagonal, double scale = 1.0, double curvatureFactor = 1.0, double curvatureFloor = 0.0)
    {
        CheckKernel(scores, classes, targets.Length / Math.Max(classes, 1), rowWeights, gradient, diagonal, scale);
        Guard.Length(targets.Length, scores.Length, "n×c like scores", nameof(targets));
        Guard.AllNonNegative(targets, nameof(targets));
        return Core(scores, classes, default, targets, rowWeights, scale, gradient, diagonal, curvatureFactor, curvatureFloor);
    }

    internal static void CheckKernel(ReadOnlySpan<double> scores, int classes, int rows, ReadOnlySpan<double> rowWeights,
        Span<double> gradient, Span<double> diagonal, double scale)
    {
        Targets.KernelShape(scores.Length, classes, rows);
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(scores))) Guard.AllFinite(scores, nameof(scores));
        if (!rowWeights.IsEmpty)
        {
            Guard.Length(rowWeights.Length, rows, "one per row, or empty for ones", nameof(rowWeights));
            Guard.AllNonNegative(rowWeights, nameof(rowWeights));
        }
        if (!gradient.IsEmpty) Guard.Length(gradient.Length, scores.Length, "n×c, or empty to skip", nameof(gradient));
        if (!diagonal.IsEmpty) Guard.Length(diagonal.Length, scores.Length, "n×c, or empty to skip", nameof(diagonal));
        Guard.NonNegative(scale, nameof(scale));
    }

    private static double Core(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, ReadOnlySpan<double> targets,
        ReadOnlySpan<double> weights, double scale, Span<double> gradient, Span<double> diagonal, double factor, double floor)
    {
        if (RowParallel.IsSingleChunk(scores.Length / c, c))
            return RowRange(scores, c, labels, targets, weights, scale, gradient, diagonal, factor, floor, 0, scores.Length / c);
        return CoreParallel(scores, c, labels, targets, weights, scale, gradient, diagonal, factor, floor);
    }

    // Separate method: the closure the lambda needs is allocated only when rows are really split into chunks.
    private static unsafe double CoreParallel(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, ReadOnlySpan<double> targets,
        ReadOnlySpan<double> weights, double scale, Span<double> gradient, Span<double> diagonal, double factor, double floor)
    {
        int n = scores.Length / c, nl = labels.Length, nt = targets.Length, nw = weights.Length, ng = gradient.Length, nd = diagonal.Length;
        fixed (double* z = scores, t = targets, w = weights, g = gradient, d = diagonal)
        fixed (int* y = labels)
        {
            nint pz = (nint)z, pt = (nint)t, pw = (nint)w, pg = (nint)g, pd = (nint)d, py = (nint)y;
            return RowParallel.Sum(n, c, (start, end) => RowRange(
                new ReadOnlySpan<double>((double*)pz, n * c), c, new ReadOnlySpan<int>((int*)py, nl),
                new ReadOnlySpan<double>((double*)pt, nt), new ReadOnlySpan<double>((double*)pw, nw), scale,
                new Span<double>((double*)pg, ng), new Span<double>((double*)pd, nd), factor, floor, start, end));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double RowRange(ReadOnlySpan<double> z, int c, ReadOnlySpan<int> labels, ReadOnlySpan<double> targets,
        ReadOnlySpan<double> weights, double scale, Span<double> g, Span<double> d, double factor, double floor, int start, int end)
    {
        double[]? rented = null;
        Span<double> buffer = c <= 256 ? stackalloc double[256] : (rented = ArrayPool<double>.Shared.Rent(c));
        bool wantG = !g.IsEmpty, wantD = !d.IsEmpty;
        double total = 0;
        for (int i = start; i < end; i++)
        {
            var zi = z.Slice(i * c, c);
            // Work in place in an output row when there is one: the softmax never needs a separate buffer.
            var e = wantG ? g.Slice(i * c, c) : wantD ? d.Slice(i * c, c) : buffer[..c];
            double m = TensorPrimitives.Max(zi);
            TensorPrimitives.Subtract(zi, m, e);
            TensorPrimitives.Exp(e, e);
            double sum = TensorPrimitives.Sum(e), logSum = Math.Log(sum);
            double w = (weights.IsEmpty ? 1.0 : weights[i]) * scale;
            double s;
            if (labels.IsEmpty)
            {
                var yi = targets.Slice(i * c, c);
                s = TensorPrimitives.Sum(yi);
                total += w * (s * (m + logSum) - TensorPrimitives.Dot(yi, zi));
            }
            else
            {
                s = 1.0;
                total += w * ((m - zi[labels[i]]) + logSum);
            }
            if (!wantG && !wantD) continue;
            var gi = wantG ? g.Slice(i * c, c) : Span<double>.Empty;
            Finish(e, 1.0 / sum, w * s, w * s * factor, floor, gi, wantD ? d.Slice(i * c, c) : Span<double>.Empty);
            if (wantG)
            {
                if (labels.IsEmpty) TensorPrimitives.MultiplyAdd(targets.Slice(i * c, c), -w, gi, gi);
                else gi[labels[i]] -= w;
            }
        }
        if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        return total;
    }

    /// <summary>
    /// One pass over exp(z − max): p = e·inv, gradient a·p, diagonal max(b·p(1−p), floor). e may alias g or d
    /// (each lane is read before it is written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Finish(Span<double> e, double inv, double a, double b, double floor, Span<double> g, Span<double> d)
    {
        int c = e.Length, k = 0;
        bool wantG = !g.IsEmpty, wantD = !d.IsEmpty;
        if (Vector.IsHardwareAccelerated)
        {
            var vinv = new Vector<double>(inv);
            var va = new Vector<double>(a);
            var vb = new Vector<double>(b);
            var vfloor = new Vector<double>(floor);
            for (; k <= c - Vector<double>.Count; k += Vector<double>.Count)
            {
                var p = new Vector<double>(e.Slice(k)) * vinv;
                if (wantD) Vector.Max(vb * p * (Vector<double>.One - p), vfloor).CopyTo(d.Slice(k));
                if (wantG) (va * p).CopyTo(g.Slice(k));
            }
        }
        for (; k < c; k++)
        {
            double p = e[k] * inv;
            if (wantD) d[k] = Math.Max(b * p * (1 - p), floor);
            if (wantG) g[k] = a * p;
        }
    }
}
