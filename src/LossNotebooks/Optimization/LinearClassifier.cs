using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using LossNotebooks.Data;
using LossNotebooks.Losses;
using LossNotebooks.Validation;

namespace LossNotebooks.Optimization;

/// <summary>The losses a linear classifier can be trained with (each is the library's kernel in <see cref="Losses"/>).</summary>
public enum LinearLoss
{
    /// <summary>Weston–Watkins multiclass SVM hinge (<see cref="MulticlassHinge"/>), margin Δ.</summary>
    Hinge,
    /// <summary>Softmax cross-entropy (<see cref="SoftmaxCrossEntropy"/>).</summary>
    SoftmaxCrossEntropy,
    /// <summary>Brier score on softmax probabilities (<see cref="WeightedBrier"/> with unit weights).</summary>
    Brier,
}

/// <summary>
/// A linear classifier on a fixed training set: scores Z = X̃·W with X̃ = [X, 1] (the bias trick: W is (d+1)×c
/// row-major, its last row the bias), objective L(W) = (1/n)·Σ_i ℓ(z_i, y_i) + λ·Σ_{j&lt;d,k} W[j,k]² (the bias row is not
/// regularised). ℓ, ∂ℓ/∂z come from the span kernels in <see cref="Losses"/>; this class adds only the linear-model
/// fusion: per tile of rows, scores, the loss kernel and dW += X̃ᵀ·dZ while the rows are still in cache.
/// <para>
/// Rows are split into a fixed number of blocks that depends only on n (never on the thread count) and block results are
/// added in block order, so values and gradients are bit-identical from run to run and machine to machine. Workspace
/// is allocated once per instance; an instance is not thread-safe.
/// </para>
/// </summary>
public sealed class LinearClassifier
{
    private const int TileRows = 16;         // 16 rows × d doubles stay in L2 between the scores and the gradient pass
    private const int BatchTileRows = 48;    // random search: more rows per pass over the (wide) batch of draws
    private const int MaxBlocks = 8;         // fixed parallel split (2–8 cores), independent of the machine
    private const int MinRowsPerBlock = 64;
    private const long ParallelWork = 1 << 17; // n·d below this runs on the calling thread (same blocks, same order)

    private readonly double[] _x;      // n×D with D = d (+1 for bias), row-major
    private readonly int[] _y;
    private readonly int _blocks;
    private readonly double[] _wt;     // c×D
    private readonly double[] _dwt;    // blocks×c×D partial gradients
    private readonly double[] _tiles;  // blocks×(2·TileRows·c): scores and dZ tiles
    private readonly double[] _partial;
    private readonly double[] _tileAcc; // blocks × BatchScores workspace for one tile
    private double[] _batchWt = [], _batchTiles = [], _batchPartial = [], _batchAcc = [];
    private int _batchDraws;
    private double[] _sgdX = [];
    private int[] _sgdY = [];
    private LinearClassifier? _sgdModel;

    /// <summary>Binds the training data. <paramref name="regularization"/> is λ ≥ 0; <paramref name="margin"/> is Δ (hinge only).</summary>
    public LinearClassifier(Dataset train, LinearLoss loss, double regularization = 1e-3, bool bias = true, double margin = 1.0)
        : this(Check(train).X, train.Y, train.Features, train.Classes, loss, regularization, bias, margin) { }

    /// <summary>Raw form: X n×d row-major, labels in [0, classes).</summary>
    public LinearClassifier(double[] x, int[] labels, int features, int classes, LinearLoss loss, double regularization = 1e-3,
        bool bias = true, double margin = 1.0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        Guard.Positive(features);
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        if (labels.Length < 1) throw new ArgumentException("labels must not be empty.", nameof(labels));
        Guard.Length(x.Length, labels.Length * features, $"n×d with n = {labels.Length}, d = {features}", nameof(x));
        Guard.AllFinite(x, nameof(x));
        Guard.Labels(labels, classes, nameof(labels));
        Guard.NonNegative(regularization);
        Guard.NonNegative(margin);
        if (!Enum.IsDefined(loss)) throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss.");
        Loss = loss;
        Regularization = regularization;
        Margin = margin;
        HasBias = bias;
        Features = features;
        Classes = classes;
        Rows = labels.Length;
        int width = Width;
        if (bias)
        {
            _x = new double[Rows * width];
            for (int i = 0; i < Rows; i++)
            {
                x.AsSpan(i * features, features).CopyTo(_x.AsSpan(i * width, features));
                _x[i * width + features] = 1.0;
            }
        }
        else _x = x; // no copy: the caller's array is read, never written
        _y = labels;
        _blocks = Math.Clamp(Rows / MinRowsPerBlock, 1, MaxBlocks);
        _wt = new double[LinearKernel.PaddedColumns(classes) * width]; // padded to whole panels (zeros) for BatchScores
        _tileAcc = LinearKernel.BatchScoresSupported ? new double[_blocks * LinearKernel.BatchScoresWorkspace(TileRows, classes)] : [];
        _dwt = new double[_blocks * classes * width];
        _tiles = new double[_blocks * 2 * TileRows * classes];
        _partial = new double[_blocks];
    }

