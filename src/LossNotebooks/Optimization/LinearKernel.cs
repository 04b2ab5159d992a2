using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossNotebooks.Optimization;

/// <summary>
/// The two products of a linear model over a tile of rows, written for the layout X (n×d row-major) and Wᵀ (m×d):
/// both operands of every dot product are contiguous, so SIMD runs along d. Register tiles (2 rows × 4 columns for
/// the scores, 4 rows per column for the gradient) load each vector of X once per tile instead of once per column.
/// </summary>
internal static class LinearKernel
{
    /// <summary>
    /// z = X[r0..r1) · Wtᵀ for m columns in groups of c ("draws"): column col goes to
    /// z[(col / c)·(tileRows·c) + (r − r0)·c + col % c], i.e. one row-major tile per draw.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scores(ReadOnlySpan<double> x, int d, int r0, int r1, ReadOnlySpan<double> wt, int m, int c, Span<double> z)
    {
        int rows = r1 - r0;
        int col = 0;
        // Column groups outside, row pairs inside: a group of 4 columns of Wᵀ (4·d doubles) stays in L1/L2 while the tile's
        // rows stream past it, so a wide batch of draws is read once per tile rather than once per row pair.
        for (; col + 3 < m; col += 4)
        {
            var w4 = wt.Slice(col * d, 4 * d);
            int r = r0;
            for (; r + 1 < r1; r += 2)
            {
                Dot2x4(x.Slice(r * d, d), x.Slice((r + 1) * d, d), w4, d, out var s);
                for (int q = 0; q < 4; q++)
                {
                    int cc = col + q, at = cc / c * rows * c + cc % c;
                    z[at + (r - r0) * c] = s[q];
                    z[at + (r + 1 - r0) * c] = s[4 + q];
                }
            }
            for (; r < r1; r++)
                for (int q = 0; q < 4; q++)
                {
                    int cc = col + q;
                    z[cc / c * rows * c + (r - r0) * c + cc % c] = TensorPrimitives.Dot(x.Slice(r * d, d), w4.Slice(q * d, d));
                }
        }
        if (col + 1 < m && Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            // c = 10 leaves 2 columns: a 2×2 tile instead of 4 single dot products per row pair.
            var w2 = wt.Slice(col * d, 2 * d);
            int r = r0;
            for (; r + 1 < r1; r += 2)
            {
                Dot2x2(x.Slice(r * d, d), x.Slice((r + 1) * d, d), w2, d, out double s00, out double s01, out double s10, out double s11);
                int a0 = col / c * rows * c + col % c, a1 = (col + 1) / c * rows * c + (col + 1) % c;
                z[a0 + (r - r0) * c] = s00; z[a1 + (r - r0) * c] = s01;
                z[a0 + (r + 1 - r0) * c] = s10; z[a1 + (r + 1 - r0) * c] = s11;
            }
            for (; r < r1; r++)
                for (int q = 0; q < 2; q++)
                {
                    int cc = col + q;
                    z[cc / c * rows * c + (r - r0) * c + cc % c] = TensorPrimitives.Dot(x.Slice(r * d, d), w2.Slice(q * d, d));
                }
            col += 2;
        }
        for (; col < m; col++)
        {
            var w = wt.Slice(col * d, d);
            int at = col / c * rows * c + col % c;
            for (int r = r0; r < r1; r++) z[at + (r - r0) * c] = TensorPrimitives.Dot(x.Slice(r * d, d), w);
        }
    }

    [InlineArray(8)]
    private struct Eight { private double _e0; }

