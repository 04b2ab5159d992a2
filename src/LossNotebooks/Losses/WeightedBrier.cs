using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using LossNotebooks.Validation;

namespace LossNotebooks.Losses;

/// <summary>
/// Weighted Brier score on softmax probabilities, L = Σ_i Σ_j w_ij (p_ij − y_ij)², p_i = softmax(z_i), per-entry weights.
/// With a_j = w_j (p_j − y_j), S = Σ_j a_j p_j, T = Σ_j w_j p_j² (per row):
/// <list type="bullet">
/// <item>gradient g_l = 2 p_l (a_l − S);</item>
/// <item>Hessian H_lm = 2 p_l (δ_lm − p_m)(a_l − S) + 2 p_l [w_l p_l (δ_lm − p_m) − p_m (w_m p_m + a_m − T − S)];</item>
/// <item>diagonal H_ll = 2 p_l (1 − p_l)(a_l − S) + 2 p_l² [w_l (1 − 2p_l) − a_l + T + S].</item>
/// </list>
/// The seed derivation (001) gets the gradient right but its last Hessian step is wrong: it writes
/// ∂S/∂z_l = p_l (w_l(2p_l − y_l) − p_l Σ_j w_j (2p_j − y_j)); the correct sum is Σ_j w_j p_j (2p_j − y_j), without the
/// extra p_l. (Its cross-entropy Hessian also has a j/l index slip.) The tests check these formulas against finite differences.
/// </summary>
public sealed class WeightedBrier : ScoreLoss, IComplexScoreLoss
{
    private readonly int[]? _labels;
    private readonly double[]? _targets;
    private readonly double[]? _weights;

    /// <summary>Hard labels; optional per-entry weights w (n×c row-major, ≥ 0; null = ones).</summary>
    public WeightedBrier(int[] labels, int classes, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(Targets.Labels(labels, classes, 2, nameof(labels)).Length, classes, reduction)
    {
        _labels = (int[])labels.Clone();
        _weights = Targets.Weights(weights, "n×c, one per entry", Rows * Classes);
    }

    /// <summary>Probability-row targets (n×c, y ≥ 0, rows sum to 1 within <see cref="Targets.RowSumTolerance"/>).</summary>
    public WeightedBrier(double[] targets, int classes, double[]? weights = null, Reduction reduction = Reduction.Sum)
        : base(RowsOf(targets, classes), classes, reduction)
    {
        _targets = Targets.Matrix(targets, classes, nameof(targets), out _, probabilityRows: true);
        _weights = Targets.Weights(weights, "n×c, one per entry", Rows * Classes);
    }

    private static int RowsOf(double[] targets, int classes)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2 for a softmax.");
        Targets.Matrix(targets, classes, nameof(targets), out int rows, probabilityRows: true);
        return rows;
    }

    public override string Name => "weighted Brier";
    public override bool IsSmooth => true;

    protected override double Evaluate(ReadOnlySpan<double> scores, Span<double> gradient, Span<double> diagonal) =>
        Core(scores, Classes, _labels, _targets, _weights, Scale, gradient, diagonal);

    protected override void RowBlock(ReadOnlySpan<double> z, int row, Span<double> block)
    {
        int c = Classes;
        var p = new double[c];
        Softmax.Row(z, p);
        double S = 0, T = 0;
        var a = new double[c];
        var w = new double[c];
        for (int j = 0; j < c; j++)
        {
            w[j] = _weights?[row * c + j] ?? 1.0;
            a[j] = w[j] * (p[j] - TargetAt(row, j));
            S += a[j] * p[j];
            T += w[j] * p[j] * p[j];
        }
        for (int l = 0; l < c; l++)
            for (int m = 0; m < c; m++)
            {
                double dlm = l == m ? 1.0 : 0.0;
                double h = p[l] * (dlm - p[m]) * (a[l] - S)
                         + p[l] * (w[l] * p[l] * (dlm - p[m]) - p[m] * (w[m] * p[m] + a[m] - T - S));
                block[l * c + m] = 2 * Scale * h;
            }
        // H is symmetric in exact arithmetic; the formula above is not written symmetrically, so average the rounding away.
        for (int l = 0; l < c; l++)
            for (int m = 0; m < l; m++)
                block[l * c + m] = block[m * c + l] = 0.5 * (block[l * c + m] + block[m * c + l]);
    }

    private double TargetAt(int i, int j) => _labels is not null ? (_labels[i] == j ? 1.0 : 0.0) : _targets![i * Classes + j];

    Complex IComplexScoreLoss.Value(ReadOnlySpan<Complex> scores) => ComplexValue(scores);