    private static Dataset Check(Dataset train) { ArgumentNullException.ThrowIfNull(train); return train; }

    public LinearLoss Loss { get; }
    public double Regularization { get; }
    public double Margin { get; }
    public bool HasBias { get; }
    /// <summary>n.</summary>
    public int Rows { get; }
    /// <summary>d, without the bias column.</summary>
    public int Features { get; }
    public int Classes { get; }
    /// <summary>Rows of W: d + 1 with the bias trick, else d.</summary>
    public int Width => Features + (HasBias ? 1 : 0);
    /// <summary>Entries of W, (d+1)·c.</summary>
    public int Parameters => Width * Classes;
    /// <summary>X̃, n×Width row-major (with the ones column when <see cref="HasBias"/>).</summary>
    public ReadOnlySpan<double> Design => _x;
    public ReadOnlySpan<int> Labels => _y;

    /// <summary>L(W) (mean data loss + λ‖W‖² without the bias row).</summary>
    public double Value(ReadOnlySpan<double> weights)
    {
        CheckWeights(weights);
        return Evaluate(weights, Span<double>.Empty);
    }

    /// <summary>Writes ∂L/∂W ((d+1)×c row-major) into <paramref name="gradient"/> and returns L(W). Allocation-free.</summary>
    public double ValueAndGradient(ReadOnlySpan<double> weights, Span<double> gradient)
    {
        CheckWeights(weights);
        Guard.Length(gradient.Length, Parameters, "(d+1)×c like the weights", nameof(gradient));
        return Evaluate(weights, gradient);
    }

    /// <summary>λ·Σ_{j&lt;d,k} W[j,k]².</summary>
    public double Penalty(ReadOnlySpan<double> weights)
    {
        var w = weights[..(Features * Classes)];
        return Regularization == 0 ? 0 : Regularization * TensorPrimitives.Dot(w, w);
    }

    internal void CheckWeights(ReadOnlySpan<double> weights, string name = "weights")
    {
        // The message is built only on failure: an interpolated string here would allocate on every hot-path call.
        if (weights.Length != Parameters) Guard.Length(weights.Length, Parameters, $"(d+1)×c = {Width}×{Classes}, row-major", name);
        if (!LinearKernel.AllFinite(weights)) Guard.AllFinite(weights, name);
    }

    private double Evaluate(ReadOnlySpan<double> weights, Span<double> gradient)
    {
        double data = DataTerm(weights, gradient);
        if (!gradient.IsEmpty && Regularization != 0)
        {
            var w = weights[..(Features * Classes)];
            var g = gradient[..(Features * Classes)];
            LinearKernel.Axpy(2 * Regularization, w, g);
        }
        return data + Penalty(weights);
    }

    /// <summary>(1/n)·Σ_i ℓ(z_i) and, when <paramref name="gradient"/> is non-empty, its gradient X̃ᵀ·dZ (no penalty).</summary>
    private double DataTerm(ReadOnlySpan<double> weights, Span<double> gradient)
    {
        int D = Width, c = Classes;
        Transpose(weights, D, c, _wt);
        bool wantG = !gradient.IsEmpty;
        if (wantG) Array.Clear(_dwt);
        RunBlocks(wantG);
        double data = 0;
        for (int b = 0; b < _blocks; b++) data += _partial[b];
        if (wantG)
        {
            var dwt = _dwt.AsSpan(0, c * D);
            for (int b = 1; b < _blocks; b++) TensorPrimitives.Add(dwt, _dwt.AsSpan(b * c * D, c * D), dwt);
            Transpose(dwt, c, D, gradient);
        }
        return data;
    }