    /// <summary>The 8 dot products of rows x0, x1 with the 4 consecutive rows of w (each of length d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x4(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> w, int d, out Eight s)
    {
        s = default;
        int k = 0;
        ref double a0 = ref MemoryMarshal.GetReference(x0);
        ref double a1 = ref MemoryMarshal.GetReference(x1);
        ref double b0 = ref MemoryMarshal.GetReference(w);
        ref double b1 = ref Unsafe.Add(ref b0, d);
        ref double b2 = ref Unsafe.Add(ref b0, 2 * d);
        ref double b3 = ref Unsafe.Add(ref b0, 3 * d);
        if (Fma.IsSupported && Vector256.IsHardwareAccelerated && d >= 4)
        {
            // .NET 8 does not contract a*b + c into an FMA on its own; explicit FMA halves the µops of the inner loop.
            Vector256<double> s00 = default, s01 = default, s02 = default, s03 = default;
            Vector256<double> s10 = default, s11 = default, s12 = default, s13 = default;
            for (; k <= d - 4; k += 4)
            {
                var u = Vector256.LoadUnsafe(ref a0, (nuint)k);
                var v = Vector256.LoadUnsafe(ref a1, (nuint)k);
                var w0 = Vector256.LoadUnsafe(ref b0, (nuint)k);
                var w1 = Vector256.LoadUnsafe(ref b1, (nuint)k);
                var w2 = Vector256.LoadUnsafe(ref b2, (nuint)k);
                var w3 = Vector256.LoadUnsafe(ref b3, (nuint)k);
                s00 = Fma.MultiplyAdd(u, w0, s00); s01 = Fma.MultiplyAdd(u, w1, s01); s02 = Fma.MultiplyAdd(u, w2, s02); s03 = Fma.MultiplyAdd(u, w3, s03);
                s10 = Fma.MultiplyAdd(v, w0, s10); s11 = Fma.MultiplyAdd(v, w1, s11); s12 = Fma.MultiplyAdd(v, w2, s12); s13 = Fma.MultiplyAdd(v, w3, s13);
            }
            s[0] = Vector256.Sum(s00); s[1] = Vector256.Sum(s01); s[2] = Vector256.Sum(s02); s[3] = Vector256.Sum(s03);
            s[4] = Vector256.Sum(s10); s[5] = Vector256.Sum(s11); s[6] = Vector256.Sum(s12); s[7] = Vector256.Sum(s13);
        }
        else if (Vector.IsHardwareAccelerated && d >= Vector<double>.Count)
        {
            Vector<double> s00 = default, s01 = default, s02 = default, s03 = default;
            Vector<double> s10 = default, s11 = default, s12 = default, s13 = default;
            int width = Vector<double>.Count;
            for (; k <= d - width; k += width)
            {
                var u = Vector.LoadUnsafe(ref a0, (nuint)k);
                var v = Vector.LoadUnsafe(ref a1, (nuint)k);
                var w0 = Vector.LoadUnsafe(ref b0, (nuint)k);
                var w1 = Vector.LoadUnsafe(ref b1, (nuint)k);
                var w2 = Vector.LoadUnsafe(ref b2, (nuint)k);
                var w3 = Vector.LoadUnsafe(ref b3, (nuint)k);
                s00 += u * w0; s01 += u * w1; s02 += u * w2; s03 += u * w3;
                s10 += v * w0; s11 += v * w1; s12 += v * w2; s13 += v * w3;
            }
            s[0] = Vector.Sum(s00); s[1] = Vector.Sum(s01); s[2] = Vector.Sum(s02); s[3] = Vector.Sum(s03);
            s[4] = Vector.Sum(s10); s[5] = Vector.Sum(s11); s[6] = Vector.Sum(s12); s[7] = Vector.Sum(s13);
        }
        for (; k < d; k++)
        {
            double u = Unsafe.Add(ref a0, k), v = Unsafe.Add(ref a1, k);
            double w0 = Unsafe.Add(ref b0, k), w1 = Unsafe.Add(ref b1, k), w2 = Unsafe.Add(ref b2, k), w3 = Unsafe.Add(ref b3, k);
            s[0] += u * w0; s[1] += u * w1; s[2] += u * w2; s[3] += u * w3;
            s[4] += v * w0; s[5] += v * w1; s[6] += v * w2; s[7] += v * w3;
        }
    }