    /// <summary>L(Z) for complex Z (complex-step checks). Named apart from Value so that collection expressions like Value([1.0, 2.0]) bind to the real overload.</summary>
    public Complex ComplexValue(ReadOnlySpan<Complex> scores)
    {
        CheckComplexScores(scores);
        int c = Classes;
        var p = new Complex[c];
        Complex total = Complex.Zero;
        for (int i = 0; i < Rows; i++)
        {
            Softmax.Row(scores.Slice(i * c, c), p);
            for (int j = 0; j < c; j++)
            {
                var e = p[j] - TargetAt(i, j);
                total += (_weights?[i * c + j] ?? 1.0) * e * e;
            }
        }
        return Scale * total;
    }

    /// <summary>
    /// Span kernel, hard labels: returns scale·Σ w (p − y)²; writes the gradient and/or diagonal Hessian when the spans are
    /// non-empty. <paramref name="weights"/>: n×c per-entry, or empty for ones. One softmax per row feeds all three.
    /// </summary>
    public static double Kernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights,
        Span<double> gradient, Span<double> diagonal, double scale = 1.0)
    {
        CheckKernel(scores, classes, labels.Length, weights, gradient, diagonal, scale);
        Guard.Labels(labels, classes, nameof(labels));
        return Core(scores, classes, labels, default, weights, scale, gradient, diagonal);
    }

    /// <summary>Span kernel, probability-row targets (n×c; y ≥ 0).</summary>
    public static double Kernel(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights,
        Span<double> gradient, Span<double> diagonal, double scale = 1.0)
    {
        CheckKernel(scores, classes, targets.Length / Math.Max(classes, 1), weights, gradient, diagonal, scale);
        Guard.Length(targets.Length, scores.Length, "n×c like scores", nameof(targets));
        Guard.AllNonNegative(targets, nameof(targets));
        return Core(scores, classes, default, targets, weights, scale, gradient, diagonal);
    }

    private static void CheckKernel(ReadOnlySpan<double> scores, int classes, int rows, ReadOnlySpan<double> weights,
        Span<double> gradient, Span<double> diagonal, double scale)
    {
        Targets.KernelShape(scores.Length, classes, rows);
        if (!double.IsFinite(TensorPrimitives.MaxMagnitude(scores))) Guard.AllFinite(scores, nameof(scores));
        if (!weights.IsEmpty)
        {
            Guard.Length(weights.Length, scores.Length, "n×c per entry, or empty for ones", nameof(weights));
            Guard.AllNonNegative(weights, nameof(weights));
        }
        if (!gradient.IsEmpty) Guard.Length(gradient.Length, scores.Length, "n×c, or empty to skip", nameof(gradient));
        if (!diagonal.IsEmpty) Guard.Length(diagonal.Length, scores.Length, "n×c, or empty to skip", nameof(diagonal));
        Guard.NonNegative(scale, nameof(scale));
    }

    private static double Core(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, ReadOnlySpan<double> targets,
        ReadOnlySpan<double> weights, double scale, Span<double> gradient, Span<double> diagonal)
    {
        if (RowParallel.IsSingleChunk(scores.Length / c, c))
            return RowRange(scores, c, labels, targets, weights, scale, gradient, diagonal, 0, scores.Length / c);
        return CoreParallel(scores, c, labels, targets, weights, scale, gradient, diagonal);
    }

    // Separate method: the closure the lambda needs is allocated only when rows are really split into chunks.
    private static unsafe double CoreParallel(ReadOnlySpan<double> scores, int c, ReadOnlySpan<int> labels, ReadOnlySpan<double> targets,
        ReadOnlySpan<double> weights, double scale, Span<double> gradient, Span<double> diagonal)
    {
        int n = scores.Length / c, nl = labels.Length, nt = targets.Length, nw = weights.Length, ng = gradient.Length, nd = diagonal.Length;
        fixed (double* z = scores, t = targets, w = weights, g = gradient, d = diagonal)
        fixed (int* y = labels)
        {
            nint pz = (nint)z, pt = (nint)t, pw = (nint)w, pg = (nint)g, pd = (nint)d, py = (nint)y;
            return RowParallel.Sum(n, c, (start, end) => RowRange(
                new ReadOnlySpan<double>((double*)pz, n * c), c, new ReadOnlySpan<int>((int*)py, nl),
                new ReadOnlySpan<double>((double*)pt, nt), new ReadOnlySpan<double>((double*)pw, nw), scale,
                new Span<double>((double*)pg, ng), new Span<double>((double*)pd, nd), start, end));
        }
    }

    private static double RowRange(ReadOnlySpan<double> z, int c, ReadOnlySpan<int> labels, ReadOnlySpan<double> targets,
        ReadOnlySpan<double> weights, double scale, Span<double> g, Span<double> d, int start, int end)
    {
        // Scratch: the softmax (when no output row can hold it), a one-hot row for labels, a ones row for "no weights".
        double[]? rented = null;
        Span<double> scratch = 3 * c <= 768 ? stackalloc double[768] : (rented = ArrayPool<double>.Shared.Rent(3 * c));
        Span<double> buffer = scratch.Slice(0, c), oneHot = scratch.Slice(c, c), ones = scratch.Slice(2 * c, c);
        oneHot.Clear();
        ones.Fill(1.0);
        bool wantG = !g.IsEmpty, wantD = !d.IsEmpty;
        double total = 0;
        for (int i = start; i < end; i++)
        {
            var p = wantG ? g.Slice(i * c, c) : wantD ? d.Slice(i * c, c) : buffer;
            Softmax.RowUnchecked(z.Slice(i * c, c), p);
            if (!labels.IsEmpty) oneHot[labels[i]] = 1.0;
            ReadOnlySpan<double> y = labels.IsEmpty ? targets.Slice(i * c, c) : oneHot;
            ReadOnlySpan<double> w = weights.IsEmpty ? ones : weights.Slice(i * c, c);
            Sums(p, y, w, out double value, out double S, out double T);
            total += scale * value;
            if (wantG || wantD)
                Finish(p, y, w, S, T, 2 * scale, wantG ? g.Slice(i * c, c) : Span<double>.Empty, wantD ? d.Slice(i * c, c) : Span<double>.Empty);
            if (!labels.IsEmpty) oneHot[labels[i]] = 0.0;
        }
        if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        return total;
    }

    /// <summary>value = Σ a(p − y), S = Σ a p, T = Σ w p² with a = w(p − y), in one SIMD pass.</summary>
    private static void Sums(ReadOnlySpan<double> p, ReadOnlySpan<double> y, ReadOnlySpan<double> w, out double value, out double S, out double T)
    {
        int c = p.Length, k = 0;
        double v = 0, s = 0, t = 0;
        if (Vector.IsHardwareAccelerated && c >= Vector<double>.Count)
        {
            Vector<double> vv = default, vs = default, vt = default;
            for (; k <= c - Vector<double>.Count; k += Vector<double>.Count)
            {
                var pk = new Vector<double>(p.Slice(k));
                var wk = new Vector<double>(w.Slice(k));
                var e = pk - new Vector<double>(y.Slice(k));
                var a = wk * e;
                vv += a * e;
                vs += a * pk;
                vt += wk * pk * pk;
            }
            v = Vector.Sum(vv); s = Vector.Sum(vs); t = Vector.Sum(vt);
        }
        for (; k < c; k++)
        {
            double e = p[k] - y[k], a = w[k] * e;
            v += a * e; s += a * p[k]; t += w[k] * p[k] * p[k];
        }
        value = v; S = s; T = t;
    }

    /// <summary>g = f·p(a − S); d = f·[p(1−p)(a − S) + p²(w(1 − 2p) − a + T + S)]; p may alias g or d (read before write).</summary>
    private static void Finish(ReadOnlySpan<double> p, ReadOnlySpan<double> y, ReadOnlySpan<double> w, double S, double T, double f,
        Span<double> g, Span<double> d)
    {
        int c = p.Length, k = 0;
        bool wantG = !g.IsEmpty, wantD = !d.IsEmpty;
        if (Vector.IsHardwareAccelerated)
        {
            var vS = new Vector<double>(S);
            var vTS = new Vector<double>(T + S);
            var vf = new Vector<double>(f);
            var one = Vector<double>.One;
            for (; k <= c - Vector<double>.Count; k += Vector<double>.Count)
            {
                var pk = new Vector<double>(p.Slice(k));
                var wk = new Vector<double>(w.Slice(k));
                var a = wk * (pk - new Vector<double>(y.Slice(k)));
                var aS = a - vS;
                if (wantD) (vf * (pk * (one - pk) * aS + pk * pk * (wk * (one - pk - pk) - a + vTS))).CopyTo(d.Slice(k));
                if (wantG) (vf * pk * aS).CopyTo(g.Slice(k));
            }
        }
        for (; k < c; k++)
        {
            double pk = p[k], wk = w[k], a = wk * (pk - y[k]), aS = a - S;
            if (wantD) d[k] = f * (pk * (1 - pk) * aS + pk * pk * (wk * (1 - 2 * pk) - a + T + S));
            if (wantG) g[k] = f * pk * aS;
        }
    }
}