    private void RunBlocks(bool wantG)
    {
        if (_blocks == 1 || (long)Rows * Width < ParallelWork || Environment.ProcessorCount == 1)
        {
            for (int b = 0; b < _blocks; b++) Block(b, wantG);
        }
        else RunBlocksParallel(wantG);
    }

    // Separate methods: a lambda capturing a parameter allocates its closure at method entry, even on the serial path.
    private void RunBlocksParallel(bool wantG) => Unwrapped(Parallel.For, 0, _blocks, b => Block(b, wantG));

    private void BatchBlocksParallel(int draws) => Unwrapped(Parallel.For, 0, _blocks, b => BatchBlock(b, draws));

    /// <summary>Rethrows a block's exception as itself: callers (and the serial path) see the same type either way.</summary>
    private static void Unwrapped(Func<int, int, Action<int>, ParallelLoopResult> loop, int from, int to, Action<int> body)
    {
        try { loop(from, to, body); }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private (int Start, int End) BlockRange(int b) => ((int)((long)Rows * b / _blocks), (int)((long)Rows * (b + 1) / _blocks));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Block(int b, bool wantG)
    {
        int D = Width, c = Classes;
        var (start, end) = BlockRange(b);
        var z = _tiles.AsSpan(b * 2 * TileRows * c, TileRows * c);
        var dz = _tiles.AsSpan((b * 2 + 1) * TileRows * c, TileRows * c);
        var dwt = _dwt.AsSpan(b * c * D, c * D);
        int accLength = _tileAcc.Length / _blocks;
        var acc = _tileAcc.AsSpan(b * accLength, accLength);
        double sum = 0, scale = 1.0 / Rows;
        for (int r0 = start; r0 < end; r0 += TileRows)
        {
            int r1 = Math.Min(end, r0 + TileRows), t = r1 - r0;
            if (acc.Length > 0) LinearKernel.BatchScores(_x, D, r0, r1, _wt, c, c, z, acc);
            else LinearKernel.Scores(_x, D, r0, r1, _wt, c, c, z);
            sum += RowLoss(z[..(t * c)], _y.AsSpan(r0, t), wantG ? dz[..(t * c)] : Span<double>.Empty, scale);
            if (wantG) LinearKernel.AccumulateGradient(_x, D, r0, r1, dz, c, dwt);
        }
        _partial[b] = sum;
    }

    /// <summary>
    /// (1/n)·Σ_i ℓ(z_i) from given scores (n×c), summed tile by tile and block by block in exactly the order
    /// <see cref="Value"/> uses, so the two differ only by the rounding of the scores themselves. Thread-safe.
    /// </summary>
    internal double DataFromScores(ReadOnlySpan<double> z)
    {
        int c = Classes;
        double data = 0, scale = 1.0 / Rows;
        for (int b = 0; b < _blocks; b++)
        {
            var (start, end) = BlockRange(b);
            double sum = 0;
            for (int r0 = start; r0 < end; r0 += TileRows)
            {
                int t = Math.Min(end, r0 + TileRows) - r0;
                sum += RowLoss(z.Slice(r0 * c, t * c), _y.AsSpan(r0, t), Span<double>.Empty, scale);
            }
            data += sum;
        }
        return data;
    }

    /// <summary>The library's loss kernel on a tile of scores (scale 1/n: the mean over all rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double RowLoss(ReadOnlySpan<double> z, ReadOnlySpan<int> y, Span<double> dz, double scale)
    {
        try
        {
            return Loss switch
            {
                LinearLoss.Hinge => MulticlassHinge.Kernel(z, Classes, y, default, Margin, dz, scale),
                LinearLoss.SoftmaxCrossEntropy => SoftmaxCrossEntropy.Kernel(z, Classes, y, default, dz, Span<double>.Empty, scale),
                _ => WeightedBrier.Kernel(z, Classes, y, default, dz, Span<double>.Empty, scale),
            };
        }
        catch (ArgumentException e) when (e.ParamName == "scores" && !LinearKernel.AllFinite(z))
        {
            // X̃ and W were checked finite, so ±∞ scores are overflow (|W| near double's range, a diverging step), not the
            // bad input the kernel's own check calls them. Translated here so the hot path checks the scores only once.
            throw new ArithmeticException("the scores X̃·W overflowed double's range (W too large).", e);
        }
    }

    internal static void Transpose(ReadOnlySpan<double> a, int rows, int cols, Span<double> result)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                result[j * rows + i] = a[i * cols + j];
    }