    /// <summary>The 4 dot products of rows x0, x1 with the 2 consecutive rows of w (FMA path only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot2x2(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> w, int d,
        out double s00, out double s01, out double s10, out double s11)
    {
        ref double a0 = ref MemoryMarshal.GetReference(x0);
        ref double a1 = ref MemoryMarshal.GetReference(x1);
        ref double b0 = ref MemoryMarshal.GetReference(w);
        ref double b1 = ref Unsafe.Add(ref b0, d);
        Vector256<double> v00 = default, v01 = default, v10 = default, v11 = default;
        int k = 0;
        for (; k <= d - 4; k += 4)
        {
            var u = Vector256.LoadUnsafe(ref a0, (nuint)k);
            var v = Vector256.LoadUnsafe(ref a1, (nuint)k);
            var w0 = Vector256.LoadUnsafe(ref b0, (nuint)k);
            var w1 = Vector256.LoadUnsafe(ref b1, (nuint)k);
            v00 = Fma.MultiplyAdd(u, w0, v00); v01 = Fma.MultiplyAdd(u, w1, v01);
            v10 = Fma.MultiplyAdd(v, w0, v10); v11 = Fma.MultiplyAdd(v, w1, v11);
        }
        s00 = Vector256.Sum(v00); s01 = Vector256.Sum(v01); s10 = Vector256.Sum(v10); s11 = Vector256.Sum(v11);
        for (; k < d; k++)
        {
            double u = Unsafe.Add(ref a0, k), v = Unsafe.Add(ref a1, k), w0 = Unsafe.Add(ref b0, k), w1 = Unsafe.Add(ref b1, k);
            s00 += u * w0; s01 += u * w1; s10 += v * w0; s11 += v * w1;
        }
    }

    /// <summary>dWt[k, :] += Σ_{r ∈ [r0, r1)} dz[r − r0, k]·X[r, :] for every class k (dz is the tile's n_t×c gradient).</summary>
    /// <remarks>
    /// A small matrix product dWtᵀ += dZᵀ·X_tile, register-tiled: for a strip of 2 vectors along d, the strip of 5 classes
    /// stays in 10 accumulators while every row of the tile is applied (1 load of X per vector, 1 broadcast per class),
    /// so dWt is loaded and stored once per tile instead of once per row group. Classes whose dz is zero on the whole tile
    /// (inactive hinge classes) are skipped.
    /// (Prefetching the next tile into L2 during this pass was tried and measured no faster.)
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateGradient(ReadOnlySpan<double> x, int d, int r0, int r1, ReadOnlySpan<double> dz, int c, Span<double> dwt)
    {
        int rows = r1 - r0;
        if (rows <= 0) return;
        // A fixed-size stack buffer for the usual class counts; the rare very wide model pays one allocation per tile.
        Span<int> active = c <= 256 ? stackalloc int[256] : new int[c];
        int na = 0;
        for (int k = 0; k < c; k++)
        {
            bool any = false;
            for (int t = 0; t < rows && !any; t++) any = dz[t * c + k] != 0;
            if (any) active[na++] = k;
        }
        if (na == 0) return;
        ref double xr = ref MemoryMarshal.GetReference(x.Slice(r0 * d, rows * d));
        ref double gr = ref MemoryMarshal.GetReference(dz[..(rows * c)]);
        ref double wr = ref MemoryMarshal.GetReference(dwt[..(c * d)]);
        int lanes = Avx512F.IsSupported ? 16 : 4, dv = Vector256.IsHardwareAccelerated ? d - d % (2 * lanes) : 0;
        int a = 0;
        for (; a + 4 < na; a += 5)
        {
            if (lanes == 16) Strip5<SimdPair<Simd512>>(ref xr, d, rows, ref gr, c, active.Slice(a, 5), ref wr, dv);
            else Strip5<Simd256>(ref xr, d, rows, ref gr, c, active.Slice(a, 5), ref wr, dv);
        }
        for (; a < na; a++)
        {
            if (lanes == 16) Strip1<SimdPair<Simd512>>(ref xr, d, rows, ref gr, c, active[a], ref wr, dv);
            else Strip1<Simd256>(ref xr, d, rows, ref gr, c, active[a], ref wr, dv);
        }
        // Columns past the last full strip: plain loops, same row order.
        for (int j = dv; j < d; j++)
            for (int q = 0; q < na; q++)
            {
                int k = active[q];
                double s = Unsafe.Add(ref wr, (nint)k * d + j);
                for (int t = 0; t < rows; t++) s += Unsafe.Add(ref gr, t * c + k) * Unsafe.Add(ref xr, (nint)t * d + j);
                Unsafe.Add(ref wr, (nint)k * d + j) = s;
            }
    }

    /// <summary>Classes k[0..5) over columns [0, dv) in strips of two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip5<V>(ref double x, int d, int rows, ref double g, int c, ReadOnlySpan<int> k, ref double w, int dv)
        where V : struct, ISimd<V>
    {
        ref double w0 = ref Unsafe.Add(ref w, (nint)k[0] * d);
        ref double w1 = ref Unsafe.Add(ref w, (nint)k[1] * d);
        ref double w2 = ref Unsafe.Add(ref w, (nint)k[2] * d);
        ref double w3 = ref Unsafe.Add(ref w, (nint)k[3] * d);
        ref double w4 = ref Unsafe.Add(ref w, (nint)k[4] * d);
        int k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], lanes = V.Lanes;
        for (int j = 0; j < dv; j += 2 * lanes)
        {
            nuint ja = (nuint)j, jb = (nuint)(j + lanes);
            V a0 = V.Load(ref w0, ja), b0 = V.Load(ref w0, jb);
            V a1 = V.Load(ref w1, ja), b1 = V.Load(ref w1, jb);
            V a2 = V.Load(ref w2, ja), b2 = V.Load(ref w2, jb);
            V a3 = V.Load(ref w3, ja), b3 = V.Load(ref w3, jb);
            V a4 = V.Load(ref w4, ja), b4 = V.Load(ref w4, jb);
            ref double xj = ref Unsafe.Add(ref x, j);
            ref double gt = ref g;
            for (int t = 0; t < rows; t++)
            {
                V u = V.Load(ref xj, 0), v = V.Load(ref xj, (nuint)lanes);
                V s = V.Splat(Unsafe.Add(ref gt, k0)); a0 = V.MulAdd(s, u, a0); b0 = V.MulAdd(s, v, b0);
                s = V.Splat(Unsafe.Add(ref gt, k1)); a1 = V.MulAdd(s, u, a1); b1 = V.MulAdd(s, v, b1);
                s = V.Splat(Unsafe.Add(ref gt, k2)); a2 = V.MulAdd(s, u, a2); b2 = V.MulAdd(s, v, b2);
                s = V.Splat(Unsafe.Add(ref gt, k3)); a3 = V.MulAdd(s, u, a3); b3 = V.MulAdd(s, v, b3);
                s = V.Splat(Unsafe.Add(ref gt, k4)); a4 = V.MulAdd(s, u, a4); b4 = V.MulAdd(s, v, b4);
                xj = ref Unsafe.Add(ref xj, d);
                gt = ref Unsafe.Add(ref gt, c);
            }
            a0.Store(ref w0, ja); b0.Store(ref w0, jb);
            a1.Store(ref w1, ja); b1.Store(ref w1, jb);
            a2.Store(ref w2, ja); b2.Store(ref w2, jb);
            a3.Store(ref w3, ja); b3.Store(ref w3, jb);
            a4.Store(ref w4, ja); b4.Store(ref w4, jb);
        }
    }

    /// <summary>One class over columns [0, dv) in strips of two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip1<V>(ref double x, int d, int rows, ref double g, int c, int k, ref double w, int dv)
        where V : struct, ISimd<V>
    {
        ref double wk = ref Unsafe.Add(ref w, (nint)k * d);
        int lanes = V.Lanes;
        for (int j = 0; j < dv; j += 2 * lanes)
        {
            nuint ja = (nuint)j, jb = (nuint)(j + lanes);
            V a = V.Load(ref wk, ja), b = V.Load(ref wk, jb);
            ref double xj = ref Unsafe.Add(ref x, j);
            for (int t = 0; t < rows; t++)
            {
                V s = V.Splat(Unsafe.Add(ref g, t * c + k));
                a = V.MulAdd(s, V.Load(ref xj, 0), a); b = V.MulAdd(s, V.Load(ref xj, (nuint)lanes), b);
                xj = ref Unsafe.Add(ref xj, d);
            }
            a.Store(ref wk, ja); b.Store(ref wk, jb);
        }
    }

    /// <summary>
    /// True when every entry is finite: x − x is 0 for finite x and NaN for ±∞ and NaN, and NaN survives the sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool AllFinite(ReadOnlySpan<double> x)
    {
        int k = 0;
        var acc = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
            for (; k <= x.Length - Vector<double>.Count; k += Vector<double>.Count)
            {
                var v = new Vector<double>(x.Slice(k));
                acc += v - v;
            }
        double s = Vector.Sum(acc);
        for (; k < x.Length; k++) s += x[k] - x[k];
        return s == 0;
    }

    /// <summary>
    /// y += a·x, one SIMD pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException("x and y must have the same length.", nameof(y));
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            for (; k <= x.Length - Vector<double>.Count; k += Vector<double>.Count)
                (new Vector<double>(y.Slice(k)) + va * new Vector<double>(x.Slice(k))).CopyTo(y.Slice(k));
        }
        for (; k < x.Length; k++) y[k] += a * x[k];
    }

    /// <summary>Columns of d processed per pass in <see cref="BatchScores"/>: a panel of Wᵀ (4 or 6 columns × KChunk doubles) stays in L1.</summary>
    public const int KChunk = 512;

    /// <summary>
    /// Columns of Wᵀ that <see cref="BatchScores"/> needs (padding columns zero): a multiple of 12, so that both panel widths
    /// (6 with 512-bit vectors, 4 with 256-bit) divide it.
    /// </summary>
    public static int PaddedColumns(int m) => (m + 11) / 12 * 12;

    /// <summary>Doubles of <see cref="BatchScores"/>' <c>acc</c> workspace for a tile of <paramref name="rows"/> rows and m columns.</summary>
    public static int BatchScoresWorkspace(int rows, int m) => ((rows + 3) & ~3) * PaddedColumns(m) * 8;

    /// <summary>True when <see cref="BatchScores"/> can run (it needs 256-bit FMA).</summary>
    public static bool BatchScoresSupported => Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// Same output layout as <see cref="Scores"/> for a wide batch (m = B·c columns), blocked over d: for each chunk of
    /// <see cref="KChunk"/> entries of d, every panel of Wᵀ (6 columns with AVX-512, else 4) is read from L1 while the
    /// tile's rows stream past it from L2, 4 rows at a time. The per-lane partial sums (8 lanes with AVX-512 — measured
    /// 10–15 % faster than 256-bit here — else 4) live in <paramref name="acc"/> between chunks
    /// (<see cref="BatchScoresWorkspace"/> doubles). <paramref name="wt"/> must hold <see cref="PaddedColumns"/>(m) columns
    /// (padding columns zero). Deterministic: a fixed summation order that depends only on d.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BatchScores(ReadOnlySpan<double> x, int d, int r0, int r1, ReadOnlySpan<double> wt, int m, int c,
        Span<double> z, Span<double> acc)
    {
        bool wide = Avx512F.IsSupported;
        int lanes = wide ? 8 : 4;
        int rows = r1 - r0, mPad = PaddedColumns(m), rowsPad = (rows + 3) & ~3, dv = d & ~(lanes - 1), panel = wide ? 6 : 4;
        var a = acc[..(rowsPad * mPad * lanes)];
        a.Clear();
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double wr = ref MemoryMarshal.GetReference(wt[..(mPad * d)]);
        ref double ar = ref MemoryMarshal.GetReference(a);
        for (int k0 = 0; k0 < dv; k0 += KChunk)
        {
            int k1 = Math.Min(dv, k0 + KChunk);
            for (int col = 0; col < mPad; col += panel)
            {
                ref double w = ref Unsafe.Add(ref wr, (nint)col * d);
                for (int t = 0; t < rows; t += 4)
                {
                    // A short last quad repeats its last row; the duplicates' sums land in padding rows and are not read.
                    int r = r0 + t, last = r1 - 1;
                    if (wide)
                        Kernel4x6<Simd512>(ref Unsafe.Add(ref xr, (nint)r * d), ref Unsafe.Add(ref xr, (nint)Math.Min(r + 1, last) * d),
                            ref Unsafe.Add(ref xr, (nint)Math.Min(r + 2, last) * d), ref Unsafe.Add(ref xr, (nint)Math.Min(r + 3, last) * d),
                            ref w, d, k0, k1, ref Unsafe.Add(ref ar, ((nint)t * mPad + col) * 8), mPad * 8);
                    else
                        Kernel4x4<Simd256>(ref Unsafe.Add(ref xr, (nint)r * d), ref Unsafe.Add(ref xr, (nint)Math.Min(r + 1, last) * d),
                            ref Unsafe.Add(ref xr, (nint)Math.Min(r + 2, last) * d), ref Unsafe.Add(ref xr, (nint)Math.Min(r + 3, last) * d),
                            ref w, d, k0, k1, ref Unsafe.Add(ref ar, ((nint)t * mPad + col) * 4), mPad * 4);
                }
            }
        }
        for (int t = 0; t < rows; t++)
        {
            ref double xrow = ref Unsafe.Add(ref xr, (nint)(r0 + t) * d);
            for (int j = 0; j < m; j++)
            {
                double s = wide ? Vector512.Sum(Vector512.LoadUnsafe(ref ar, (nuint)((t * mPad + j) * 8)))
                    : Vector256.Sum(Vector256.LoadUnsafe(ref ar, (nuint)((t * mPad + j) * 4)));
                ref double wcol = ref Unsafe.Add(ref wr, (nint)j * d);
                for (int k = dv; k < d; k++) s += Unsafe.Add(ref xrow, k) * Unsafe.Add(ref wcol, k);
                z[j / c * rows * c + t * c + j % c] = s;
            }
        }
    }

    /// <summary>
    /// acc[row i, column q] (one vector of lanes) += x_i[k0..k1) ⊙ w_q[k0..k1) for 4 rows × 4 consecutive columns of Wᵀ:
    /// 16 accumulators, 8 loads per 16 FMAs (AVX-512 machines give the JIT 32 vector registers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x4<V>(ref double x0, ref double x1, ref double x2, ref double x3, ref double w, int d, int k0, int k1,
        ref double acc, int rowStride) where V : struct, ISimd<V>
    {
        int L = V.Lanes;
        nuint o1 = (nuint)L, o2 = (nuint)(2 * L), o3 = (nuint)(3 * L);
        ref double b1 = ref Unsafe.Add(ref w, d);
        ref double b2 = ref Unsafe.Add(ref w, 2 * d);
        ref double b3 = ref Unsafe.Add(ref w, 3 * d);
        ref double c1 = ref Unsafe.Add(ref acc, rowStride);
        ref double c2 = ref Unsafe.Add(ref acc, 2 * rowStride);
        ref double c3 = ref Unsafe.Add(ref acc, 3 * rowStride);
        V s00 = V.Load(ref acc, 0), s01 = V.Load(ref acc, o1), s02 = V.Load(ref acc, o2), s03 = V.Load(ref acc, o3);
        V s10 = V.Load(ref c1, 0), s11 = V.Load(ref c1, o1), s12 = V.Load(ref c1, o2), s13 = V.Load(ref c1, o3);
        V s20 = V.Load(ref c2, 0), s21 = V.Load(ref c2, o1), s22 = V.Load(ref c2, o2), s23 = V.Load(ref c2, o3);
        V s30 = V.Load(ref c3, 0), s31 = V.Load(ref c3, o1), s32 = V.Load(ref c3, o2), s33 = V.Load(ref c3, o3);
        for (int k = k0; k < k1; k += L)
        {
            nuint kk = (nuint)k;
            V w0 = V.Load(ref w, kk), w1 = V.Load(ref b1, kk), w2 = V.Load(ref b2, kk), w3 = V.Load(ref b3, kk);
            V u = V.Load(ref x0, kk);
            s00 = V.MulAdd(u, w0, s00); s01 = V.MulAdd(u, w1, s01); s02 = V.MulAdd(u, w2, s02); s03 = V.MulAdd(u, w3, s03);
            u = V.Load(ref x1, kk);
            s10 = V.MulAdd(u, w0, s10); s11 = V.MulAdd(u, w1, s11); s12 = V.MulAdd(u, w2, s12); s13 = V.MulAdd(u, w3, s13);
            u = V.Load(ref x2, kk);
            s20 = V.MulAdd(u, w0, s20); s21 = V.MulAdd(u, w1, s21); s22 = V.MulAdd(u, w2, s22); s23 = V.MulAdd(u, w3, s23);
            u = V.Load(ref x3, kk);
            s30 = V.MulAdd(u, w0, s30); s31 = V.MulAdd(u, w1, s31); s32 = V.MulAdd(u, w2, s32); s33 = V.MulAdd(u, w3, s33);
        }
        s00.Store(ref acc, 0); s01.Store(ref acc, o1); s02.Store(ref acc, o2); s03.Store(ref acc, o3);
        s10.Store(ref c1, 0); s11.Store(ref c1, o1); s12.Store(ref c1, o2); s13.Store(ref c1, o3);
        s20.Store(ref c2, 0); s21.Store(ref c2, o1); s22.Store(ref c2, o2); s23.Store(ref c2, o3);
        s30.Store(ref c3, 0); s31.Store(ref c3, o1); s32.Store(ref c3, o2); s33.Store(ref c3, o3);
    }
    /// <summary>
    /// <see cref="Kernel4x4{V}"/> with 6 columns: 24 accumulators + 6 columns + 1 row = 31 of the 32 registers AVX-512 has.
    /// Each row vector, streamed from L2, now feeds 6 FMAs instead of 4 — a third less L2 traffic per FMA.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x6<V>(ref double x0, ref double x1, ref double x2, ref double x3, ref double w, int d, int k0, int k1,
        ref double acc, int rowStride) where V : struct, ISimd<V>
    {
        int L = V.Lanes;
        nuint o1 = (nuint)L, o2 = (nuint)(2 * L), o3 = (nuint)(3 * L), o4 = (nuint)(4 * L), o5 = (nuint)(5 * L);
        ref double b1 = ref Unsafe.Add(ref w, d);
        ref double b2 = ref Unsafe.Add(ref w, 2 * d);
        ref double b3 = ref Unsafe.Add(ref w, 3 * d);
        ref double b4 = ref Unsafe.Add(ref w, 4 * d);
        ref double b5 = ref Unsafe.Add(ref w, 5 * d);
        ref double c1 = ref Unsafe.Add(ref acc, rowStride);
        ref double c2 = ref Unsafe.Add(ref acc, 2 * rowStride);
        ref double c3 = ref Unsafe.Add(ref acc, 3 * rowStride);
        V s00 = V.Load(ref acc, 0), s01 = V.Load(ref acc, o1), s02 = V.Load(ref acc, o2), s03 = V.Load(ref acc, o3), s04 = V.Load(ref acc, o4), s05 = V.Load(ref acc, o5);
        V s10 = V.Load(ref c1, 0), s11 = V.Load(ref c1, o1), s12 = V.Load(ref c1, o2), s13 = V.Load(ref c1, o3), s14 = V.Load(ref c1, o4), s15 = V.Load(ref c1, o5);
        V s20 = V.Load(ref c2, 0), s21 = V.Load(ref c2, o1), s22 = V.Load(ref c2, o2), s23 = V.Load(ref c2, o3), s24 = V.Load(ref c2, o4), s25 = V.Load(ref c2, o5);
        V s30 = V.Load(ref c3, 0), s31 = V.Load(ref c3, o1), s32 = V.Load(ref c3, o2), s33 = V.Load(ref c3, o3), s34 = V.Load(ref c3, o4), s35 = V.Load(ref c3, o5);
        for (int k = k0; k < k1; k += L)
        {
            nuint kk = (nuint)k;
            V w0 = V.Load(ref w, kk), w1 = V.Load(ref b1, kk), w2 = V.Load(ref b2, kk), w3 = V.Load(ref b3, kk), w4 = V.Load(ref b4, kk), w5 = V.Load(ref b5, kk);
            V u = V.Load(ref x0, kk);
            s00 = V.MulAdd(u, w0, s00); s01 = V.MulAdd(u, w1, s01); s02 = V.MulAdd(u, w2, s02); s03 = V.MulAdd(u, w3, s03); s04 = V.MulAdd(u, w4, s04); s05 = V.MulAdd(u, w5, s05);
            u = V.Load(ref x1, kk);
            s10 = V.MulAdd(u, w0, s10); s11 = V.MulAdd(u, w1, s11); s12 = V.MulAdd(u, w2, s12); s13 = V.MulAdd(u, w3, s13); s14 = V.MulAdd(u, w4, s14); s15 = V.MulAdd(u, w5, s15);
            u = V.Load(ref x2, kk);
            s20 = V.MulAdd(u, w0, s20); s21 = V.MulAdd(u, w1, s21); s22 = V.MulAdd(u, w2, s22); s23 = V.MulAdd(u, w3, s23); s24 = V.MulAdd(u, w4, s24); s25 = V.MulAdd(u, w5, s25);
            u = V.Load(ref x3, kk);
            s30 = V.MulAdd(u, w0, s30); s31 = V.MulAdd(u, w1, s31); s32 = V.MulAdd(u, w2, s32); s33 = V.MulAdd(u, w3, s33); s34 = V.MulAdd(u, w4, s34); s35 = V.MulAdd(u, w5, s35);
        }
        s00.Store(ref acc, 0); s01.Store(ref acc, o1); s02.Store(ref acc, o2); s03.Store(ref acc, o3); s04.Store(ref acc, o4); s05.Store(ref acc, o5);
        s10.Store(ref c1, 0); s11.Store(ref c1, o1); s12.Store(ref c1, o2); s13.Store(ref c1, o3); s14.Store(ref c1, o4); s15.Store(ref c1, o5);
        s20.Store(ref c2, 0); s21.Store(ref c2, o1); s22.Store(ref c2, o2); s23.Store(ref c2, o3); s24.Store(ref c2, o4); s25.Store(ref c2, o5);
        s30.Store(ref c3, 0); s31.Store(ref c3, o1); s32.Store(ref c3, o2); s33.Store(ref c3, o3); s34.Store(ref c3, o4); s35.Store(ref c3, o5);
    }
}