    /// <summary>
    /// L for each of B weight matrices at once (<paramref name="weights"/> is B×(d+1)×c, draw after draw): X̃ is read once
    /// for the whole batch — one matrix product X̃·[W₁ … W_B] — which is what makes random search fast.
    /// </summary>
    public void Values(ReadOnlySpan<double> weights, Span<double> losses)
    {
        int P = Parameters, B = losses.Length, D = Width, c = Classes;
        if (B < 1) throw new ArgumentException("losses must have room for at least one draw.", nameof(losses));
        if (weights.Length != B * P) Guard.Length(weights.Length, B * P, $"B×(d+1)×c with B = losses.Length = {B}", nameof(weights));
        if (!LinearKernel.AllFinite(weights)) Guard.AllFinite(weights, nameof(weights));
        if (_batchDraws != B)
        {
            // Wᵀ padded to whole panels (zeros) and the d-blocked kernel's partial sums per tile.
            int mPad = LinearKernel.PaddedColumns(B * c);
            _batchWt = new double[mPad * D];
            _batchTiles = new double[_blocks * BatchTileRows * c * B];
            _batchPartial = new double[_blocks * B];
            _batchAcc = LinearKernel.BatchScoresSupported ? new double[_blocks * LinearKernel.BatchScoresWorkspace(BatchTileRows, B * c)] : [];
            _batchDraws = B;
        }
        for (int q = 0; q < B; q++) Transpose(weights.Slice(q * P, P), D, c, _batchWt.AsSpan(q * P, P));
        if (_blocks == 1 || (long)Rows * Width * B < ParallelWork || Environment.ProcessorCount == 1)
            for (int b = 0; b < _blocks; b++) BatchBlock(b, B);
        else
            BatchBlocksParallel(B);
        for (int q = 0; q < B; q++)
        {
            double data = 0;
            for (int b = 0; b < _blocks; b++) data += _batchPartial[b * B + q];
            losses[q] = data + Penalty(weights.Slice(q * P, P));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BatchBlock(int b, int B)
    {
        int D = Width, c = Classes;
        var (start, end) = BlockRange(b);
        var z = _batchTiles.AsSpan(b * BatchTileRows * c * B, BatchTileRows * c * B);
        var sums = _batchPartial.AsSpan(b * B, B);
        int accLength = _batchAcc.Length / _blocks;
        var acc = _batchAcc.AsSpan(b * accLength, accLength);
        sums.Clear();
        double scale = 1.0 / Rows;
        for (int r0 = start; r0 < end; r0 += BatchTileRows)
        {
            int r1 = Math.Min(end, r0 + BatchTileRows), t = r1 - r0;
            if (_batchAcc.Length > 0) LinearKernel.BatchScores(_x, D, r0, r1, _batchWt, B * c, c, z, acc);
            else LinearKernel.Scores(_x, D, r0, r1, _batchWt, B * c, c, z);
            for (int q = 0; q < B; q++)
                sums[q] += RowLoss(z.Slice(q * t * c, t * c), _y.AsSpan(r0, t), Span<double>.Empty, scale);
        }
    }

    /// <summary>Z = X̃·W (n×c) into <paramref name="scores"/>.</summary>
    public void Scores(ReadOnlySpan<double> weights, Span<double> scores)
    {
        CheckWeights(weights);
        Guard.Length(scores.Length, Rows * Classes, "n×c", nameof(scores));
        Transpose(weights, Width, Classes, _wt);
        LinearKernel.Scores(_x, Width, 0, Rows, _wt, Classes, Classes, scores);
    }

    /// <summary>Fraction of training rows whose arg-max score is the label (ties → lowest class index).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Accuracy(ReadOnlySpan<double> weights)
    {
        CheckWeights(weights);
        return AccuracyOn(weights, _x, _y, Width, true);
    }

    /// <summary>Accuracy of W on another data set with the same features (e.g. the validation part of a split).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Accuracy(ReadOnlySpan<double> weights, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckWeights(weights);
        Guard.Length(data.Features, Features, "the classifier's feature count", nameof(data));
        if (data.Classes != Classes) throw new ArgumentException($"data has {data.Classes} classes, the classifier {Classes}.", nameof(data));
        return AccuracyOn(weights, data.X, data.Y, data.Features, false);
    }

    /// <summary>Predicted class of one feature row (length d).</summary>
    public int Predict(ReadOnlySpan<double> weights, ReadOnlySpan<double> features)
    {
        CheckWeights(weights);
        Guard.Length(features.Length, Features, "d features", nameof(features));
        return ArgMax(weights, features);
    }

    private double AccuracyOn(ReadOnlySpan<double> weights, ReadOnlySpan<double> x, ReadOnlySpan<int> y, int stride, bool augmented)
    {
        // Scores a tile at a time with the SIMD kernel (a trace records accuracy at every point, so this is not cold code);
        // rows without the bias column are copied into a tile buffer with the 1 appended.
        int c = Classes, D = Width, n = y.Length, correct = 0;
        Transpose(weights, D, c, _wt);
        bool direct = augmented || stride == D;
        var z = new double[TileRows * c];
        var rows = direct ? [] : new double[TileRows * D];
        for (int r0 = 0; r0 < n; r0 += TileRows)
        {
            int t = Math.Min(n, r0 + TileRows) - r0;
            if (direct) LinearKernel.Scores(x, D, r0, r0 + t, _wt, c, c, z);
            else
            {
                for (int i = 0; i < t; i++)
                {
                    x.Slice((r0 + i) * stride, Features).CopyTo(rows.AsSpan(i * D, Features));
                    rows[i * D + Features] = 1.0;
                }
                LinearKernel.Scores(rows, D, 0, t, _wt, c, c, z);
            }
            for (int i = 0; i < t; i++)
            {
                int best = 0;
                for (int k = 1; k < c; k++) if (z[i * c + k] > z[i * c + best]) best = k;
                if (best == y[r0 + i]) correct++;
            }
        }
        return (double)correct / n;
    }

    private int ArgMax(ReadOnlySpan<double> w, ReadOnlySpan<double> row)
    {
        int c = Classes, best = 0;
        double bestScore = double.NegativeInfinity;
        for (int k = 0; k < c; k++)
        {
            double s = HasBias ? w[Features * c + k] : 0;
            for (int j = 0; j < Features; j++) s += row[j] * w[j * c + k];
            if (s > bestScore) { bestScore = s; best = k; }
        }
        return best;
    }

    /// <summary>
    /// Mini-batch L and ∂L/∂W on the rows <paramref name="rows"/> (mean over those rows + the same penalty). The rows are
    /// gathered into a preallocated buffer (sized on first use), then the fused kernel runs on it.
    /// </summary>
    public double ValueAndGradient(ReadOnlySpan<double> weights, Span<double> gradient, ReadOnlySpan<int> rows)
    {
        CheckWeights(weights);
        Guard.Length(gradient.Length, Parameters, "(d+1)×c like the weights", nameof(gradient));
        if (rows.Length < 1 || rows.Length > Rows)
            throw new ArgumentOutOfRangeException(nameof(rows), rows.Length, $"rows must hold between 1 and n = {Rows} row indices.");
        int D = Width, B = rows.Length;
        if (_sgdModel is null || _sgdModel.Rows != B)
        {
            _sgdX = new double[B * D];
            _sgdY = new int[B];
            _sgdModel = new LinearClassifier(_sgdX, _sgdY, D, Classes, Loss, Regularization, bias: false, Margin);
        }
        for (int r = 0; r < B; r++)
        {
            int i = rows[r];
            if ((uint)i >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(rows), i, $"row index must be in [0, {Rows}).");
            _x.AsSpan(i * D, D).CopyTo(_sgdX.AsSpan(r * D, D));
            _sgdY[r] = _y[i];
        }
        // The inner model sees the bias column as an ordinary feature; only its data term is used, our penalty is added.
        double data = _sgdModel.DataTerm(weights, gradient);
        if (Regularization != 0)
        {
            var w = weights[..(Features * Classes)];
            var g = gradient[..(Features * Classes)];
            LinearKernel.Axpy(2 * Regularization, w, g);
        }
        return data + Penalty(weights);
    }

    public override string ToString() => $"linear classifier, {Loss}, n = {Rows}, W {Width}×{Classes}{(HasBias ? " (bias row last)" : "")}, λ = {Regularization}";
}
